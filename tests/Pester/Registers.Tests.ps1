#Requires -Version 7.4
# The two kinds of register: Connect-DataShareRegister's Azure Table register (on a private Azurite's table service,
# started by this file on free loopback ports and stopped when it is done) and Copy-DataShareRegister between a SQLite
# file in $TestDrive and that table service. Register.Tests.ps1 covers the SQLite file's own connection rules.
#
# The Azurite tests need node on PATH and Azurite installed in tests/azurite (npm ci there, or run the xunit storage
# tests once, which install it). Without either they are skipped, and the Describe's name says why. The bad-input tests
# are refused before anything is reached over the network, so they run everywhere.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Registers on Azure Tables (Azurite)' -TestFileName 'Registers.Tests.ps1'
    $TablesSkipReason = $storage.SkipReason
    $TablesDescribeName = $storage.Name

    # Each is refused before the table service is reached, and leaves the session with no register until a connect succeeds.
    $BadConnections = @(
        @{ Case = 'a table name that starts with a digit'; ErrorId = 'RegisterTableNameInvalid'; Parameters = @{ ConnectionString = 'UseDevelopmentStorage=true'; TableName = '9lives' } }
        @{ Case = 'a table name of two letters'; ErrorId = 'RegisterTableNameInvalid'; Parameters = @{ ConnectionString = 'UseDevelopmentStorage=true'; TableName = 'ab' } }
        @{ Case = 'a table name with a hyphen'; ErrorId = 'RegisterTableNameInvalid'; Parameters = @{ ConnectionString = 'UseDevelopmentStorage=true'; TableName = 'data-share' } }
        @{ Case = 'a register name with a space'; ErrorId = 'RegisterNameInvalid'; Parameters = @{ ConnectionString = 'UseDevelopmentStorage=true'; RegisterName = 'two words' } }
        @{ Case = 'a register name with an underscore'; ErrorId = 'RegisterNameInvalid'; Parameters = @{ ConnectionString = 'UseDevelopmentStorage=true'; RegisterName = 'test_1' } }
        @{ Case = 'a register name of hyphens only'; ErrorId = 'RegisterNameInvalid'; Parameters = @{ ConnectionString = 'UseDevelopmentStorage=true'; RegisterName = '---' } }
        @{ Case = 'a plain http endpoint'; ErrorId = 'RegisterEndpointInsecure'; Parameters = @{ TableEndpoint = 'http://contosodata.table.core.windows.net' } }
        @{ Case = 'a plain http endpoint (tokens never go over http)'; ErrorId = 'RegisterEndpointInsecure'; Parameters = @{ TableEndpoint = 'http://127.0.0.1:10002/devstoreaccount1' } }
        @{ Case = 'an endpoint with a SAS'; ErrorId = 'RegisterEndpointInvalid'; Parameters = @{ TableEndpoint = 'https://contosodata.table.core.windows.net/?sv=2024-11-04&sig=abc' } }
        @{ Case = 'the name of an environment variable that is not set'; ErrorId = 'RegisterConnectionStringInvalid'; Parameters = @{ ConnectionString = 'DSA_PESTER_NO_SUCH_TABLES_VARIABLE' } }
        @{ Case = 'a connection string that cannot be read'; ErrorId = 'RegisterConnectionStringInvalid'; Parameters = @{ ConnectionString = 'AccountName=x;AccountKey=notbase64!!;TableEndpoint=https://x.table.core.windows.net' } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    # Yesterday is never in the future in the register's zone (Europe/London), wherever the machine is.
    $Yesterday = (Get-Date).Date.AddDays(-1)

    function New-TestRegisterName {
        <# A register name of its own for each test, so no two tests (or two runs on one Azurite) share a register. #>
        param([string] $Prefix = 'p')
        $Prefix + [guid]::NewGuid().ToString('N').Substring(0, 12)
    }

    function ConvertTo-StateText {
        <# A register state (Get-DataShareTestState, Get-RegisterContent) as one line, so two compare with Should -Be. #>
        param([Parameter(Mandatory, ValueFromPipeline)] $State)
        process {
            ($State.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join '; '
        }
    }

    function Get-RegisterName {
        <# Which register the session is on, without reconnecting: the audit check names it (SQLite:... or AzureTables:...). #>
        (Test-DataShareAuditLog -ErrorAction Stop).Register
    }

    function New-FilledRegister {
        <#
        Fills the register the session is on with one of most kinds of record: an organisation with a security
        assessment, an approved agreement, a recipient with a declaration and a disclosure certificate, a removed
        recipient, a policy setting and a holding. Returns the agreement.
        #>
        param([Parameter(Mandatory)] [string] $Tag)

        $null = Initialize-DataShareTestOrganisation -PassedAssessment
        $agreement = New-TestAgreement -ApprovalReference "DSAP-$Tag"
        $jo = Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Jo Bloggs' -Email "jo.$Tag@example.ac.uk" -Role 'Analyst' -ErrorAction Stop
        $null = Set-DataShareRecipient -Id $jo.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $jo.Id -Issuer DBS -Level Basic -Number '001234567890' -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
        $sam = Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Sam Leaver' -Email "sam.$Tag@example.ac.uk" -ErrorAction Stop
        $null = Remove-DataShareRecipient -Id $sam.Id -Reason 'Left the project' -Confirm:$false -ErrorAction Stop
        Set-DataSharePolicy -Name SweepMaxHoldings -Value 50 -Confirm:$false -ErrorAction Stop
        $null = Register-DataShareHolding -AgreementId $agreement.Id -Location (Join-Path $TestDrive 'holdings' $Tag) -AllowMissing -WarningAction SilentlyContinue -Confirm:$false -ErrorAction Stop
        $agreement
    }

    function Get-RegisterContent {
        <# What the register holds, kind by kind, to compare a copy with its original. #>
        $state = Get-DataShareTestState
        [pscustomobject]@{
            Agreements    = $state.Agreements
            Recipients    = $state.Recipients
            Organisations = $state.Organisations
            Assessments   = $state.Assessments
            Certificates  = @(Get-DisclosureCertificate -ErrorAction Stop).Count
            Holdings      = @(Get-DataShareHolding -ErrorAction Stop).Count
            AuditCount    = $state.AuditCount
            AuditHead     = $state.AuditHead
            AgreementIds  = (@(Get-DataShareAgreement -ErrorAction Stop).Id | Sort-Object) -join ','
            Emails        = (@(Get-DataShareRecipient -IncludeRemoved -ErrorAction Stop).Email | Sort-Object) -join ','
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Connect-DataShareRegister refuses a bad Azure Table register before reaching it' {
    BeforeAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $Marker = New-TestAgreement
        $Before = Get-DataShareTestState | ConvertTo-StateText
    }

    AfterEach {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'stops on <Case> with <ErrorId> and leaves the session with no register' -ForEach $BadConnections {
        { Connect-DataShareRegister @Parameters -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.ConnectDataShareRegisterCommand"

        # Not on the SQLite register it had either: every command stops until a connection succeeds.
        { Get-DataShareAgreement -Id $Marker.Id -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.GetDataShareAgreementCommand'
        { New-DataShareOrganisation -Name 'Written nowhere' -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.NewDataShareOrganisationCommand'
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        Get-DataShareTestState | ConvertTo-StateText | Should -Be $Before -Because 'nothing was written'
    }

    It 'writes one non-terminating error for an unset environment variable and leaves the session with no register' {
        $errors = $null
        $output = Connect-DataShareRegister -ConnectionString 'DSA_PESTER_NO_SUCH_TABLES_VARIABLE' -PassThru -ErrorAction SilentlyContinue -ErrorVariable errors

        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'RegisterConnectionStringInvalid,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'
        $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $errors[0].Exception.Message | Should -BeLike '*DSA_PESTER_NO_SUCH_TABLES_VARIABLE*'
        { Get-RegisterName } | Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.TestDataShareAuditLogCommand'
    }

    It 'never quotes an unreadable connection string' {
        $failure = $null
        try { Connect-DataShareRegister -ConnectionString 'AccountName=x;AccountKey=notbase64!!;TableEndpoint=https://x.table.core.windows.net' -ErrorAction Stop }
        catch { $failure = $_ }

        $failure | Should -Not -BeNullOrEmpty
        $failure.ToString() | Should -Not -Match 'notbase64'
        $later = $null
        try { Get-RegisterName } catch { $later = $_ }
        $later.FullyQualifiedErrorId | Should -Be 'RegisterNotConnected,DataShareAdmin.Commands.TestDataShareAuditLogCommand'
        $later.ToString() | Should -Not -Match 'notbase64' -Because 'the error that names the failed connection never quotes its key either'
    }

    It 'refuses a copy into names that are not allowed, writing nothing' {
        { Copy-DataShareRegister -DestinationConnectionString 'UseDevelopmentStorage=true' -TableName '9lives' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterTableNameInvalid,DataShareAdmin.Commands.CopyDataShareRegisterCommand'
        { Copy-DataShareRegister -DestinationTableEndpoint 'http://contosodata.table.core.windows.net' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterEndpointInsecure,DataShareAdmin.Commands.CopyDataShareRegisterCommand'

        Get-DataShareTestState | ConvertTo-StateText | Should -Be $Before
    }
}

Describe 'Copy-DataShareRegister between SQLite files' {
    BeforeAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $null = New-TestAgreement
    }

    It 'refuses to copy the register into itself, writing nothing' {
        $before = Get-DataShareTestState | ConvertTo-StateText

        { Copy-DataShareRegister -Destination $RegisterPath -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterCopyToItself,DataShareAdmin.Commands.CopyDataShareRegisterCommand'

        Get-DataShareTestState | ConvertTo-StateText | Should -Be $before
    }

    It 'creates no file with -WhatIf and returns nothing' {
        $destination = Join-Path $TestDrive 'whatif-folder' 'whatif.db'

        $output = Copy-DataShareRegister -Destination $destination -WhatIf

        $output | Should -BeNullOrEmpty
        $destination | Should -Not -Exist
        Join-Path $TestDrive 'whatif-folder' | Should -Not -Exist
    }

    It 'copies into a new file and refuses a second copy into it with RegisterCopyDestinationNotEmpty' {
        $destination = Join-Path $TestDrive 'sqlite-copy.db'
        $first = Copy-DataShareRegister -Destination $destination -Confirm:$false -ErrorAction Stop
        $first.Verified | Should -BeTrue -Because $first.Problem

        $errors = $null
        $second = Copy-DataShareRegister -Destination $destination -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors

        $second | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'RegisterCopyDestinationNotEmpty,DataShareAdmin.Commands.CopyDataShareRegisterCommand'
        $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
        Connect-DataShareRegister -Path $destination -ReadOnly -ErrorAction Stop
        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $first.SourceHead -Because 'the refused copy wrote nothing'
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }
}

Describe $TablesDescribeName -Skip:($null -ne $TablesSkipReason) {
    BeforeAll {
        # Saved first, so the AfterAll puts back the caller's value even if Azurite fails to start.
        $SavedTablesVariable = $env:DSA_PESTER_TABLES
        $Azurite = Start-TestAzurite
        $Tables = Get-TestAzuriteConnectionString -Azurite $Azurite
        $env:DSA_PESTER_TABLES = $Tables
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    AfterAll {
        $env:DSA_PESTER_TABLES = $SavedTablesVariable
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction SilentlyContinue
        Stop-TestAzurite -Azurite $Azurite
    }

    AfterEach {
        # Every test leaves the session on this file's register, whatever it connected to.
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'connects to a register in the table service and works on agreements, recipients and the audit log there' {
        $name = New-TestRegisterName

        $info = Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -PassThru -ErrorAction Stop

        $info | Should -BeOfType ([DataShareAdmin.RegisterInfo])
        $info.Backend | Should -Be 'AzureTables'
        $info.Location | Should -Be "$($Azurite.TableEndpoint)/DataShareRegister#$name"
        $info.Location | Should -Not -Match 'AccountKey'
        $info.Source | Should -Be 'Parameter'
        $info.SchemaVersion | Should -Be 16
        $info.IsReadOnly | Should -BeFalse
        Get-RegisterName | Should -Be "AzureTables:$($info.Location)"
        @(Get-DataShareAgreement -ErrorAction Stop).Count | Should -Be 0 -Because 'a new register is empty'

        # A shared register refuses an approval by the agreement's creator by default; this test has one account.
        (Get-DataSharePolicy -Name RequireSeparateApprover).Value | Should -Be 'true'
        Set-DataSharePolicy -Name RequireSeparateApprover -Value false -Confirm:$false -ErrorAction Stop
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-TBL-1'
        $recipient = Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Jo Table' -Email 'jo.table@example.ac.uk' -Role 'Analyst' -ErrorAction Stop
        $null = Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -ErrorAction Stop
        $null = Set-DataShareAgreement -Id $agreement.Id -Title 'Changed on the shared register' -ErrorAction Stop

        $read = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $read.Title | Should -Be 'Changed on the shared register'
        $read.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Active)
        $read.Organisation | Should -Be $DataShareTestOrganisation
        $recipients = @(Get-DataShareRecipient -AgreementId $agreement.Id -ErrorAction Stop)
        $recipients.Count | Should -Be 1
        $recipients[0].Email | Should -Be 'jo.table@example.ac.uk'
        $recipients[0].DeclarationSignedOn | Should -Be $Yesterday

        $log = @(Get-DataShareAuditLog -ErrorAction Stop)
        $log.Action | Should -Contain 'Agreement.Create'
        $log.Action | Should -Contain 'Recipient.Add'
        $log.Action | Should -Contain 'Agreement.Update'
        $log[0].Sequence | Should -Be 1
        # An account key names no one: the audit log names the machine's user, as Connect said it would.
        $info.Actor | Should -Not -BeNullOrEmpty
        @($log | Where-Object { $_.Actor -ne $info.Actor }) | Should -HaveCount 0
        $audit = Test-DataShareAuditLog -ErrorAction Stop
        $audit.IsIntact | Should -BeTrue -Because $audit.Problem
        $audit.EntryCount | Should -Be $log.Count
        $audit.Register | Should -Be "AzureTables:$($info.Location)"

        # Another connection (here through the environment variable's name) sees the same register.
        Connect-DataShareRegister -ConnectionString DSA_PESTER_TABLES -RegisterName $name -ErrorAction Stop
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Title | Should -Be 'Changed on the shared register'
        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $audit.Head

        # And the file register has none of it.
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        @(Get-DataShareAgreement -Id $agreement.Id -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'takes the connection string as a SecureString' {
        $name = New-TestRegisterName
        $secure = ConvertTo-SecureString -String $Tables -AsPlainText -Force

        $info = Connect-DataShareRegister -ConnectionString $secure -RegisterName $name -Create -PassThru -ErrorAction Stop

        $info.Backend | Should -Be 'AzureTables'
        $info.Location | Should -BeLike "*#$name"
    }

    It 'keeps registers in one table apart by -RegisterName, and tables apart by -TableName' {
        $test = New-TestRegisterName -Prefix 'test'
        $live = New-TestRegisterName -Prefix 'live'
        $otherTable = 'Pester' + [guid]::NewGuid().ToString('N').Substring(0, 10)

        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $test -Create -ErrorAction Stop
        $inTest = New-TestAgreement
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $live -Create -ErrorAction Stop
        $inLive = New-TestAgreement

        @(Get-DataShareAgreement -ErrorAction Stop).Id | Should -Be @($inLive.Id)
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $test -ErrorAction Stop
        @(Get-DataShareAgreement -ErrorAction Stop).Id | Should -Be @($inTest.Id)
        (Test-DataShareAuditLog -ErrorAction Stop).IsIntact | Should -BeTrue

        $other = Connect-DataShareRegister -ConnectionString $Tables -TableName $otherTable -RegisterName $test -Create -PassThru -ErrorAction Stop
        $other.Location | Should -Be "$($Azurite.TableEndpoint)/$otherTable#$test"
        @(Get-DataShareAgreement -ErrorAction Stop).Count | Should -Be 0 -Because 'the same register name in another table is another register'
    }

    It 'opens an existing register -ReadOnly, refuses changes, and refuses a missing one with RegisterNotFound' {
        $name = New-TestRegisterName
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -ErrorAction Stop
        $agreement = New-TestAgreement
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head

        $info = Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ReadOnly -PassThru -ErrorAction Stop
        $info.IsReadOnly | Should -BeTrue
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
        { Set-DataShareAgreement -Id $agreement.Id -Title 'Not allowed' -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterReadOnly,DataShareAdmin.Commands.SetDataShareAgreementCommand'
        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $head

        $missing = New-TestRegisterName -Prefix 'missing'
        { Connect-DataShareRegister -ConnectionString $Tables -RegisterName $missing -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'
        { Get-RegisterName } | Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.TestDataShareAuditLogCommand' -Because 'a failed connect leaves the session with no register'
        { Connect-DataShareRegister -ConnectionString $Tables -RegisterName $missing -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand' -Because 'the refused read-only connection created nothing'
    }

    It 'leaves the session with no register when a connection from an Azure Table register is refused' {
        $name = New-TestRegisterName
        $info = Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -PassThru -ErrorAction Stop
        $agreement = New-TestAgreement

        $refused = @(
            @{ Parameters = @{ ConnectionString = $Tables; RegisterName = 'not valid' }; ErrorId = 'RegisterNameInvalid' }
            @{ Parameters = @{ TableEndpoint = 'http://contosodata.table.core.windows.net' }; ErrorId = 'RegisterEndpointInsecure' }
            @{ Parameters = @{ ConnectionString = 'DSA_PESTER_NO_SUCH_TABLES_VARIABLE' }; ErrorId = 'RegisterConnectionStringInvalid' }
            @{ Parameters = @{ Path = (Join-Path $TestDrive 'no-such-folder' 'missing.db'); ReadOnly = $true }; ErrorId = 'RegisterNotFound' }
        )
        foreach ($case in $refused) {
            $parameters = $case.Parameters
            { Connect-DataShareRegister @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId "$($case.ErrorId),DataShareAdmin.Commands.ConnectDataShareRegisterCommand"
            { Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegisterNotConnected,DataShareAdmin.Commands.GetDataShareAgreementCommand' -Because "the session is not left on the register it had after $($case.ErrorId)"

            Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ErrorAction Stop
            Get-RegisterName | Should -Be "AzureTables:$($info.Location)"
        }

        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
        Join-Path $TestDrive 'no-such-folder' | Should -Not -Exist
    }

    It 'refuses a register that is not there with RegisterNotFound unless -Create, and reading makes no table' {
        $name = New-TestRegisterName -Prefix 'typo'
        $table = 'Absent' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        $live = New-TestRegisterName -Prefix 'live'
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $live -Create -ErrorAction Stop
        $null = New-TestAgreement

        foreach ($parameters in @(@{ RegisterName = $name }, @{ RegisterName = $name; ReadOnly = $true }, @{ TableName = $table; RegisterName = $live }, @{ TableName = $table; RegisterName = $live; ReadOnly = $true })) {
            $thrown = { Connect-DataShareRegister -ConnectionString $Tables @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand' -PassThru
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $thrown.Exception.Message | Should -Not -Match 'AccountKey'
        }

        # Nothing was made by any of them: the table is not there, and the register name is still free.
        { Connect-DataShareRegister -ConnectionString $Tables -TableName $table -RegisterName $live -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'
        $made = Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -PassThru -ErrorAction Stop
        $made.Location | Should -Be "$($Azurite.TableEndpoint)/DataShareRegister#$name"
        @(Get-DataShareAgreement -ErrorAction Stop).Count | Should -Be 0 -Because 'a new register is empty'
        (Test-DataShareAuditLog -ErrorAction Stop).EntryCount | Should -Be 0

        # -Create on a register that is there opens it, changing nothing.
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $live -Create -ErrorAction Stop
        @(Get-DataShareAgreement -ErrorAction Stop).Count | Should -Be 1
    }

    It 'copies a SQLite register to Tables and back, verified, with the same audit head and the same records' {
        $source = Join-Path $TestDrive 'round-trip-source.db'
        $back = Join-Path $TestDrive 'round-trip-back.db'
        $name = New-TestRegisterName -Prefix 'copy'
        Connect-DataShareRegister -Path $source -Create -ErrorAction Stop
        $agreement = New-FilledRegister -Tag 'rt1'
        $original = Get-RegisterContent
        $originalText = $original | ConvertTo-StateText

        $there = Copy-DataShareRegister -DestinationConnectionString $Tables -RegisterName $name -Confirm:$false -ErrorAction Stop

        $there | Should -BeOfType ([DataShareAdmin.RegisterCopyResult])
        $there.Verified | Should -BeTrue -Because $there.Problem
        $there.Problem | Should -BeNullOrEmpty
        $there.Source | Should -Be "SQLite:$source"
        $there.Destination | Should -Be "AzureTables:$($Azurite.TableEndpoint)/DataShareRegister#$name"
        $there.SourceHead | Should -Be $original.AuditHead
        $there.DestinationHead | Should -Be $there.SourceHead
        $there.AuditEntries | Should -Be $original.AuditCount
        $there.Agreements | Should -Be 1
        $there.Organisations | Should -Be 1
        $there.Assessments | Should -Be 1
        $there.Recipients | Should -Be 2 -Because 'the removed recipient is copied too'
        $there.People | Should -Be 2
        $there.Certificates | Should -Be 1
        $there.Holdings | Should -Be 1
        $there.Policy | Should -Be 1
        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $original.AuditHead -Because 'copying adds no audit entry to the source'
        Get-RegisterName | Should -Be "SQLite:$source" -Because 'the session stays on the source'

        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ErrorAction Stop
        Get-RegisterContent | ConvertTo-StateText | Should -Be $originalText
        (Test-DataShareAuditLog -ExpectedHead $there.SourceHead -ErrorAction Stop).IsIntact | Should -BeTrue
        (Get-DataSharePolicy -Name SweepMaxHoldings -ErrorAction Stop).Value | Should -Be '50'
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Active)

        $backHome = Copy-DataShareRegister -Destination $back -Confirm:$false -ErrorAction Stop

        $backHome.Verified | Should -BeTrue -Because $backHome.Problem
        $backHome.Source | Should -Be "AzureTables:$($Azurite.TableEndpoint)/DataShareRegister#$name"
        $backHome.Destination | Should -Be "SQLite:$back"
        $backHome.SourceHead | Should -Be $there.SourceHead
        $backHome.DestinationHead | Should -Be $there.SourceHead
        $backHome.AuditEntries | Should -Be $there.AuditEntries

        Connect-DataShareRegister -Path $back -ReadOnly -ErrorAction Stop
        Get-RegisterContent | ConvertTo-StateText | Should -Be $originalText
        $audit = Test-DataShareAuditLog -ExpectedHead $there.SourceHead -ErrorAction Stop
        $audit.IsIntact | Should -BeTrue -Because $audit.Problem
        $audit.Head | Should -Be $original.AuditHead
    }

    It 'chains the first change on the copy onto the original''s last audit entry' {
        $source = Join-Path $TestDrive 'chain-source.db'
        $name = New-TestRegisterName -Prefix 'chain'
        Connect-DataShareRegister -Path $source -Create -ErrorAction Stop
        $agreement = New-TestAgreement
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head
        $null = Copy-DataShareRegister -DestinationConnectionString $Tables -RegisterName $name -Confirm:$false -ErrorAction Stop

        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ErrorAction Stop
        $null = Set-DataShareAgreement -Id $agreement.Id -Title 'First change on the copy' -ErrorAction Stop

        $audit = Test-DataShareAuditLog -ExpectedHead $head -ErrorAction Stop
        $audit.IsIntact | Should -BeTrue -Because $audit.Problem
        $audit.HeadSequence | Should -Be ([long]$head.Split(':')[0] + 1)
        $last = @(Get-DataShareAuditLog -ErrorAction Stop)[-1]
        $last.PreviousHash | Should -Be $head.Split(':')[1]
    }

    It 'creates nothing with -WhatIf, in the table service or on disk' {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $null = New-TestAgreement
        $before = Get-DataShareTestState | ConvertTo-StateText
        $name = New-TestRegisterName -Prefix 'whatif'
        $table = 'WhatIf' + [guid]::NewGuid().ToString('N').Substring(0, 10)

        $intoTables = Copy-DataShareRegister -DestinationConnectionString $Tables -TableName $table -RegisterName $name -WhatIf
        $intoDefaultTable = Copy-DataShareRegister -DestinationConnectionString DSA_PESTER_TABLES -RegisterName $name -WhatIf

        $intoTables | Should -BeNullOrEmpty
        $intoDefaultTable | Should -BeNullOrEmpty
        Get-DataShareTestState | ConvertTo-StateText | Should -Be $before -Because 'the source is only read'
        { Connect-DataShareRegister -ConnectionString $Tables -TableName $table -RegisterName $name -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'
        { Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterNotFound,DataShareAdmin.Commands.ConnectDataShareRegisterCommand'
    }

    It 'refuses to copy into a Table register that holds records with RegisterCopyDestinationNotEmpty, writing nothing' {
        $name = New-TestRegisterName -Prefix 'full'
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -ErrorAction Stop
        $theirs = New-TestAgreement
        $theirState = Get-DataShareTestState | ConvertTo-StateText

        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $null = New-TestAgreement
        $ourState = Get-DataShareTestState | ConvertTo-StateText

        $errors = $null
        $output = Copy-DataShareRegister -DestinationConnectionString $Tables -RegisterName $name -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors
        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'RegisterCopyDestinationNotEmpty,DataShareAdmin.Commands.CopyDataShareRegisterCommand'
        $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
        { Copy-DataShareRegister -DestinationConnectionString $Tables -RegisterName $name -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterCopyDestinationNotEmpty,DataShareAdmin.Commands.CopyDataShareRegisterCommand'

        Get-DataShareTestState | ConvertTo-StateText | Should -Be $ourState
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ErrorAction Stop
        Get-DataShareTestState | ConvertTo-StateText | Should -Be $theirState
        @(Get-DataShareAgreement -ErrorAction Stop).Id | Should -Be @($theirs.Id)
    }

    It 'refuses to copy a Table register into a SQLite file that holds records' {
        $name = New-TestRegisterName -Prefix 'out'
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -ErrorAction Stop
        $null = New-TestAgreement
        $file = Join-Path $TestDrive 'holds-records.db'
        Connect-DataShareRegister -Path $file -Create -ErrorAction Stop
        $null = New-TestAgreement
        $fileHead = (Test-DataShareAuditLog -ErrorAction Stop).Head

        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -ErrorAction Stop
        { Copy-DataShareRegister -Destination $file -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegisterCopyDestinationNotEmpty,DataShareAdmin.Commands.CopyDataShareRegisterCommand'

        Connect-DataShareRegister -Path $file -ReadOnly -ErrorAction Stop
        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $fileHead
    }

    It 'refuses to copy a Table register into itself, named by its connection string or by the variable holding it' {
        $name = New-TestRegisterName -Prefix 'self'
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -ErrorAction Stop
        $null = New-TestAgreement
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head

        foreach ($destination in $Tables, 'DSA_PESTER_TABLES') {
            Copy-DataShareRegister -DestinationConnectionString $destination -RegisterName $name -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problems
            $problems.Count | Should -Be 1
            Assert-DataShareError -ErrorRecord $problems[0] -ErrorId 'RegisterCopyToItself' -Category InvalidArgument -Cmdlet 'Copy-DataShareRegister'
        }

        (Test-DataShareAuditLog -ErrorAction Stop).Head | Should -Be $head
    }

    It 'completes agreement ids from the Table register, and the session can still write to it afterwards' {
        $name = New-TestRegisterName -Prefix 'complete'
        Connect-DataShareRegister -ConnectionString $Tables -RegisterName $name -Create -ErrorAction Stop
        $agreement = New-TestAgreement -Id 'DS00752'

        $completion = TabExpansion2 -inputScript 'Get-DataShareAgreement -Id DS007' -cursorColumn 'Get-DataShareAgreement -Id DS007'.Length

        @($completion.CompletionMatches.CompletionText) | Should -Be @($agreement.Id)
        # The completion read the register on its own, read-only; the session's connection still writes.
        $null = New-TestAgreement -Id 'DS00753'
        @(Get-DataShareAgreement -ErrorAction Stop).Count | Should -Be 2
    }
}

