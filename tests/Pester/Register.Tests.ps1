#Requires -Version 7.4
# Connect-DataShareRegister and how a command finds the register, against registers in $TestDrive only.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function Invoke-InNewRunspace {
        <#
        Runs a script block in a new runspace of this process with the built module imported and nothing connected,
        as a new session, script or scheduled job starts; returns its output. Environment variables are the process's.
        #>
        param([Parameter(Mandatory)] [scriptblock] $Script)

        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript('param($Manifest) Import-Module $Manifest -ErrorAction Stop').AddArgument($DataShareModuleManifest)
            $null = $shell.AddStatement().AddScript($Script.ToString())
            $output = $shell.Invoke()
            if ($shell.HadErrors -and $shell.Streams.Error.Count -gt 0) {
                throw $shell.Streams.Error[0]
            }

            $output
        }
        finally {
            $shell.Dispose()
        }
    }

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
        $info = Connect-DataShareRegister -Path $path -Create -PassThru -ErrorAction Stop

        $info | Should -BeOfType ([DataShareAdmin.RegisterInfo])
        $info.Backend | Should -Be 'SQLite'
        $info.Location | Should -Be $path
        $info.Source | Should -Be 'Parameter'
        $info.SchemaVersion | Should -Be 16
        $info.IsReadOnly | Should -BeFalse
        $path | Should -Exist
    }

    It 'opens a register -ReadOnly: reads work, every change stops with RegisterReadOnly, and the file is not changed' {
        $path = Join-Path $TestDrive 'read-only.db'
        Connect-DataShareRegister -Path $path -Create -ErrorAction Stop
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

        $info.SchemaVersion | Should -Be 16
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
                Connect-DataShareRegister -Create -PassThru -ErrorAction Stop)

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
            Connect-DataShareRegister -Path $path -Create -ErrorAction Stop
        }

        $infos = @(Get-Item -LiteralPath $first, $second | Connect-DataShareRegister -ReadOnly -PassThru -ErrorAction Stop)

        $infos.Location | Should -Be @($first, $second)
        $infos | ForEach-Object { $_.IsReadOnly | Should -BeTrue }
    }

    It 'stops at a piped path that fails and leaves the session with no register, not the one that opened before it' {
        $good = Join-Path $TestDrive 'before-the-bad-one.db'
        Connect-DataShareRegister -Path $good -Create -ErrorAction Stop
        $marker = New-TestAgreement
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop

        { [pscustomobject]@{ Path = $good }, [pscustomobject]@{ Path = $NotARegister } |
                Connect-DataShareRegister -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotSqlite,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'

        # Neither the register that opened before the bad one nor the one the session had: none until a connect succeeds.
        { Get-DataShareAgreement -Id $marker.Id -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.GetDataShareAgreementCommand'
        Get-Content -LiteralPath $NotARegister -Raw | Should -BeLike "$NotARegisterText*" -Because 'a file that is not a register is not changed'
        Connect-DataShareRegister -Path $good -ErrorAction Stop
        (Get-DataShareAgreement -Id $marker.Id -ErrorAction Stop).Id | Should -Be $marker.Id
    }

    It 'leaves the session with no register when the only path fails, and every command then says so' {
        $before = Get-DataShareTestState
        $failed = $null
        try { Connect-DataShareRegister -Path $NotARegister -ErrorAction Stop } catch { $failed = $_ }
        $failed.FullyQualifiedErrorId | Should -Be 'RegisterNotSqlite,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'

        # Reading, writing, reports and sweeps alike: a specific error naming the failed connection, and nothing done.
        $commands = @(
            @{ Name = 'GetDataShareAgreementCommand'; Run = { Get-DataShareAgreement -ErrorAction Stop } }
            @{ Name = 'TestDataShareAuditLogCommand'; Run = { Test-DataShareAuditLog -ErrorAction Stop } }
            @{ Name = 'NewDataShareOrganisationCommand'; Run = { New-DataShareOrganisation -Name 'Written nowhere' -ErrorAction Stop } }
            @{ Name = 'ExportDataShareReportCommand'; Run = { Export-DataShareReport -Kind Register -Format Csv -Path (Join-Path $TestDrive 'not-written.csv') -ErrorAction Stop } }
            @{ Name = 'GetDataShareRetentionPlanCommand'; Run = { Get-DataShareRetentionPlan -ErrorAction Stop } }
            @{ Name = 'InvokeDataShareRetentionSweepCommand'; Run = { Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop } }
        )
        foreach ($command in $commands) {
            $thrown = $command.Run | Should -Throw -ErrorId "RegisterNotConnected,DataShareAdmin.Commands.$($command.Name)" -PassThru
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidOperation)
            $thrown.Exception.Message | Should -BeLike "*$NotARegister*"
        }

        Join-Path $TestDrive 'not-written.csv' | Should -Not -Exist
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        (Get-DataShareTestState | Out-String) | Should -Be ($before | Out-String) -Because 'nothing was written anywhere'
    }

    It 'refuses a path where there is no register with RegisterNotFound, creating nothing, unless -Create is given' {
        $folder = Join-Path $TestDrive 'typo-folder'
        $missing = Join-Path $folder 'regsiter.db'

        $thrown = { Connect-DataShareRegister -Path $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $thrown.Exception.Message | Should -BeLike "*$missing*-Create*"
        $folder | Should -Not -Exist
        { Get-DataShareAgreement -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.GetDataShareAgreementCommand'

        $info = Connect-DataShareRegister -Path $missing -Create -PassThru -ErrorAction Stop
        $info.Location | Should -Be $missing
        $missing | Should -Exist
        (Test-DataShareAuditLog -ErrorAction Stop).EntryCount | Should -Be 0
        $agreement = New-TestAgreement

        # -Create on a register that is there opens it as it is.
        $again = Connect-DataShareRegister -Path $missing -Create -PassThru -ErrorAction Stop
        $again.Location | Should -Be $missing
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
    }

    It 'refuses an empty -Path (a variable that is not set) with RegisterPathInvalid, and the session then has no register' -ForEach @(
        @{ Case = 'null'; Value = $null }
        @{ Case = 'empty'; Value = '' }
        @{ Case = 'blank'; Value = '   ' }
    ) {
        $thrown = { Connect-DataShareRegister -Path $Value -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterPathInvalid,DataShareAdmin.Commands.ConnectDataShareRegisterCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        { Get-DataShareAgreement -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.GetDataShareAgreementCommand'
    }

    It 'refuses -Create with -ReadOnly with RegisterCreateReadOnly and creates nothing' {
        $path = Join-Path $TestDrive 'create-read-only' 'register.db'

        $thrown = { Connect-DataShareRegister -Path $path -Create -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterCreateReadOnly,DataShareAdmin.Commands.ConnectDataShareRegisterCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        Join-Path $TestDrive 'create-read-only' | Should -Not -Exist
        { Get-DataShareAgreement -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.GetDataShareAgreementCommand'
    }

    It 'refuses what is not a register file: <Case>' -ForEach @(
        @{ Case = 'a folder'; Make = { param($p) $null = New-Item -ItemType Directory -Path $p }; Create = $false; ErrorId = 'RegisterPathInvalid' }
        @{ Case = 'a folder, even with -Create'; Make = { param($p) $null = New-Item -ItemType Directory -Path $p }; Create = $true; ErrorId = 'RegisterPathInvalid' }
        @{ Case = 'an empty file'; Make = { param($p) [System.IO.File]::WriteAllBytes($p, [byte[]]::new(0)) }; Create = $false; ErrorId = 'RegisterNotFound' }
        @{ Case = 'an empty file, even with -Create'; Make = { param($p) [System.IO.File]::WriteAllBytes($p, [byte[]]::new(0)) }; Create = $true; ErrorId = 'RegisterPathInvalid' }
    ) {
        $path = Join-Path $TestDrive ('not-a-register-' + [guid]::NewGuid().ToString('N'))
        & $Make $path
        $before = @(Get-ChildItem -LiteralPath $TestDrive -Force).Name

        { Connect-DataShareRegister -Path $path -Create:$Create -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.ConnectDataShareRegisterCommand"

        @(Get-ChildItem -LiteralPath $TestDrive -Force).Name | Should -Be $before -Because 'nothing was written beside it'
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            (Get-Item -LiteralPath $path).Length | Should -Be 0
        }
        else {
            @(Get-ChildItem -LiteralPath $path -Force).Count | Should -Be 0
        }
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

    It 'stops every command, reading or writing, with RegisterNotFound when DATASHAREADMIN_REGISTER names no register, and creates nothing' {
        $typo = Join-Path $TestDrive 'typo-home' 'regsiter.db'
        $env:DATASHAREADMIN_REGISTER = $typo

        # A session that never connected (a new runspace), as a script or scheduled job starts.
        $results = Invoke-InNewRunspace -Script {
            foreach ($command in @(
                    { Get-DataShareAgreement }
                    { Test-DataShareAuditLog }
                    { Get-DataShareAuditLog }
                    { Get-DataShareRetentionPlan }
                    { Invoke-DataShareRetentionSweep -Confirm:$false }
                    { Invoke-DataShareRetentionSweep -WhatIf }
                    { Export-DataShareReport -Kind Register -Format Csv -Path (Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('N') + '.csv')) }
                    { New-DataShareOrganisation -Name 'Written nowhere' }
                    { Connect-DataShareRegister -PassThru })) {
                $written = [System.Collections.Generic.List[object]]::new()
                try {
                    & $command -ErrorAction Stop | ForEach-Object { $written.Add($_) }
                    [pscustomobject]@{ Command = "$command".Trim(); ErrorId = $null; Output = $written.Count; Message = $null }
                }
                catch {
                    [pscustomobject]@{ Command = "$command".Trim(); ErrorId = $_.FullyQualifiedErrorId.Split(',')[0]; Output = $written.Count; Message = $_.Exception.Message }
                }
            }
        }

        $results.Count | Should -Be 9
        foreach ($result in $results) {
            $result.ErrorId | Should -Be 'RegisterNotFound' -Because "$($result.Command) must not run against a register that is not there"
            $result.Output | Should -Be 0 -Because "$($result.Command) wrote nothing out (never 'intact, 0 entries')"
            $result.Message | Should -BeLike '*DATASHAREADMIN_REGISTER*'
        }

        Join-Path $TestDrive 'typo-home' | Should -Not -Exist
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

Describe 'The per-user default register' {
    BeforeAll {
        $SavedConfig = $env:DATASHAREADMIN_CONFIG
        $SavedDataHome = $env:XDG_DATA_HOME
        $MachineConfiguration = if ($IsWindows) { Join-Path $env:ProgramData 'DataShareAdmin' 'config.json' } else { '/etc/datashareadmin/config.json' }
    }

    AfterEach {
        $env:DATASHAREADMIN_CONFIG = $SavedConfig
        $env:XDG_DATA_HOME = $SavedDataHome
        $env:DATASHAREADMIN_REGISTER = $RegisterPath
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'is made only by Connect-DataShareRegister -Create; until then every command says there is none' {
        if (-not $IsLinux) {
            Set-ItResult -Skipped -Because 'the user data folder can be moved into the test drive (XDG_DATA_HOME) on Linux only, and the test must not touch the real one'
            return
        }

        if (Test-Path -LiteralPath $MachineConfiguration) {
            Set-ItResult -Skipped -Because "this machine has a machine configuration file ($MachineConfiguration), which names a register before the per-user default"
            return
        }

        # The user's data folder inside $TestDrive, and nothing else naming a register.
        $dataHome = Join-Path $TestDrive 'default-data-home'
        $env:XDG_DATA_HOME = $dataHome
        $env:DATASHAREADMIN_REGISTER = $null
        $env:DATASHAREADMIN_CONFIG = $null

        $before = Invoke-InNewRunspace -Script {
            foreach ($command in @({ Get-DataShareAgreement }, { Test-DataShareAuditLog }, { New-DataShareOrganisation -Name 'Nowhere' }, { Connect-DataShareRegister })) {
                try { $null = & $command -ErrorAction Stop; 'no error' } catch { $_.FullyQualifiedErrorId.Split(',')[0] + ': ' + $_.Exception.Message }
            }
        }

        $before.Count | Should -Be 4
        $before | ForEach-Object { $_ | Should -BeLike 'RegisterNotFound: *Connect-DataShareRegister -Create*' }
        $before | ForEach-Object { $_ | Should -BeLike "*$(Join-Path $dataHome 'DataShareAdmin' 'register.db')*" -Because 'the default is in the data folder XDG_DATA_HOME names, even before that folder exists (and so the -Create below stays inside the test drive)' }
        $dataHome | Should -Not -Exist

        $made = Invoke-InNewRunspace -Script {
            Connect-DataShareRegister -Create -PassThru -ErrorAction Stop
            New-DataShareOrganisation -Name 'In the default register' -ErrorAction Stop | Out-Null
            @(Get-DataShareOrganisation -ErrorAction Stop).Count
        }

        $made[0].Source | Should -Be 'UserDefault'
        $made[0].Location | Should -Be (Join-Path $dataHome 'DataShareAdmin' 'register.db')
        $made[1] | Should -Be 1
        $made[0].Location | Should -Exist

        # A later session finds it without being told.
        Invoke-InNewRunspace -Script { @(Get-DataShareOrganisation -ErrorAction Stop).Name } | Should -Be 'In the default register'
    }
}

Describe 'A dry run of the retention sweep on a read-only register' {
    BeforeAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $today = (Get-Date).Date
        $ended = New-TestAgreement -StartsOn $today.AddDays(-100) -EndsOn $today.AddDays(-5) -RetentionDays 0
        $Folder = Join-Path $TestDrive 'dry-run-holding'
        $null = New-Item -ItemType Directory -Path $Folder
        Set-Content -LiteralPath (Join-Path $Folder 'extract.csv') -Value 'id,score'
        $Holding = Register-DataShareHolding -AgreementId $ended.Id -Location $Folder -ErrorAction Stop
    }

    AfterAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction SilentlyContinue
    }

    It 'runs -WhatIf on <Case>, deletes and records nothing, and leaves no lock file' -ForEach @(
        @{ Case = 'the register opened -ReadOnly'; Backup = $false }
        @{ Case = 'a backup copy opened -ReadOnly'; Backup = $true }
    ) {
        $path = $RegisterPath
        if ($Backup) {
            $path = Join-Path $TestDrive ('backup-' + [guid]::NewGuid().ToString('N') + '.db')
            $copy = Copy-DataShareRegister -Destination $path -Confirm:$false -ErrorAction Stop
            $copy.Verified | Should -BeTrue -Because $copy.Problem
        }

        Connect-DataShareRegister -Path $path -ReadOnly -ErrorAction Stop
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head
        $plan = @(Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object HoldingId -EQ $Holding.Id)
        $plan.Count | Should -Be 1

        $errors = $null
        $records = @($plan | Invoke-DataShareRetentionSweep -WhatIf -ErrorVariable errors -ErrorAction Continue)

        $errors | Should -BeNullOrEmpty
        $records.Count | Should -Be 0
        Join-Path $Folder 'extract.csv' | Should -Exist
        (Get-DataShareHolding -Id $Holding.Id -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $head
        "$path.sweep-lock" | Should -Not -Exist
        "$RegisterPath.sweep-lock" | Should -Not -Exist
    }

    It 'is still refused without -WhatIf on a read-only register (SweepRegisterReadOnly), deleting nothing' {
        Connect-DataShareRegister -Path $RegisterPath -ReadOnly -ErrorAction Stop

        { Invoke-DataShareRetentionSweep -HoldingId $Holding.Id -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SweepRegisterReadOnly,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
        Join-Path $Folder 'extract.csv' | Should -Exist
    }

    It 'takes no lock with -WhatIf on a register open for writing either' {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop

        $records = @(Invoke-DataShareRetentionSweep -HoldingId $Holding.Id -WhatIf -ErrorAction Stop)

        $records.Count | Should -Be 0
        "$RegisterPath.sweep-lock" | Should -Not -Exist
        Join-Path $Folder 'extract.csv' | Should -Exist
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
