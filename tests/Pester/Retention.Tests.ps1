#Requires -Version 7.4
# Register-DataShareHolding, Get-DataShareHolding, Get-DataShareRetentionPlan, Invoke-DataShareRetentionSweep and
# Confirm-DataShareDestruction against fresh registers in $TestDrive; local-folder holdings are swept on the disk under
# $TestDrive, and blob holdings in a private Azurite (the storage emulator pinned in tests/azurite) that this file
# starts on free loopback ports and stops when it is done.
#
# The storage tests need node on PATH and Azurite installed in tests/azurite (npm ci there, or run the xunit storage
# tests once, which install it). Without either they are skipped, and the Describe's name says why.
#
# To make an agreement's holdings due today, the agreement ends a few days ago with RetentionDays 0: its due day (the
# day after EndsOn plus RetentionDays) is then in the past, in any time zone. "Today" for the module is judged in
# Europe/London, so the tests never depend on a due day that is exactly today.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Retention against Azurite' -TestFileName 'Retention.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $NightlySweepScript = Join-Path $RepositoryRoot 'docs/nightly-sweep.ps1'
    $HoldingIdPattern = '^HD-[0-9A-HJKMNP-TV-Z]{10}$'
    $DestructionIdPattern = '^DR-[0-9A-HJKMNP-TV-Z]{10}$'

    # Local dates, a few days from today: never today or tomorrow in the register's zone (Europe/London).
    $Today = (Get-Date).Date
    $Yesterday = $Today.AddDays(-1)

    function New-EndedAgreement {
        <# An agreement that ended $EndedDaysAgo days ago and keeps nothing after: its holdings are due. #>
        param(
            [Parameter(Mandatory)] [string] $Id,
            [int] $EndedDaysAgo = 5
        )

        New-TestAgreement -Id $Id -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-$EndedDaysAgo) -RetentionDays 0
    }

    function New-HoldingFolder {
        <#
        A folder under $TestDrive/holdings with a few files: one at the top, one in a sub-folder, one read-only.
        Returns the folder's full path; the files hold 10, 20 and 30 bytes.
        #>
        param([Parameter(Mandatory)] [string] $Name)

        $folder = [System.IO.Path]::GetFullPath((Join-Path $TestDrive 'holdings' $Name))
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'sub') -Force
        [System.IO.File]::WriteAllBytes((Join-Path $folder 'pupils.csv'), [byte[]]::new(10))
        [System.IO.File]::WriteAllBytes((Join-Path $folder 'sub' 'attendance.csv'), [byte[]]::new(20))
        $readOnly = Join-Path $folder 'sub' 'read-only.csv'
        [System.IO.File]::WriteAllBytes($readOnly, [byte[]]::new(30))
        Set-ItemProperty -LiteralPath $readOnly -Name IsReadOnly -Value $true
        $folder
    }

    function Get-RetentionState {
        <# What the current register holds, to show that a refused or -WhatIf command wrote nothing. #>
        [pscustomobject]@{
            Holdings   = @(Get-DataShareHolding -IncludeDestroyed -ErrorAction Stop).Count
            AuditCount = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        }
    }

    function Invoke-NightlySweep {
        <#
        Runs docs/nightly-sweep.ps1 in a child pwsh, as a scheduled job would (the module imported from the build
        under test), and returns its exit code and what it printed.
        #>
        param(
            [Parameter(Mandatory)] [string] $Register
        )

        $quote = { param($text) "'" + $text.Replace("'", "''") + "'" }
        $command = "Import-Module $(& $quote $DataShareModuleManifest) -ErrorAction Stop; " +
        "& $(& $quote $NightlySweepScript) -RegisterPath $(& $quote $Register); exit `$LASTEXITCODE"
        Invoke-DataShareTestPwsh -ArgumentList '-Command', $command
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Register-DataShareHolding' {
    BeforeAll {
        $null = New-EndedAgreement -Id 'RTA0001'
        $null = New-TestAgreement -Id 'RTB0001' -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(60) -RetentionDays 10

        $Account = 'https://retentiontest.blob.core.windows.net'
        $FolderA = New-HoldingFolder -Name 'register-a'
    }

    It 'registers a folder as a LocalFolder holding due the day after the agreement ends plus its retention days' {
        $holding = Register-DataShareHolding -AgreementId 'RTA0001' -Location $FolderA -ErrorAction Stop

        $holding | Should -BeOfType ([DataShareAdmin.DataShareHolding])
        $holding.Id | Should -Match $HoldingIdPattern
        $holding.HoldingId | Should -Be $holding.Id
        $holding.AgreementId | Should -Be 'RTA0001'
        $holding.Kind | Should -Be ([DataShareAdmin.HoldingKind]::LocalFolder)
        $holding.Location | Should -Be $FolderA
        $holding.State | Should -Be ([DataShareAdmin.HoldingState]::Held)
        $holding.TransferId | Should -BeNullOrEmpty
        $holding.DueOn.Date | Should -Be $Today.AddDays(-4)

        $entries = @(Get-DataShareAuditLog -TargetId $holding.Id -ErrorAction Stop)
        $entries.Count | Should -Be 1
        $entries[0].Action | Should -Be 'Holding.Register'
        $entries[0].Details['Location'] | Should -Be $FolderA
    }

    It 'resolves a relative folder from the current location and stores the full path' {
        Push-Location $TestDrive
        try {
            $null = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'holdings' 'relative') -Force
            $holding = Register-DataShareHolding 'RTA0001' 'holdings/relative/' -ErrorAction Stop
        }
        finally {
            Pop-Location
        }

        $holding.Location | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $TestDrive 'holdings' 'relative')))
    }

    It 'reads a blob URI as account, container and a prefix that always ends in /' {
        $holding = Register-DataShareHolding 'RTA0001' "$Account/share/share-12" -ErrorAction Stop

        $holding.Kind | Should -Be ([DataShareAdmin.HoldingKind]::BlobPrefix)
        $holding.StorageAccount | Should -Be 'retentiontest'
        $holding.Container | Should -Be 'share'
        $holding.Prefix | Should -BeExactly 'share-12/'
        $holding.Location | Should -BeExactly "$Account/share/share-12/"
    }

    It 'allows a look-alike prefix (share-123/ beside share-12/) for another agreement' {
        $holding = Register-DataShareHolding 'RTB0001' "$Account/share/share-123/" -ErrorAction Stop

        $holding.AgreementId | Should -Be 'RTB0001'
        $holding.Prefix | Should -BeExactly 'share-123/'
    }

    It 'refuses <Case> for another agreement with HoldingOverlapsAnotherAgreement, and records nothing' -ForEach @(
        @{ Case = 'the same prefix'; Location = 'https://retentiontest.blob.core.windows.net/share/share-12/' }
        @{ Case = 'a prefix inside the held one'; Location = 'https://retentiontest.blob.core.windows.net/share/share-12/2026/' }
        @{ Case = 'the container holding the prefix'; Location = 'https://retentiontest.blob.core.windows.net/share' }
    ) {
        $before = Get-RetentionState

        Register-DataShareHolding 'RTB0001' $Location -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'HoldingOverlapsAnotherAgreement,DataShareAdmin.Commands.RegisterDataShareHoldingCommand'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $err[0].Exception.Message | Should -BeLike '*RTA0001*'
        $after = Get-RetentionState
        $after.Holdings | Should -Be $before.Holdings
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses a sub-folder or a parent of another agreement''s folder, but not a look-alike folder' {
        Register-DataShareHolding 'RTB0001' (Join-Path $FolderA 'sub') -ErrorAction SilentlyContinue -ErrorVariable inside
        Register-DataShareHolding 'RTB0001' (Split-Path $FolderA -Parent) -ErrorAction SilentlyContinue -ErrorVariable parent
        $lookAlike = Register-DataShareHolding 'RTB0001' "$FolderA-2" -AllowMissing -ErrorAction Stop

        $inside[0].FullyQualifiedErrorId | Should -BeLike 'HoldingOverlapsAnotherAgreement,*'
        $parent[0].FullyQualifiedErrorId | Should -BeLike 'HoldingOverlapsAnotherAgreement,*'
        $lookAlike.Location | Should -Be "$FolderA-2"
    }

    It 'allows a holding inside one of the same agreement, but not the same location twice (HoldingExists)' {
        $inside = Register-DataShareHolding 'RTA0001' "$Account/share/share-12/2026/" -ErrorAction Stop
        Register-DataShareHolding 'RTA0001' $FolderA -ErrorAction SilentlyContinue -ErrorVariable err

        $inside.Prefix | Should -BeExactly 'share-12/2026/'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HoldingExists,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
    }

    It 'refuses a location with a SAS token (HoldingLocationHasQuery) and never stores it' {
        $before = Get-RetentionState

        Register-DataShareHolding 'RTA0001' "$Account/other/data/?sv=2026-10-06&sr=c&sig=c2VjcmV0" -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HoldingLocationHasQuery,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $err[0].Exception.Message.Contains('c2VjcmV0') | Should -BeFalse
        (Get-RetentionState).Holdings | Should -Be $before.Holdings
        (@(Get-DataShareAuditLog -ErrorAction Stop).Details.Values -join ' ').Contains('c2VjcmV0') | Should -BeFalse
    }

    It 'refuses the folder the register is in, and the file-system root, with HoldingLocationProtected' {
        Register-DataShareHolding 'RTA0001' (Split-Path $RegisterPath -Parent) -ErrorAction SilentlyContinue -ErrorVariable err
        Register-DataShareHolding 'RTA0001' ([System.IO.Path]::GetPathRoot($TestDrive)) -ErrorAction SilentlyContinue -ErrorVariable root

        $err.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldingLocationProtected' -Category InvalidArgument -Cmdlet 'Register-DataShareHolding'
        $err[0].Exception.Message | Should -BeLike '*holds the register*'
        Assert-DataShareError -ErrorRecord $root[0] -ErrorId 'HoldingLocationProtected' -Category InvalidArgument -Cmdlet 'Register-DataShareHolding'
    }

    It 'refuses <Case> with HoldingLocationInvalid' -ForEach @(
        @{ Case = 'plain http to a storage account'; Location = 'http://retentiontest.blob.core.windows.net/share/x/' }
        @{ Case = 'a blob URI with no container'; Location = 'https://retentiontest.blob.core.windows.net/' }
        @{ Case = 'an invalid container name'; Location = 'https://retentiontest.blob.core.windows.net/Share_Data/x/' }
        @{ Case = 'white space'; Location = '   ' }
        @{ Case = 'a scheme that is neither a folder nor blob storage'; Location = 'ftp://files.example.org/extract/' }
    ) {
        Register-DataShareHolding 'RTA0001' $Location -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldingLocationInvalid' -Category InvalidArgument -Cmdlet 'Register-DataShareHolding'
    }

    It 'refuses an unknown agreement with AgreementNotFound' {
        Register-DataShareHolding 'NOSUCH01' $FolderA -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AgreementNotFound,*'
    }

    It '-WhatIf checks but registers nothing' {
        $before = Get-RetentionState

        $output = @(Register-DataShareHolding 'RTA0001' "$Account/whatif/data/" -WhatIf)

        $output.Count | Should -Be 0
        $after = Get-RetentionState
        $after.Holdings | Should -Be $before.Holdings
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'registers rows piped in by property name' {
        $rows = @(
            [pscustomobject]@{ AgreementId = 'RTB0001'; Location = "$Account/piped/one/" }
            [pscustomobject]@{ AgreementId = 'RTB0001'; Location = "$Account/piped/two/" }
        )

        $registered = @($rows | Register-DataShareHolding -ErrorAction Stop)

        $registered.Count | Should -Be 2
        $registered.Prefix | Should -Be @('one/', 'two/')
    }

    It 'completes -HoldingId and -Id with the ids of the holdings still held' {
        $held = @(Get-DataShareHolding -ErrorAction Stop | ForEach-Object Id | Sort-Object)
        $held.Count | Should -BeGreaterThan 1

        foreach ($typed in 'Invoke-DataShareRetentionSweep -HoldingId HD-', 'Get-DataShareHolding -Id hd-') {
            $completion = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
            @($completion.CompletionMatches.CompletionText | Sort-Object) | Should -Be $held -Because "'$typed' completes the held ids"
        }
    }

    It 'Get-DataShareHolding lists by agreement and by id, and reports an unknown id with HoldingNotFound' {
        $byAgreement = @(Get-DataShareHolding -AgreementId 'RTB0001' -ErrorAction Stop)
        $byAgreement.AgreementId | Sort-Object -Unique | Should -Be 'RTB0001'

        $byId = Get-DataShareHolding -Id $byAgreement[0].Id.ToLowerInvariant() -ErrorAction Stop
        $byId.Id | Should -Be $byAgreement[0].Id

        Get-DataShareHolding -Id 'HD-0000000000' -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'HoldingNotFound,DataShareAdmin.Commands.GetDataShareHoldingCommand'
    }
}

Describe 'Get-DataShareRetentionPlan' {
    BeforeAll {
        # Ends in 10 days, keeps nothing after: due in 11 days.
        $null = New-TestAgreement -Id 'RTP0001' -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(10) -RetentionDays 0
        $NotYet = Register-DataShareHolding 'RTP0001' 'https://retentiontest.blob.core.windows.net/plan/not-yet/' -ErrorAction Stop

        # RTA0001 (ended 5 days ago) holds share-12/; RTB0001 (ends in 60 days) holds share-123/.
        $LookAlikeDue = Get-DataShareHolding 'RTA0001' -ErrorAction Stop | Where-Object Prefix -EQ 'share-12/'
        $LookAlikeNotDue = Get-DataShareHolding 'RTB0001' -ErrorAction Stop | Where-Object Prefix -EQ 'share-123/'

        # Ended 60 days ago and never confirmed: past DestructionConfirmationDays (30).
        $null = New-EndedAgreement -Id 'RTP0002' -EndedDaysAgo 60
    }

    It 'never lists a holding before its own due day' {
        $dayBefore = @(Get-DataShareRetentionPlan -AsOf $Today.AddDays(10) -WarningAction SilentlyContinue -ErrorAction Stop)
        $dueDay = @(Get-DataShareRetentionPlan -AsOf $Today.AddDays(11) -WarningAction SilentlyContinue -ErrorAction Stop)

        $dayBefore.HoldingId | Should -Not -Contain $NotYet.Id
        $item = $dueDay | Where-Object HoldingId -EQ $NotYet.Id
        $item | Should -Not -BeNullOrEmpty
        $item | Should -BeOfType ([DataShareAdmin.RetentionPlanItem])
        $item.AgreementId | Should -Be 'RTP0001'
        $item.DueOn.Date | Should -Be $Today.AddDays(11)
        $item.DaysOverdue | Should -Be 0
        $item.Reason | Should -BeLike '*RTP0001 ended on*'
    }

    It 'keeps look-alike prefixes apart: share-12/ is due with its agreement, share-123/ is not' {
        $plan = @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue -ErrorAction Stop)

        $plan.HoldingId | Should -Contain $LookAlikeDue.Id
        $plan.HoldingId | Should -Not -Contain $LookAlikeNotDue.Id
        ($plan | Where-Object HoldingId -EQ $LookAlikeDue.Id).Location | Should -BeLike '*/share/share-12/'

        $later = @(Get-DataShareRetentionPlan -AsOf $Today.AddDays(100) -WarningAction SilentlyContinue -ErrorAction Stop)
        ($later | Where-Object HoldingId -EQ $LookAlikeNotDue.Id).AgreementId | Should -Be 'RTB0001'
        ($later | Where-Object HoldingId -EQ $LookAlikeDue.Id).AgreementId | Should -Be 'RTA0001'
    }

    It 'follows the agreement when its end date changes' {
        Set-TestAgreementTerms -Id 'RTP0001' -EndsOn $Today.AddDays(20) -Confirm:$false -ErrorAction Stop

        (Get-DataShareHolding -Id $NotYet.Id -ErrorAction Stop).DueOn.Date | Should -Be $Today.AddDays(21)
        @(Get-DataShareRetentionPlan -AsOf $Today.AddDays(11) -WarningAction SilentlyContinue).HoldingId | Should -Not -Contain $NotYet.Id
    }

    It 'warns about an ended agreement whose destruction is not confirmed within DestructionConfirmationDays' {
        $null = Get-DataShareRetentionPlan -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        ($warnings.Message -join "`n") | Should -BeLike '*RTP0002*Confirm-DataShareDestruction*'
        ($warnings.Message -join "`n") | Should -Not -BeLike '*RTA0001*' -Because 'RTA0001 fell due only 4 days ago'
    }
}

Describe 'Sweeping local folders' {
    BeforeAll {
        # A register of its own, so no blob holding of the other Describes is due here.
        $SweepRegister = Join-Path $TestDrive 'sweep' 'register.db'
        Connect-DataShareRegister -Path $SweepRegister -Create -ErrorAction Stop

        $null = New-EndedAgreement -Id 'RTS0001'
        $null = New-TestAgreement -Id 'RTS0002' -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(60)

        $DueFolder = New-HoldingFolder -Name 'sweep-due'
        $KeptFolder = New-HoldingFolder -Name 'sweep-kept'
        $DueHolding = Register-DataShareHolding 'RTS0001' $DueFolder -ErrorAction Stop
        $KeptHolding = Register-DataShareHolding 'RTS0002' $KeptFolder -ErrorAction Stop
    }

    AfterAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'refuses -AsOf later than today with SweepAsOfInFuture and deletes nothing' {
        Invoke-DataShareRetentionSweep -AsOf $Today.AddDays(3) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'SweepAsOfInFuture,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        Test-Path -LiteralPath (Join-Path $DueFolder 'pupils.csv') | Should -BeTrue
    }

    It 'refuses -ThrottleLimit 0 with SweepThrottleLimitInvalid' {
        Invoke-DataShareRetentionSweep -ThrottleLimit 0 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SweepThrottleLimitInvalid,*'
    }

    It '-WhatIf deletes nothing and records nothing' {
        $before = Get-RetentionState

        $output = @(Invoke-DataShareRetentionSweep -WhatIf -ErrorAction Stop)

        $output.Count | Should -Be 0
        @(Get-ChildItem -LiteralPath $DueFolder -Recurse -File -Force).Count | Should -Be 3
        (Get-DataShareHolding -Id $DueHolding.Id -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
        $after = Get-RetentionState
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses a holding that is not due (HoldingNotDue) and touches it not' {
        $output = @(Invoke-DataShareRetentionSweep -HoldingId $KeptHolding.Id -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HoldingNotDue,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidOperation)
        Test-Path -LiteralPath $KeptFolder | Should -BeTrue
    }

    It 'sweeps the due folder: every file deleted, verified, the folder removed, and a record written' {
        $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop)

        $records.Count | Should -Be 1
        $record = $records[0]
        $record | Should -BeOfType ([DataShareAdmin.DestructionRecord])
        $record.Id | Should -Match $DestructionIdPattern
        $record.HoldingId | Should -Be $DueHolding.Id
        $record.AgreementId | Should -Be 'RTS0001'
        $record.Location | Should -Be $DueFolder
        $record.Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::Destroyed)
        $record.Verified | Should -BeTrue
        $record.ObjectsDeleted | Should -Be 3
        $record.BytesDeleted | Should -Be 60
        $record.ObjectsRemaining | Should -Be 0
        $record.SoftDelete | Should -Be 'Off'
        $record.RecoverableUntil | Should -BeNullOrEmpty
        $record.Reason | Should -BeNullOrEmpty
        $record.Operator | Should -Not -BeNullOrEmpty
        $record.Machine | Should -Not -BeNullOrEmpty
        $record.FinishedAt | Should -BeGreaterOrEqual $record.StartedAt

        Test-Path -LiteralPath $DueFolder | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $KeptFolder 'pupils.csv') | Should -BeTrue -Because 'the other agreement''s folder is not due'

        $holding = Get-DataShareHolding -Id $DueHolding.Id -ErrorAction Stop
        $holding.State | Should -Be ([DataShareAdmin.HoldingState]::Destroyed)
        $holding.DestroyedAt | Should -Not -BeNullOrEmpty
        @(Get-DataShareHolding -AgreementId 'RTS0001' -ErrorAction Stop).Count | Should -Be 0
        @(Get-DataShareHolding -AgreementId 'RTS0001' -IncludeDestroyed -ErrorAction Stop).Count | Should -Be 1

        $entry = @(Get-DataShareAuditLog -TargetId $DueHolding.Id -Action 'Holding.Destroy' -ErrorAction Stop)
        $entry.Count | Should -Be 1
        $entry[0].Details['Outcome'] | Should -Be 'Destroyed'
        $entry[0].Details['Verified'] | Should -Be 'true'
        $entry[0].Details['DestructionId'] | Should -Be $record.Id
    }

    It 'does nothing when run again: nothing is due, and the verbose stream says so' {
        $before = Get-RetentionState

        $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -Verbose -ErrorAction Stop 4>&1)

        @($records | Where-Object { $_ -is [DataShareAdmin.DestructionRecord] }).Count | Should -Be 0
        ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike '*Nothing to sweep*'
        (Get-RetentionState).AuditCount | Should -Be $before.AuditCount
        @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue).HoldingId | Should -Not -Contain $DueHolding.Id
    }

    It 'keeps the ended agreement Ended until the organisation''s confirmation is recorded' {
        (Get-DataShareAgreement -Id 'RTS0001' -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Ended)
    }

    It 'refuses a confirmation dated <Case> with DestructionConfirmationInvalid' -ForEach @(
        @{ Case = 'in the future'; Offset = 3 }
        @{ Case = 'before the agreement started'; Offset = -101 }
    ) {
        Confirm-DataShareDestruction -AgreementId 'RTS0001' -ConfirmedBy 'Data Protection Officer' -ConfirmedOn $Today.AddDays($Offset) `
            -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'DestructionConfirmationInvalid,DataShareAdmin.Commands.ConfirmDataShareDestructionCommand'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
    }

    It 'records the confirmation, and the agreement becomes Destroyed' {
        $confirmation = Confirm-DataShareDestruction -AgreementId 'RTS0001' -ConfirmedBy ' Dr Ada Lovell, Data Protection Officer ' `
            -ConfirmedOn $Yesterday -Evidence 'Letter ref DPO/2026/17' -Confirm:$false -ErrorAction Stop

        $confirmation | Should -BeOfType ([DataShareAdmin.DestructionConfirmation])
        $confirmation.AgreementId | Should -Be 'RTS0001'
        $confirmation.ConfirmedBy | Should -BeExactly 'Dr Ada Lovell, Data Protection Officer'
        $confirmation.ConfirmedOn.Date | Should -Be $Yesterday
        $confirmation.Evidence | Should -Be 'Letter ref DPO/2026/17'

        $agreement = Get-DataShareAgreement -Id 'RTS0001' -ErrorAction Stop
        $agreement.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Destroyed)
        $agreement.DestroyedOn | Should -Not -BeNullOrEmpty

        $actions = @(Get-DataShareAuditLog -TargetId 'RTS0001' -ErrorAction Stop).Action
        $actions | Should -Contain 'Agreement.ConfirmDestruction'
        $actions | Should -Contain 'Agreement.Destroyed'
    }

    It 'refuses a second confirmation with DestructionAlreadyConfirmed' {
        Confirm-DataShareDestruction -AgreementId 'RTS0001' -ConfirmedBy 'Someone else' -ConfirmedOn $Yesterday -Confirm:$false `
            -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DestructionAlreadyConfirmed,*'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
    }

    Context 'progress' {
        BeforeAll {
            $ProgressRegister = Join-Path $TestDrive 'progress' 'register.db'
            Connect-DataShareRegister -Path $ProgressRegister -Create -ErrorAction Stop
            $null = New-EndedAgreement -Id 'RTS0005'
            $null = Register-DataShareHolding 'RTS0005' (New-HoldingFolder -Name 'progress-1') -ErrorAction Stop
            $null = Register-DataShareHolding 'RTS0005' (New-HoldingFolder -Name 'progress-2') -ErrorAction Stop
        }

        AfterAll {
            Connect-DataShareRegister -Path $SweepRegister -ErrorAction Stop
        }

        It 'reports the sweep''s progress under one activity and always completes it' {
            $run = Invoke-DataShareTestRunspace -Register $ProgressRegister -ScriptBlock {
                Invoke-DataShareRetentionSweep -Confirm:$false
            }

            $run.Error | Should -BeNullOrEmpty
            @($run.Output).Count | Should -Be 2
            @($run.Progress | Where-Object Activity -EQ 'Retention sweep') | Should -Not -BeNullOrEmpty
            $run.Progress[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
            @(Get-DataShareAuditLog -Action 'Holding.Destroy' -ErrorAction Stop).Count | Should -Be 2
        }
    }

    Context 'limits, the lock and the nightly script' {
        BeforeAll {
            $null = New-EndedAgreement -Id 'RTS0003'
            $LimitFolders = @(New-HoldingFolder -Name 'limit-1'; New-HoldingFolder -Name 'limit-2')
            foreach ($folder in $LimitFolders) {
                $null = Register-DataShareHolding 'RTS0003' $folder -ErrorAction Stop
            }

            $LockPath = $SweepRegister + '.sweep-lock'
        }

        AfterAll {
            Set-DataSharePolicy -Name SweepMaxHoldings -Default -Confirm:$false -ErrorAction SilentlyContinue
        }

        It 'stops a sweep larger than SweepMaxHoldings with SweepLimitExceeded before deleting anything' {
            Set-DataSharePolicy -Name SweepMaxHoldings -Value 1 -Confirm:$false -ErrorAction Stop

            $caught = $null
            try {
                $null = Invoke-DataShareRetentionSweep -Confirm:$false
            }
            catch {
                $caught = $_
            }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be 'SweepLimitExceeded,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::LimitsExceeded)
            $caught.Exception.Message | Should -BeLike '*SweepMaxHoldings*'
            foreach ($folder in $LimitFolders) {
                Test-Path -LiteralPath (Join-Path $folder 'pupils.csv') | Should -BeTrue
            }
        }

        It 'the nightly script exits with 6 over the limits, having deleted nothing' {
            $run = Invoke-NightlySweep -Register $SweepRegister

            $run.ExitCode | Should -Be 6 -Because $run.Output
            foreach ($folder in $LimitFolders) {
                Test-Path -LiteralPath (Join-Path $folder 'pupils.csv') | Should -BeTrue
            }
        }

        It 'refuses a second sweep with SweepAlreadyRunning while the lock is held, and the script exits with 5' {
            Set-DataSharePolicy -Name SweepMaxHoldings -Default -Confirm:$false -ErrorAction Stop
            $lock = [System.IO.File]::Open($LockPath, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
            try {
                $caught = $null
                try {
                    $null = Invoke-DataShareRetentionSweep -Confirm:$false
                }
                catch {
                    $caught = $_
                }

                $run = Invoke-NightlySweep -Register $SweepRegister
            }
            finally {
                $lock.Dispose()
            }

            $caught.FullyQualifiedErrorId | Should -Be 'SweepAlreadyRunning,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceUnavailable)
            $run.ExitCode | Should -Be 5 -Because $run.Output
            foreach ($folder in $LimitFolders) {
                Test-Path -LiteralPath (Join-Path $folder 'pupils.csv') | Should -BeTrue
            }
        }

        It 'the nightly script sweeps what is due once the lock is free, and exits with 0' {
            $run = Invoke-NightlySweep -Register $SweepRegister

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -BeLike '*Destroyed*'
            $run.Output | Should -BeLike '*2 destroyed, 0 blocked, 0 incomplete, 0 error(s)*'
            foreach ($folder in $LimitFolders) {
                Test-Path -LiteralPath $folder | Should -BeFalse
            }
        }

        It 'the nightly script exits with 0 when nothing is due' {
            $run = Invoke-NightlySweep -Register $SweepRegister

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -BeLike '*Nothing was due*'
        }

        It 'the nightly script refuses a register path that names no file, with 1' {
            $run = Invoke-NightlySweep -Register (Join-Path $TestDrive 'sweep' 'no-such-register.db')

            $run.ExitCode | Should -Be 1 -Because $run.Output
            Test-Path -LiteralPath (Join-Path $TestDrive 'sweep' 'no-such-register.db') | Should -BeFalse
        }

        It 'the nightly script uses only core cmdlets, so it runs in DataShareAdmin.Host' {
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($NightlySweepScript, [ref]$null, [ref]$errors)
            $errors.Count | Should -Be 0

            $functions = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true).Name)
            $core = @(Get-Command -Module Microsoft.PowerShell.Core -ErrorAction Stop).Name
            $names = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) |
                    ForEach-Object { $_.GetCommandName() } | Where-Object { $_ } | Sort-Object -Unique)

            $names.Count | Should -BeGreaterThan 0
            foreach ($name in $names) {
                ($name -in $functions -or $name -like '*-DataShare*' -or $name -in $core) |
                    Should -BeTrue -Because "$name must be a core cmdlet, a DataShareAdmin cmdlet or the script's own function"
            }
        }
    }

    # A register of its own, with nothing else due: the blob holding registered here stays due in it from now on, and
    # what the tests above left due (or swept) cannot change what these two see.
    Context 'a blob holding without a storage connection' {
        BeforeAll {
            $UnconnectedRegister = Join-Path $TestDrive 'unconnected' 'register.db'
            Connect-DataShareRegister -Path $UnconnectedRegister -Create -ErrorAction Stop
        }

        AfterAll {
            Connect-DataShareRegister -Path $SweepRegister -ErrorAction Stop
        }

        It 'reports it with SweepStorageNotConnected, and it stays due' {
            $null = New-EndedAgreement -Id 'RTS0004'
            $blob = Register-DataShareHolding 'RTS0004' 'https://notconnectedaccount.blob.core.windows.net/data/extract/' -ErrorAction Stop

            $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

            $records.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SweepStorageNotConnected,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceUnavailable)
            $err[0].TargetObject | Should -Be $blob.Id
            (Get-DataShareHolding -Id $blob.Id -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
            @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue).HoldingId | Should -Contain $blob.Id
        }

        It 'and the nightly script exits with 1' {
            $run = Invoke-NightlySweep -Register $UnconnectedRegister

            $run.ExitCode | Should -Be 1 -Because $run.Output
            $run.Output | Should -BeLike '*0 destroyed, 0 blocked, 0 incomplete, 1 error(s)*'
        }
    }
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'

        function Get-ContainerListing {
            <# The status of listing the container through the transfer's read-and-list link, and the blob names, sorted. #>
            param([Parameter(Mandatory)] $Transfer)

            $response = Invoke-WebRequest -Uri ($Transfer.Uri.Reveal().AbsoluteUri + '&restype=container&comp=list') -NoProxy -SkipHttpErrorCheck
            $names = @()
            if ($response.StatusCode -eq 200) {
                $xml = [xml][System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
                $names = @($xml.EnumerationResults.Blobs.Blob | Where-Object { $_ } | ForEach-Object { $_.Name } | Sort-Object)
            }

            [pscustomobject]@{ StatusCode = [int]$response.StatusCode; Names = $names }
        }

        $Azurite = Start-TestAzurite

        # A register of its own, so only this Describe's holdings are due here.
        Connect-DataShareRegister -Path (Join-Path $TestDrive 'storage' 'register.db') -Create -ErrorAction Stop

        Connect-TestAzuriteStorage -Azurite $Azurite

        # An active DirectTransfer agreement with one ready recipient, and a transfer of a folder with look-alike
        # sub-folders: its container is registered as a holding by the transfer itself.
        $null = New-TestAgreement -Id 'RTX0001' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-RTX1'
        # Data goes directly only to an organisation whose security assessment passed and is current.
        $null = Initialize-DataShareTestOrganisation -PassedAssessment
        $recipient = Add-DataShareRecipient -AgreementId 'RTX0001' -Name 'Rae Ready' -Email 'rae.ready@example.ac.uk' -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number '000000400001' `
            -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
        Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop

        $extract = Join-Path $TestDrive 'storage-extract'
        foreach ($name in 'share-12/a.csv', 'share-123/b.csv', 'top.csv') {
            $path = Join-Path $extract $name
            $null = New-Item -ItemType Directory -Path (Split-Path $path -Parent) -Force
            [System.IO.File]::WriteAllBytes($path, [byte[]]::new(100))
        }

        $Transfer = New-DataShareTransfer -AgreementId 'RTX0001' -Path $extract -ValidFor '02:00:00' -Confirm:$false -ErrorAction Stop
        $ContainerUri = "$($Azurite.BlobEndpoint)/$($Transfer.Container)"

        # A prefix inside the transfer's container, registered for the same agreement (allowed), and another
        # agreement, for the overlap check.
        $PrefixHolding = Register-DataShareHolding 'RTX0001' "$ContainerUri/share-12" -ErrorAction Stop
        $null = New-TestAgreement -Id 'RTX0002'
    }

    AfterAll {
        Stop-TestAzurite -Azurite $Azurite

        Connect-DataShareRegister -Path $RegisterPath -ErrorAction SilentlyContinue
    }

    It 'the transfer registered its container as a holding of the agreement' {
        $holding = Get-DataShareHolding -Id $Transfer.HoldingId -ErrorAction Stop

        $holding.Kind | Should -Be ([DataShareAdmin.HoldingKind]::BlobContainer)
        $holding.TransferId | Should -Be $Transfer.Id
        $holding.StorageAccount | Should -Be 'devstoreaccount1'
        $holding.Container | Should -Be $Transfer.Container
        $holding.Location | Should -Be $ContainerUri
    }

    It 'registers a path-style prefix in the transfer''s container for the same agreement, but not for another' {
        Register-DataShareHolding 'RTX0002' "$ContainerUri/share-123/" -ErrorAction SilentlyContinue -ErrorVariable err

        $PrefixHolding.Kind | Should -Be ([DataShareAdmin.HoldingKind]::BlobPrefix)
        $PrefixHolding.StorageAccount | Should -Be 'devstoreaccount1'
        $PrefixHolding.Prefix | Should -BeExactly 'share-12/'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HoldingOverlapsAnotherAgreement,*'
    }

    It 'nothing is due while the agreement is active and the link works' {
        $plan = @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue -ErrorAction Stop)

        $plan.HoldingId | Should -Not -Contain $Transfer.HoldingId
        $plan.HoldingId | Should -Not -Contain $PrefixHolding.Id
    }

    It 'once the agreement has ended, both holdings are due; -WhatIf measures them and deletes nothing' {
        Set-TestAgreementTerms -Id 'RTX0001' -EndsOn $Today.AddDays(-3) -RetentionDays 0 -Confirm:$false -ErrorAction Stop
        $plan = @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue -ErrorAction Stop)
        $plan.HoldingId | Should -Contain $Transfer.HoldingId
        $plan.HoldingId | Should -Contain $PrefixHolding.Id

        $output = @(Invoke-DataShareRetentionSweep -WhatIf -ErrorAction Stop)

        $output.Count | Should -Be 0
        (Get-ContainerListing -Transfer $Transfer).Names | Should -Be @('share-12/a.csv', 'share-123/b.csv', 'top.csv')
    }

    It 'sweeps the share-12/ prefix alone: share-123/ and the rest of the container stay' {
        $records = @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue | Where-Object HoldingId -EQ $PrefixHolding.Id |
                Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop)

        $records.Count | Should -Be 1
        $records[0].HoldingId | Should -Be $PrefixHolding.Id
        $records[0].Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::Destroyed)
        $records[0].Verified | Should -BeTrue
        $records[0].ObjectsDeleted | Should -Be 1
        $records[0].BytesDeleted | Should -Be 100
        $records[0].SoftDelete | Should -Be 'Off' -Because 'Azurite has no blob soft delete'

        (Get-ContainerListing -Transfer $Transfer).Names | Should -Be @('share-123/b.csv', 'top.csv')
        (Get-DataShareHolding -Id $Transfer.HoldingId -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
    }

    It 'sweeps the transfer''s container: the blobs and the container are gone, verified' {
        $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop)

        $records.Count | Should -Be 1
        $records[0].HoldingId | Should -Be $Transfer.HoldingId
        $records[0].Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::Destroyed)
        $records[0].Verified | Should -BeTrue
        $records[0].ObjectsDeleted | Should -Be 2
        $records[0].ObjectsRemaining | Should -Be 0

        (Get-ContainerListing -Transfer $Transfer).StatusCode | Should -Not -Be 200 -Because 'the container was deleted'
        (Get-DataShareHolding -Id $Transfer.HoldingId -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Destroyed)
    }

    It 'runs again without doing anything, and the confirmation makes the agreement Destroyed' {
        @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop).Count | Should -Be 0

        $null = Confirm-DataShareDestruction -AgreementId 'RTX0001' -ConfirmedBy 'Data Protection Officer' -ConfirmedOn $Yesterday `
            -Confirm:$false -ErrorAction Stop

        (Get-DataShareAgreement -Id 'RTX0001' -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Destroyed)
    }
}
