#Requires -Version 7.4
# Connect-DataShareRegister and how a command finds the register, against registers in $TestDrive only.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A file that is not an SQLite database: opening it as a register fails with RegisterNotSqlite and leaves it as it is.
    $NotARegister = Join-Path $TestDrive 'not-a-register.db'
    $NotARegisterText = 'This is a text file, not an SQLite database, so it cannot be opened as a register.'
    Set-Content -LiteralPath $NotARegister -Value $NotARegisterText -Encoding utf8
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Connect-DataShareRegister' {
    AfterEach {
        # Every test leaves the session on this file's register, whatever it connected to.
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'connects to a path and returns a description of the register with -PassThru' {
        $path = Join-Path $TestDrive 'single.db'
        $info = Connect-DataShareRegister -Path $path -PassThru -ErrorAction Stop

        $info | Should -BeOfType ([DataShareAdmin.RegisterInfo])
        $info.Backend | Should -Be 'SQLite'
        $info.Location | Should -Be $path
        $info.Source | Should -Be 'Parameter'
        $info.SchemaVersion | Should -Be 6
        $info.IsReadOnly | Should -BeFalse
        $path | Should -Exist
    }

    It 'opens a register -ReadOnly: reads work, every change stops with RegisterReadOnly, and the file is not changed' {
        $path = Join-Path $TestDrive 'read-only.db'
        Connect-DataShareRegister -Path $path -ErrorAction Stop
        $agreement = New-TestAgreement
        Connect-DataShareRegister -Path $path -ReadOnly -ErrorAction Stop
        $bytes = [System.IO.File]::ReadAllBytes($path)

        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
        # Terminating errors: caught here although the preference is to go on.
        $ErrorActionPreference = 'Continue'
        foreach ($change in @(
                @{ Cmdlet = 'New-DataShareAgreement'; Script = { $parameters = Get-DataShareTestAgreementParameter; New-DataShareAgreement @parameters } }
                @{ Cmdlet = 'Set-DataShareAgreement'; Script = { Set-DataShareAgreement -Id $agreement.Id -Title 'Not allowed' } }
            )) {
            $caught = $null
            try {
                $null = & $change.Script
            }
            catch {
                $caught = $_
            }

            Assert-DataShareError -ErrorRecord $caught -ErrorId 'RegisterReadOnly' -Category PermissionDenied -Cmdlet $change.Cmdlet
        }

        [System.IO.File]::ReadAllBytes($path) | Should -Be $bytes
    }

    It 'upgrades the previous release''s register, its organisations made from the agreements, and flags the agreement that has no justification' {
        $copy = Join-Path $TestDrive 'register-v4.db'
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot '..' 'fixtures' 'registers' 'register-v4.db') -Destination $copy

        $info = Connect-DataShareRegister -Path $copy -PassThru -ErrorAction Stop

        $info.SchemaVersion | Should -Be 6
        $organisations = @(Get-DataShareOrganisation -ErrorAction Stop)
        $organisations.Name | Should -Be @('Example Research Trust', 'Northshire County Council', 'University of Example')
        $agreement = Get-DataShareAgreement -Id DS00752 -AsOf '2026-06-15' -ErrorAction Stop
        $agreement.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Active)
        $agreement.OrganisationId | Should -Be $organisations[2].Id
        $agreement.DirectTransferJustification | Should -BeNullOrEmpty
        (Test-DataShareAuditLog -ErrorAction Stop).IsIntact | Should -BeTrue

        $report = Join-Path $TestDrive 'register-v4.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $report -AsOf '2026-06-15' -ErrorAction Stop
        Get-Content -LiteralPath $report -Raw | Should -BeLike '*Direct transfer without a justification: approved, but no transfers until one is recorded*'
    }

    It 'opens and checks each piped path in turn and keeps the last one' {
        $first = Join-Path $TestDrive 'piped-first.db'
        $second = Join-Path $TestDrive 'piped-second.db'

        $infos = @([pscustomobject]@{ Path = $first }, [pscustomobject]@{ Path = $second } |
                Connect-DataShareRegister -PassThru -ErrorAction Stop)

        $infos.Count | Should -Be 2 -Because 'each piped path is opened and described'
        $infos.Location | Should -Be @($first, $second)
        $first | Should -Exist -Because 'the first path was opened (and so created), not skipped'
        $second | Should -Exist

        # The session now uses the second register.
        $agreement = New-TestAgreement
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
        Connect-DataShareRegister -Path $first -ErrorAction Stop
        @(Get-DataShareAgreement -Id $agreement.Id -ErrorAction SilentlyContinue).Count | Should -Be 0
        Connect-DataShareRegister -Path $second -ErrorAction Stop
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
    }

    It 'takes piped files by their FullName' {
        $first = Join-Path $TestDrive 'by-name-first.db'
        $second = Join-Path $TestDrive 'by-name-second.db'
        foreach ($path in $first, $second) {
            Connect-DataShareRegister -Path $path -ErrorAction Stop
        }

        $infos = @(Get-Item -LiteralPath $first, $second | Connect-DataShareRegister -ReadOnly -PassThru -ErrorAction Stop)

        $infos.Location | Should -Be @($first, $second)
        $infos | ForEach-Object { $_.IsReadOnly | Should -BeTrue }
    }

    It 'stops at a piped path that fails and keeps the register that opened before it' {
        $good = Join-Path $TestDrive 'before-the-bad-one.db'
        Connect-DataShareRegister -Path $good -ErrorAction Stop
        $marker = New-TestAgreement
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop

        { [pscustomobject]@{ Path = $good }, [pscustomobject]@{ Path = $NotARegister } |
                Connect-DataShareRegister -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotSqlite,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'

        # The session is on the register that opened last, not on the one that failed and not on the earlier one.
        (Get-DataShareAgreement -Id $marker.Id -ErrorAction Stop).Id | Should -Be $marker.Id
        Get-Content -LiteralPath $NotARegister -Raw | Should -BeLike "$NotARegisterText*" -Because 'a file that is not a register is not changed'
    }

    It 'keeps the previous register when the only path fails' {
        $agreement = New-TestAgreement

        { Connect-DataShareRegister -Path $NotARegister -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotSqlite,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'

        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
    }

    It 'refuses a read-only connection to a file that does not exist with RegisterNotFound' {
        $missing = Join-Path $TestDrive 'missing-read-only.db'

        { Connect-DataShareRegister -Path $missing -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'

        $missing | Should -Not -Exist
    }
}

Describe 'Finding the register without -Path' {
    BeforeAll {
        $SavedConfig = $env:DATASHAREADMIN_CONFIG
        $SavedDataHome = $env:XDG_DATA_HOME
    }

    AfterEach {
        $env:DATASHAREADMIN_CONFIG = $SavedConfig
        $env:XDG_DATA_HOME = $SavedDataHome
        $env:DATASHAREADMIN_REGISTER = $RegisterPath
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'uses DATASHAREADMIN_REGISTER when no path was given' {
        $info = Connect-DataShareRegister -PassThru -ErrorAction Stop
        $info.Source | Should -Be 'Environment'
        $info.Location | Should -Be $RegisterPath
    }

    It 'stops every command with RegisterConfigurationNotFound when DATASHAREADMIN_CONFIG names a missing file' {
        # Back to the usual search while DATASHAREADMIN_REGISTER still points at this file's register.
        Connect-DataShareRegister -ErrorAction Stop
        $missingConfig = Join-Path $TestDrive 'no-such-config.json'
        # Were the rule broken, the fallback would be the user's data folder: keep even that inside $TestDrive (Linux).
        $env:XDG_DATA_HOME = Join-Path $TestDrive 'data-home'
        $env:DATASHAREADMIN_REGISTER = $null
        $env:DATASHAREADMIN_CONFIG = $missingConfig

        $thrown = { Get-DataShareAgreement -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterConfigurationNotFound,DataShareAdmin.Commands.GetDataShareAgreementCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)

        { Get-DataShareRecipient -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterConfigurationNotFound,DataShareAdmin.Commands.GetDataShareRecipientCommand'
        { Connect-DataShareRegister -PassThru -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterConfigurationNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'

        $missingConfig | Should -Not -Exist
        Join-Path $TestDrive 'data-home' | Should -Not -Exist -Because 'no register is created anywhere as a fallback'
    }

    It 'is not affected by a missing DATASHAREADMIN_CONFIG when -Path is given' {
        $env:DATASHAREADMIN_REGISTER = $null
        $env:DATASHAREADMIN_CONFIG = Join-Path $TestDrive 'no-such-config.json'

        $info = Connect-DataShareRegister -Path $RegisterPath -PassThru -ErrorAction Stop
        $info.Source | Should -Be 'Parameter'
        @(Get-DataShareAgreement -ErrorAction Stop).Count | Should -BeGreaterOrEqual 0
    }
}

Describe 'Connect-DataShareStorage' {
    # These cases are refused before any network call, so they need no storage account or emulator.
    It 'refuses plain http unless -AllowHttpLoopback is given for a loopback emulator' {
        { Connect-DataShareStorage -ConnectionString 'UseDevelopmentStorage=true' -ErrorAction Stop } |
            Should -Throw -ErrorId 'StorageEndpointInsecure,DataShareAdmin.Commands.ConnectDataShareStorageCommand'
        { Connect-DataShareStorage -AccountUri 'http://contosodata.blob.core.windows.net' -AllowHttpLoopback -ErrorAction Stop } |
            Should -Throw -ErrorId 'StorageEndpointInsecure,DataShareAdmin.Commands.ConnectDataShareStorageCommand'
    }

    It 'refuses an unreadable connection string without quoting it' {
        $secretish = 'AccountName=x;AccountKey=notbase64!!;BlobEndpoint=https://x.blob.core.windows.net'
        $failure = $null
        try { Connect-DataShareStorage -ConnectionString $secretish -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'StorageConnectionStringInvalid,DataShareAdmin.Commands.ConnectDataShareStorageCommand'
        $failure.ToString() | Should -Not -Match 'notbase64'
    }

    It 'takes a variable name, and says so when the variable is not set' {
        { Connect-DataShareStorage -ConnectionString 'DSA_PESTER_NO_SUCH_VARIABLE' -ErrorAction Stop } |
            Should -Throw -ErrorId 'StorageConnectionStringInvalid,DataShareAdmin.Commands.ConnectDataShareStorageCommand'
    }
}
