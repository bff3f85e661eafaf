#Requires -Version 7.4
# New-, Get-, Set- and Approve-DataShareAgreement against a fresh register in $TestDrive. Agreements name
# organisations already in the register, so the ones named here are added first with New-DataShareOrganisation.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The organisation Get-DataShareTestAgreementParameter names, for the tests that splat it themselves.
    $DefaultOrganisation = Initialize-DataShareTestOrganisation
    $Northbridge = New-DataShareOrganisation -Name 'Northbridge University' -ErrorAction Stop
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'New-DataShareAgreement' {
    It 'creates a Pending agreement and returns it' {
        # Dates relative to today, so the new agreement is Pending (not yet approved) whenever the test runs.
        $starts = [datetime]::Today.AddDays(30)
        $ends = [datetime]::Today.AddDays(400)
        $created = New-TestAgreement -Id 'DS00752' -Organisation 'University of Exampleton' -RetentionDays 90 `
            -StartsOn $starts -EndsOn $ends -DataItem 'KS2 attainment:B3', 'Free school meals:D4'

        $created | Should -BeOfType ([DataShareAdmin.DataShareAgreement])
        $created.Id | Should -Be 'DS00752'
        $created.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
        $created.Organisation | Should -Be 'University of Exampleton'
        $created.OrganisationId | Should -Be $DefaultOrganisation.Id
        $created.AccessRoute | Should -Be ([DataShareAdmin.AccessRoute]::SecureResearchService)
        $created.DirectTransferJustification | Should -BeNullOrEmpty
        $created.StartsOn | Should -Be $starts
        $created.EndsOn | Should -Be $ends
        $created.RetentionDays | Should -Be 90
        $created.ApprovedOn | Should -BeNullOrEmpty
        $created.DataItems.Count | Should -Be 2
        $created.DataItems[1].Name | Should -Be 'Free school meals'
        $created.DataItems[1].Sensitivity | Should -Be 'D'
        $created.DataItems[1].IdentificationRisk | Should -Be 4

        $stored = Get-DataShareAgreement -Id 'DS00752' -ErrorAction Stop
        $stored.Title | Should -Be $created.Title
        ($stored.DataItems | ForEach-Object { $_.ToString() }) -join '; ' | Should -Be 'KS2 attainment:B3; Free school meals:D4'
    }

    It 'stores the id in upper case and finds it in any case' {
        $created = New-TestAgreement -Id 'ds00753'
        $created.Id | Should -Be 'DS00753'
        (Get-DataShareAgreement -Id 'Ds00753' -ErrorAction Stop).Id | Should -Be 'DS00753'
    }

    It 'takes data items as hashtables and normalises their ratings' {
        $created = New-TestAgreement -DataItem @{ Name = ' Attendance '; Sensitivity = 'c'; IdentificationRisk = 2 }
        $created.DataItems.Count | Should -Be 1
        $created.DataItems[0].Name | Should -Be 'Attendance'
        $created.DataItems[0].Sensitivity | Should -Be 'C'
        $created.DataItems[0].IdentificationRisk | Should -Be 2
    }

    It 'takes hashtables and the short form together in one -DataItem' {
        $created = New-TestAgreement -DataItem @{ Name = 'CIN'; Sensitivity = 'd'; IdentificationRisk = 5 }, 'KS4:A1'
        ($created.DataItems | ForEach-Object { $_.ToString() }) -join '|' | Should -Be 'CIN:D5|KS4:A1'
    }

    It 'splits a string of several data items separated by ;' {
        $created = New-TestAgreement -DataItem 'KS2 attainment:B3; FSM eligibility:C4;'
        ($created.DataItems | ForEach-Object { $_.ToString() }) -join '|' | Should -Be 'KS2 attainment:B3|FSM eligibility:C4'
    }

    It 'takes a DataItems column holding several ;-separated items from Import-Csv' {
        # Northbridge University was added in BeforeAll: every row's organisation must be in the register.
        $csv = Join-Path $TestDrive 'agreements-with-items.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @(
            'Id,Organisation,Title,Purpose,LegalGateway,LawfulBasis,StartsOn,EndsOn,DataItems'
            'CSVITEM1,Northbridge University,Reading at Key Stage 1,Research into early reading.,Education Act 1996 s537A,Article 6(1)(e),2025-03-01,2026-02-28,KS1 phonics:B3; FSM eligibility:C4'
            'CSVITEM2,Northbridge University,Reading at Key Stage 2,Research into later reading.,Education Act 1996 s537A,Article 6(1)(e),2025-03-01,2026-02-28,KS2 reading:B2'
        )

        $created = @(Import-Csv -LiteralPath $csv | New-DataShareAgreement -ErrorAction Stop)

        $created.Id | Should -Be @('CSVITEM1', 'CSVITEM2')
        ($created[0].DataItems | ForEach-Object { $_.ToString() }) -join '|' | Should -Be 'KS1 phonics:B3|FSM eligibility:C4'
        ($created[1].DataItems | ForEach-Object { $_.ToString() }) -join '|' | Should -Be 'KS2 reading:B2'
        $stored = Get-DataShareAgreement -Id 'CSVITEM1' -ErrorAction Stop
        @($stored.DataItems).Count | Should -Be 2
    }

    It 'takes the access route and the reason for a direct transfer' {
        $created = New-TestAgreement -AccessRoute DirectTransfer -DirectTransferJustification '  Linked to the council''s own case files.  '
        $created.AccessRoute | Should -Be ([DataShareAdmin.AccessRoute]::DirectTransfer)
        $created.DirectTransferJustification | Should -BeExactly 'Linked to the council''s own case files.'
        (Get-DataShareAgreement -Id $created.Id -ErrorAction Stop).DirectTransferJustification | Should -BeExactly 'Linked to the council''s own case files.'
    }

    It 'creates a DirectTransfer agreement without a reason (it is Pending until one is recorded)' {
        $created = New-TestAgreement -AccessRoute DirectTransfer -DirectTransferJustification ''
        $created.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
        $created.DirectTransferJustification | Should -BeNullOrEmpty
    }

    It 'takes the organisation by name in any case, or by id, and shows the name as the organisation spells it' {
        $byName = New-TestAgreement -Organisation '  northbridge UNIVERSITY '
        $byName.Organisation | Should -BeExactly 'Northbridge University'
        $byName.OrganisationId | Should -Be $Northbridge.Id

        $byId = New-TestAgreement -Organisation $Northbridge.Id.ToLowerInvariant()
        $byId.Organisation | Should -BeExactly 'Northbridge University'
        $byId.OrganisationId | Should -Be $Northbridge.Id

        (Get-DataShareOrganisation -OrganisationId $Northbridge.Id -ErrorAction Stop).AgreementIds | Should -Contain $byName.Id
    }

    It 'records the organisation''s id and the justification in the Agreement.Create audit entry' {
        $created = New-TestAgreement -AccessRoute DirectTransfer
        $entry = @(Get-DataShareAuditLog -TargetId $created.Id -Action 'Agreement.Create' -ErrorAction Stop)
        $entry.Count | Should -Be 1
        $entry[0].Details['OrganisationId'] | Should -Be $DefaultOrganisation.Id
        $entry[0].Details['DirectTransferJustification'] | Should -BeExactly $DataShareTestJustification
    }

    It 'accepts an agreement that starts and ends on the same day' {
        $created = New-TestAgreement -StartsOn '2025-06-01' -EndsOn '2025-06-01'
        $created.EndsOn | Should -Be $created.StartsOn
    }

    It 'creates agreements from piped objects (by property name)' {
        $rows = @(
            New-Object -TypeName psobject -Property (Get-DataShareTestAgreementParameter -Id 'PIPE001')
            New-Object -TypeName psobject -Property (Get-DataShareTestAgreementParameter -Id 'PIPE002')
        )

        $created = @($rows | New-DataShareAgreement -ErrorAction Stop)
        $created.Id | Should -Be @('PIPE001', 'PIPE002')

        # The access route binds by property name too.
        $direct = New-Object -TypeName psobject -Property (Get-DataShareTestAgreementParameter -Id 'PIPE003' -AccessRoute DirectTransfer)
        ($direct | New-DataShareAgreement -ErrorAction Stop).AccessRoute | Should -Be ([DataShareAdmin.AccessRoute]::DirectTransfer)
    }

    Context 'bad input' {
        It 'rejects <Case> with <ErrorId> and writes nothing' -ForEach @(
            @{ Case = 'EndsOn before StartsOn'; ErrorId = 'AgreementDatesInvalid'; Override = @{ Id = 'BAD001'; StartsOn = [datetime]'2026-06-01'; EndsOn = [datetime]'2026-05-31' } }
            @{ Case = 'an unknown classification'; ErrorId = 'DataItemClassificationInvalid'; Override = @{ Id = 'BAD002'; DataItem = @('X:F9') } }
            @{ Case = 'an identification risk above 6'; ErrorId = 'DataItemClassificationInvalid'; Override = @{ Id = 'BAD003'; DataItem = @('KS2 attainment:B7') } }
            @{ Case = 'a data item without a rating'; ErrorId = 'DataItemClassificationInvalid'; Override = @{ Id = 'BAD004'; DataItem = @('KS2 attainment') } }
            @{ Case = 'a hashtable data item with an identification risk above 6'; ErrorId = 'DataItemClassificationInvalid'; Override = @{ Id = 'BAD014'; DataItem = @(@{ Name = 'Bad'; Sensitivity = 'B'; IdentificationRisk = 7 }) } }
            @{ Case = 'a data item listed twice'; ErrorId = 'DataItemDuplicate'; Override = @{ Id = 'BAD005'; DataItem = @('Attendance:C2', 'attendance:B3') } }
            @{ Case = 'a malformed id'; ErrorId = 'AgreementIdInvalid'; Override = @{ Id = 'DS 007/52!' } }
            @{ Case = 'a one-character id'; ErrorId = 'AgreementIdInvalid'; Override = @{ Id = 'D' } }
            @{ Case = 'an id with two separators in a row'; ErrorId = 'AgreementIdInvalid'; Override = @{ Id = 'DS--00752' } }
            @{ Case = 'negative retention'; ErrorId = 'AgreementRetentionInvalid'; Override = @{ Id = 'BAD006'; RetentionDays = -1 } }
            @{ Case = 'retention over ten years'; ErrorId = 'AgreementRetentionInvalid'; Override = @{ Id = 'BAD007'; RetentionDays = 3651 } }
            @{ Case = 'a blank purpose'; ErrorId = 'AgreementFieldMissing'; Override = @{ Id = 'BAD008'; Purpose = '   ' } }
            @{ Case = 'a blank organisation'; ErrorId = 'AgreementFieldMissing'; Override = @{ Id = 'BAD010'; Organisation = '   ' } }
            @{ Case = 'an organisation not in the register'; ErrorId = 'OrganisationNotFound'; Override = @{ Id = 'BAD011'; Organisation = 'University of Nowhere' } }
            @{ Case = 'an organisation id not in the register'; ErrorId = 'OrganisationNotFound'; Override = @{ Id = 'BAD012'; Organisation = 'OR-0000000000' } }
        ) {
            $before = Get-DataShareTestState
            $parameters = Get-DataShareTestAgreementParameter @Override

            { New-DataShareAgreement @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.NewDataShareAgreementCommand"

            $after = Get-DataShareTestState
            $after.Agreements | Should -Be $before.Agreements -Because 'a rejected agreement is not stored'
            $after.Organisations | Should -Be $before.Organisations -Because 'an unknown organisation is never created on the way'
            $after.AuditCount | Should -Be $before.AuditCount -Because 'nothing was changed, so nothing is audited'
            $after.AuditHead | Should -Be $before.AuditHead
        }

        It 'names the organisation it did not find, with the agreement id as the target' {
            $parameters = Get-DataShareTestAgreementParameter -Id 'BAD013' -Organisation 'Univ. of Exampleton'

            $created = @(New-DataShareAgreement @parameters -ErrorAction SilentlyContinue -ErrorVariable problems)

            $created.Count | Should -Be 0
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'OrganisationNotFound,DataShareAdmin.Commands.NewDataShareAgreementCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $problems[0].TargetObject | Should -Be 'BAD013'
            $problems[0].Exception.Message | Should -BeLike "*'Univ. of Exampleton'*New-DataShareOrganisation*"
        }

        It 'rejects a duplicate id (in any case) with AgreementExists and writes nothing' {
            $original = New-TestAgreement -Id 'DUP001' -Title 'The first one'
            $before = Get-DataShareTestState
            $parameters = Get-DataShareTestAgreementParameter -Id 'dup001' -Title 'The second one'

            { New-DataShareAgreement @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId 'AgreementExists,DataShareAdmin.Commands.NewDataShareAgreementCommand'

            $after = Get-DataShareTestState
            $after.Agreements | Should -Be $before.Agreements
            $after.AuditCount | Should -Be $before.AuditCount
            (Get-DataShareAgreement -Id 'DUP001' -ErrorAction Stop).Title | Should -Be $original.Title
        }

        It 'reports the problem as a non-terminating error and goes on with the next piped agreement' {
            $rows = @(
                New-Object -TypeName psobject -Property (Get-DataShareTestAgreementParameter -Id 'NEXT001' -StartsOn '2026-06-01' -EndsOn '2026-05-01')
                New-Object -TypeName psobject -Property (Get-DataShareTestAgreementParameter -Id 'NEXT002')
            )

            $created = @($rows | New-DataShareAgreement -ErrorAction SilentlyContinue -ErrorVariable problems)
            $created.Id | Should -Be 'NEXT002'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'AgreementDatesInvalid,DataShareAdmin.Commands.NewDataShareAgreementCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $problems[0].TargetObject | Should -Be 'NEXT001'
        }

        It 'names the missing field in the AgreementFieldMissing message' {
            $parameters = Get-DataShareTestAgreementParameter -Id 'BAD009' -LawfulBasis '   '
            { New-DataShareAgreement @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId 'AgreementFieldMissing,DataShareAdmin.Commands.NewDataShareAgreementCommand' -ExpectedMessage '*needs a value for LawfulBasis*'
        }
    }

    It '-WhatIf writes nothing' {
        $before = Get-DataShareTestState
        $parameters = Get-DataShareTestAgreementParameter -Id 'WHATIF001'

        $output = New-DataShareAgreement @parameters -WhatIf
        $output | Should -BeNullOrEmpty

        $after = Get-DataShareTestState
        $after.Agreements | Should -Be $before.Agreements
        $after.AuditCount | Should -Be $before.AuditCount
        { Get-DataShareAgreement -Id 'WHATIF001' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementNotFound,DataShareAdmin.Commands.GetDataShareAgreementCommand'
    }
}

Describe 'Get-DataShareAgreement' {
    BeforeAll {
        foreach ($id in 'WILD-001', 'WILD-002', 'WILD-103', 'OTHER01') {
            $null = New-TestAgreement -Id $id
        }
    }

    It 'finds agreements by wildcard (<Pattern>)' -ForEach @(
        @{ Pattern = 'WILD-00*'; Expected = @('WILD-001', 'WILD-002') }
        @{ Pattern = 'wild-*'; Expected = @('WILD-001', 'WILD-002', 'WILD-103') }
        @{ Pattern = 'WILD-?0[23]'; Expected = @('WILD-002', 'WILD-103') }
        @{ Pattern = 'OTH*'; Expected = @('OTHER01') }
    ) {
        $found = @(Get-DataShareAgreement -Id $Pattern -ErrorAction Stop)
        ($found.Id | Sort-Object) -join ',' | Should -Be ($Expected -join ',')
    }

    It 'takes several ids and patterns at once' {
        $found = @(Get-DataShareAgreement -Id 'OTHER01', 'WILD-10*' -ErrorAction Stop)
        $found.Id | Should -Be @('OTHER01', 'WILD-103')
    }

    It 'returns nothing, without an error, when a wildcard matches nothing' {
        $found = @(Get-DataShareAgreement -Id 'NOSUCH*' -ErrorAction Stop -ErrorVariable problems)
        $found.Count | Should -Be 0
        $problems.Count | Should -Be 0
    }

    It 'lists every agreement without -Id, ordered by id' {
        $all = @(Get-DataShareAgreement -ErrorAction Stop)
        $all.Count | Should -BeGreaterOrEqual 4
        # Ids are stored in upper case, so the register's order is ordinal.
        [string[]] $sorted = $all.Id
        [Array]::Sort($sorted, [StringComparer]::Ordinal)
        ($all.Id -join ',') | Should -Be ($sorted -join ',')
    }

    It 'reports AgreementNotFound for an unknown agreement' {
        { Get-DataShareAgreement -Id 'DS99999' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementNotFound,DataShareAdmin.Commands.GetDataShareAgreementCommand'
    }

    It 'reports AgreementIdInvalid for a malformed id' {
        { Get-DataShareAgreement -Id 'not an id!' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementIdInvalid,DataShareAdmin.Commands.GetDataShareAgreementCommand'
    }

    It 'goes on to the next id after an unknown one' {
        $found = @(Get-DataShareAgreement -Id 'DS99998', 'OTHER01' -ErrorAction SilentlyContinue -ErrorVariable problems)
        $found.Id | Should -Be 'OTHER01'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'AgreementNotFound,DataShareAdmin.Commands.GetDataShareAgreementCommand'
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $problems[0].TargetObject | Should -Be 'DS99998'
    }

    It 'completes -Id with the ids in the register that start with what was typed' {
        $completion = TabExpansion2 -inputScript 'Get-DataShareAgreement -Id WILD-0' -cursorColumn 'Get-DataShareAgreement -Id WILD-0'.Length

        @($completion.CompletionMatches.CompletionText) | Should -Be @('WILD-001', 'WILD-002')
    }
}

Describe 'Status by -AsOf' {
    BeforeAll {
        # Approved in January for a share running from 1 March to 31 August 2025.
        $null = New-TestAgreement -Id 'STATUS-APPROVED' -StartsOn '2025-03-01' -EndsOn '2025-08-31' -ApprovalReference 'DSAP-2025-001' -ApprovedOn '2025-01-15'
        $null = New-TestAgreement -Id 'STATUS-PENDING' -StartsOn '2025-03-01' -EndsOn '2025-08-31'
        $null = New-TestAgreement -Id 'STATUS-SUSPENDED' -StartsOn '2025-03-01' -EndsOn '2025-08-31' -ApprovalReference 'DSAP-2025-002' -ApprovedOn '2025-01-15'
        Set-DataShareAgreement -Id 'STATUS-SUSPENDED' -Suspended $true -ErrorAction Stop
    }

    It '<Id> is <Expected> on <AsOf>' -ForEach @(
        @{ Id = 'STATUS-PENDING'; AsOf = '2025-02-01'; Expected = 'Pending' }
        @{ Id = 'STATUS-PENDING'; AsOf = '2025-05-01'; Expected = 'Pending' }
        @{ Id = 'STATUS-PENDING'; AsOf = '2025-08-31'; Expected = 'Pending' }
        # Past its end an agreement is Ended, approved or not.
        @{ Id = 'STATUS-PENDING'; AsOf = '2025-09-01'; Expected = 'Ended' }
        @{ Id = 'STATUS-PENDING'; AsOf = '2025-12-01'; Expected = 'Ended' }
        # Judged on a day before the approval date, an approved agreement is still Pending.
        @{ Id = 'STATUS-APPROVED'; AsOf = '2025-01-14'; Expected = 'Pending' }
        @{ Id = 'STATUS-APPROVED'; AsOf = '2025-01-15'; Expected = 'Approved' }
        @{ Id = 'STATUS-APPROVED'; AsOf = '2025-02-28'; Expected = 'Approved' }
        @{ Id = 'STATUS-APPROVED'; AsOf = '2025-03-01'; Expected = 'Active' }
        @{ Id = 'STATUS-APPROVED'; AsOf = '2025-08-31'; Expected = 'Active' }
        @{ Id = 'STATUS-APPROVED'; AsOf = '2025-09-01'; Expected = 'Ended' }
        @{ Id = 'STATUS-SUSPENDED'; AsOf = '2025-01-14'; Expected = 'Pending' }
        @{ Id = 'STATUS-SUSPENDED'; AsOf = '2025-02-01'; Expected = 'Suspended' }
        @{ Id = 'STATUS-SUSPENDED'; AsOf = '2025-05-01'; Expected = 'Suspended' }
        @{ Id = 'STATUS-SUSPENDED'; AsOf = '2025-09-01'; Expected = 'Ended' }
    ) {
        $agreement = Get-DataShareAgreement -Id $Id -AsOf $AsOf -ErrorAction Stop
        $agreement.Status | Should -Be ([DataShareAdmin.AgreementStatus]$Expected)
        $agreement.StatusAsOf | Should -Be ([datetime]$AsOf)
    }

    It 'filters by -Status on the -AsOf day' {
        $active = @(Get-DataShareAgreement -Id 'STATUS-*' -Status Active -AsOf '2025-05-01' -ErrorAction Stop)
        $active.Id | Should -Be 'STATUS-APPROVED'

        $ended = @(Get-DataShareAgreement -Id 'STATUS-*' -Status Ended -AsOf '2025-09-01' -ErrorAction Stop)
        ($ended.Id | Sort-Object) -join ',' | Should -Be 'STATUS-APPROVED,STATUS-PENDING,STATUS-SUSPENDED'

        $either = @(Get-DataShareAgreement -Id 'STATUS-*' -Status Pending, Suspended -AsOf '2025-05-01' -ErrorAction Stop)
        ($either.Id | Sort-Object) -join ',' | Should -Be 'STATUS-PENDING,STATUS-SUSPENDED'
    }

    It 'applies -Status to an exact id too' {
        @(Get-DataShareAgreement -Id 'STATUS-APPROVED' -Status Ended -AsOf '2025-05-01' -ErrorAction Stop).Count | Should -Be 0
        @(Get-DataShareAgreement -Id 'STATUS-APPROVED' -Status Active -AsOf '2025-05-01' -ErrorAction Stop).Count | Should -Be 1
    }

    It 'filters every agreement by -Status when -Id is not given' {
        $pending = @(Get-DataShareAgreement -Status Pending -AsOf '2025-05-01' -ErrorAction Stop)
        $pending.Id | Should -Contain 'STATUS-PENDING'
        $pending.Id | Should -Not -Contain 'STATUS-APPROVED'
        $pending | ForEach-Object { $_.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending) }
    }

    It 'lifting the suspension makes the agreement Active again' {
        $lifted = Set-DataShareAgreement -Id 'STATUS-SUSPENDED' -Suspended $false -PassThru -ErrorAction Stop
        $lifted.IsSuspended | Should -BeFalse
        (Get-DataShareAgreement -Id 'STATUS-SUSPENDED' -AsOf '2025-05-01' -ErrorAction Stop).Status |
            Should -Be ([DataShareAdmin.AgreementStatus]::Active)
    }

    It 'shows an agreement never approved and past its end as Ended today' {
        $stale = New-TestAgreement -StartsOn '2020-01-01' -EndsOn '2020-12-31'
        $stale.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Ended) -Because 'New-DataShareAgreement returns the status as of today'
        (Get-DataShareAgreement -Id $stale.Id -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Ended)
        @(Get-DataShareAgreement -Status Ended -ErrorAction Stop).Id | Should -Contain $stale.Id
        @(Get-DataShareAgreement -Status Pending -ErrorAction Stop).Id | Should -Not -Contain $stale.Id
    }

    It 'gives each agreement an AgreementId equal to its Id' {
        $agreement = Get-DataShareAgreement -Id 'STATUS-APPROVED' -ErrorAction Stop
        $agreement.AgreementId | Should -Be 'STATUS-APPROVED'
        $agreement.AgreementId | Should -Be $agreement.Id
    }

    It 'judges status on today without -AsOf' {
        $current = New-TestAgreement -ApprovalReference 'DSAP-TODAY'
        $found = Get-DataShareAgreement -Id $current.Id -ErrorAction Stop
        $found.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Active)
        @(Get-DataShareAgreement -Status Active -ErrorAction Stop).Id | Should -Contain $current.Id
    }
}

Describe 'Set-DataShareAgreement' {
    BeforeAll {
        $null = New-TestAgreement -Id 'SET001' -StartsOn '2025-03-01' -EndsOn '2025-08-31' -RetentionDays 30
    }

    It 'changes the fields given and leaves the rest' {
        $changed = Set-DataShareAgreement -Id 'SET001' -Title 'A new title' -RetentionDays 60 -EndsOn '2025-12-31' -PassThru -ErrorAction Stop
        $changed.Title | Should -Be 'A new title'
        $changed.RetentionDays | Should -Be 60
        $changed.EndsOn | Should -Be ([datetime]'2025-12-31')
        $changed.StartsOn | Should -Be ([datetime]'2025-03-01')

        $stored = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $stored.Title | Should -Be 'A new title'
        $stored.RetentionDays | Should -Be 60
        $stored.Organisation | Should -Be $changed.Organisation
    }

    It 'writes nothing without -PassThru' {
        $output = Set-DataShareAgreement -Id 'SET001' -Purpose 'A refined purpose.' -ErrorAction Stop
        $output | Should -BeNullOrEmpty
        (Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).Purpose | Should -Be 'A refined purpose.'
    }

    It 'takes agreements from the pipeline' {
        Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop | Set-DataShareAgreement -LawfulBasis 'UK GDPR Article 6(1)(f)' -ErrorAction Stop
        (Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).LawfulBasis | Should -Be 'UK GDPR Article 6(1)(f)'
    }

    It 'replaces the data items' {
        Set-DataShareAgreement -Id 'SET001' -DataItem 'Exclusions:E5' -ErrorAction Stop
        $items = (Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).DataItems
        @($items).Count | Should -Be 1
        $items[0].ToString() | Should -Be 'Exclusions:E5'
    }

    It 'replaces the data items from one string of ;-separated items' {
        Set-DataShareAgreement -Id 'SET001' -DataItem ' Exclusions:E5 ;Attendance:C2 ' -ErrorAction Stop
        $items = @((Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).DataItems)
        ($items | ForEach-Object { $_.ToString() }) -join '|' | Should -Be 'Exclusions:E5|Attendance:C2'
    }

    It 'names the missing field in the AgreementFieldMissing message' {
        { Set-DataShareAgreement -Id 'SET001' -Purpose '   ' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementFieldMissing,DataShareAdmin.Commands.SetDataShareAgreementCommand' -ExpectedMessage "Agreement 'SET001' needs a value for Purpose*"
        (Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).Purpose | Should -Not -BeNullOrEmpty
    }

    It 'audits nothing when nothing changes' {
        $current = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $before = Get-DataShareTestState
        Set-DataShareAgreement -Id 'SET001' -Title $current.Title -ErrorAction Stop
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'rejects <Case> with <ErrorId> and changes nothing' -ForEach @(
        @{ Case = 'EndsOn before StartsOn'; ErrorId = 'AgreementDatesInvalid'; Change = @{ EndsOn = [datetime]'2025-01-01' } }
        @{ Case = 'an unknown classification'; ErrorId = 'DataItemClassificationInvalid'; Change = @{ DataItem = @('X:F9') } }
        @{ Case = 'retention over ten years'; ErrorId = 'AgreementRetentionInvalid'; Change = @{ RetentionDays = 4000 } }
    ) {
        $was = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $before = Get-DataShareTestState

        { Set-DataShareAgreement -Id 'SET001' @Change -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.SetDataShareAgreementCommand"

        $now = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $now.EndsOn | Should -Be $was.EndsOn
        $now.RetentionDays | Should -Be $was.RetentionDays
        $now.Version | Should -Be $was.Version
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'reports <ErrorId> for <Case>' -ForEach @(
        @{ Case = 'an unknown agreement'; Id = 'DS99999'; ErrorId = 'AgreementNotFound' }
        @{ Case = 'a malformed id'; Id = 'no such id!'; ErrorId = 'AgreementIdInvalid' }
    ) {
        $before = Get-DataShareTestState
        { Set-DataShareAgreement -Id $Id -Title 'Anything' -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.SetDataShareAgreementCommand"
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'moves the agreement to another organisation in the register, by name or id' {
        $moved = Set-DataShareAgreement -Id 'SET001' -Organisation 'NORTHBRIDGE university' -PassThru -ErrorAction Stop
        $moved.Organisation | Should -BeExactly 'Northbridge University'
        $moved.OrganisationId | Should -Be $Northbridge.Id
        $entry = Get-DataShareAuditLog -TargetId 'SET001' -ErrorAction Stop | Select-Object -Last 1
        $entry.Action | Should -Be 'Agreement.Update'
        $entry.Details['Organisation'] | Should -Be "University of Exampleton -> Northbridge University ($($Northbridge.Id))"

        $back = Set-DataShareAgreement -Id 'SET001' -Organisation $DefaultOrganisation.Id -PassThru -ErrorAction Stop
        $back.Organisation | Should -BeExactly 'University of Exampleton'
        $back.OrganisationId | Should -Be $DefaultOrganisation.Id
    }

    It 'refuses an organisation that is not in the register with OrganisationNotFound and changes nothing' {
        $was = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $before = Get-DataShareTestState

        { Set-DataShareAgreement -Id 'SET001' -Organisation 'University of Nowhere' -ErrorAction Stop } |
            Should -Throw -ErrorId 'OrganisationNotFound,DataShareAdmin.Commands.SetDataShareAgreementCommand'

        $now = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $now.OrganisationId | Should -Be $was.OrganisationId
        $now.Version | Should -Be $was.Version
        $after = Get-DataShareTestState
        $after.Organisations | Should -Be $before.Organisations
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'records, replaces and clears the justification of an agreement that is not approved' {
        Set-DataShareAgreement -Id 'SET001' -DirectTransferJustification ' First reason. ' -ErrorAction Stop
        (Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).DirectTransferJustification | Should -BeExactly 'First reason.'
        $entry = Get-DataShareAuditLog -TargetId 'SET001' -ErrorAction Stop | Select-Object -Last 1
        $entry.Details['DirectTransferJustification'] | Should -Be '(none) -> First reason.'

        Set-DataShareAgreement -Id 'SET001' -DirectTransferJustification '' -ErrorAction Stop
        (Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop).DirectTransferJustification | Should -BeNullOrEmpty
    }

    It '-WhatIf changes nothing' {
        $was = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $before = Get-DataShareTestState

        Set-DataShareAgreement -Id 'SET001' -Title 'Not applied' -Suspended $true -WhatIf

        $now = Get-DataShareAgreement -Id 'SET001' -ErrorAction Stop
        $now.Title | Should -Be $was.Title
        $now.IsSuspended | Should -BeFalse
        $now.Version | Should -Be $was.Version
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }
}

Describe 'Approve-DataShareAgreement' {
    It 'records the approval' {
        $agreement = New-TestAgreement -Id 'APPROVE001' -StartsOn '2025-03-01' -EndsOn '2025-08-31'
        $approved = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference ' DSAP-2025-010 ' -ApprovedOn '2025-02-10' -PassThru -ErrorAction Stop

        $approved.ApprovalReference | Should -Be 'DSAP-2025-010'
        $approved.ApprovedOn | Should -Be ([datetime]'2025-02-10')
        $approved.ApprovedBy | Should -Not -BeNullOrEmpty

        $stored = Get-DataShareAgreement -Id 'APPROVE001' -AsOf '2025-05-01' -ErrorAction Stop
        $stored.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Active)
        $stored.ApprovalReference | Should -Be 'DSAP-2025-010'

        # The day before the approval, the agreement was still Pending; from the approval to StartsOn, Approved.
        (Get-DataShareAgreement -Id 'APPROVE001' -AsOf '2025-02-09' -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
        (Get-DataShareAgreement -Id 'APPROVE001' -AsOf '2025-02-10' -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Approved)
    }

    It 'leaves an agreement past its end Ended when it is approved late' {
        $agreement = New-TestAgreement -StartsOn '2020-01-01' -EndsOn '2020-12-31'
        $agreement.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Ended)
        $approved = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-LATE' -ApprovedOn '2021-03-01' -PassThru -ErrorAction Stop
        $approved.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Ended)
    }

    It 'approves today by default and writes nothing without -PassThru' {
        $agreement = New-TestAgreement
        $output = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-DEFAULT' -ErrorAction Stop
        $output | Should -BeNullOrEmpty
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).ApprovedOn | Should -Not -BeNullOrEmpty
    }

    It 'takes agreements from the pipeline' {
        $agreement = New-TestAgreement
        $approved = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop |
            Approve-DataShareAgreement @PanelTests -Reference 'DSAP-PIPE' -ApprovedOn '2025-01-02' -PassThru -ErrorAction Stop
        $approved.Id | Should -Be $agreement.Id
        $approved.ApprovalReference | Should -Be 'DSAP-PIPE'
    }

    It 'refuses to approve twice with AgreementAlreadyApproved and changes nothing' {
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-FIRST' -ApprovedOn '2025-01-20'
        $before = Get-DataShareTestState

        { Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-SECOND' -ApprovedOn '2025-02-20' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementAlreadyApproved,DataShareAdmin.Commands.ApproveDataShareAgreementCommand'

        $stored = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $stored.ApprovalReference | Should -Be 'DSAP-FIRST'
        $stored.ApprovedOn | Should -Be ([datetime]'2025-01-20')
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses an approval date in the future with AgreementApprovalDateInvalid' {
        $agreement = New-TestAgreement
        $before = Get-DataShareTestState

        { Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-LATER' -ApprovedOn (Get-Date).Date.AddDays(7) -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementApprovalDateInvalid,DataShareAdmin.Commands.ApproveDataShareAgreementCommand'

        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).ApprovedOn | Should -BeNullOrEmpty
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'reports <ErrorId> for <Case>' -ForEach @(
        @{ Case = 'an unknown agreement'; Id = 'DS99999'; ErrorId = 'AgreementNotFound' }
        @{ Case = 'a malformed id'; Id = 'no such id!'; ErrorId = 'AgreementIdInvalid' }
    ) {
        $before = Get-DataShareTestState
        { Approve-DataShareAgreement @PanelTests -Id $Id -Reference 'DSAP-X' -ApprovedOn '2025-01-01' -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.ApproveDataShareAgreementCommand"
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses a DirectTransfer agreement without a justification with AgreementJustificationMissing and writes nothing, even with -WhatIf' {
        $agreement = New-TestAgreement -AccessRoute DirectTransfer -DirectTransferJustification ''
        $before = Get-DataShareTestState

        { Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-NOREASON' -ApprovedOn '2025-01-02' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementJustificationMissing,DataShareAdmin.Commands.ApproveDataShareAgreementCommand' -ExpectedMessage '*DirectTransferJustification*'
        { Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-NOREASON' -ApprovedOn '2025-01-02' -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementJustificationMissing,DataShareAdmin.Commands.ApproveDataShareAgreementCommand'

        $stored = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $stored.ApprovedOn | Should -BeNullOrEmpty
        $stored.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
        $after = Get-DataShareTestState
        $after.AuditCount | Should -Be $before.AuditCount
        $after.AuditHead | Should -Be $before.AuditHead
    }

    It 'approves the DirectTransfer agreement once its justification is recorded' {
        $agreement = New-TestAgreement -AccessRoute DirectTransfer -DirectTransferJustification ''
        Set-DataShareAgreement -Id $agreement.Id -DirectTransferJustification 'The panel accepted the council''s need to link its case files.' -ErrorAction Stop

        $approved = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-REASON' -ApprovedOn '2025-01-02' -PassThru -ErrorAction Stop

        $approved.ApprovalReference | Should -Be 'DSAP-REASON'
        $approved.DirectTransferJustification | Should -BeExactly 'The panel accepted the council''s need to link its case files.'
    }

    It 'approves a SecureResearchService agreement without a justification' {
        $agreement = New-TestAgreement -AccessRoute SecureResearchService
        $approved = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-SRS' -ApprovedOn '2025-01-02' -PassThru -ErrorAction Stop
        $approved.ApprovedOn | Should -Be ([datetime]'2025-01-02')
    }

    It 'refuses to clear the justification of an approved DirectTransfer agreement, and changes nothing' {
        $agreement = New-TestAgreement -AccessRoute DirectTransfer -ApprovalReference 'DSAP-KEEP'
        $before = Get-DataShareTestState

        { Set-DataShareAgreement -Id $agreement.Id -DirectTransferJustification '' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementJustificationMissing,DataShareAdmin.Commands.SetDataShareAgreementCommand'

        $stored = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $stored.DirectTransferJustification | Should -BeExactly $DataShareTestJustification
        $stored.Version | Should -Be $agreement.Version
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses to move an approved agreement to DirectTransfer without a justification, and allows it with one' {
        $agreement = New-TestAgreement -AccessRoute SecureResearchService -ApprovalReference 'DSAP-MOVE'
        $before = Get-DataShareTestState

        { Set-DataShareAgreement -Id $agreement.Id -AccessRoute DirectTransfer -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementJustificationMissing,DataShareAdmin.Commands.SetDataShareAgreementCommand'
        $stored = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $stored.AccessRoute | Should -Be ([DataShareAdmin.AccessRoute]::SecureResearchService)
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount

        # Approved, the route changes only by a variation the panel approves: with its reason, it is allowed.
        $null = Request-DataShareVariation -AgreementId $agreement.Id -AccessRoute DirectTransfer -DirectTransferJustification 'Approved by the panel for its own cohort study.' -Reason 'Cohort linkage' -Confirm:$false -ErrorAction Stop |
            Approve-DataShareVariation -Reference 'DSAP-MOVE-2' -Confirm:$false -ErrorAction Stop
        $moved = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $moved.AccessRoute | Should -Be ([DataShareAdmin.AccessRoute]::DirectTransfer)
        $moved.DirectTransferJustification | Should -BeExactly 'Approved by the panel for its own cohort study.'
        # The variation, then the review it makes due (a change of route is one the ICO names).
        $last = @(Get-DataShareAuditLog -TargetId $agreement.Id -ErrorAction Stop | Select-Object -Last 2)
        $last[1].Action | Should -Be 'Agreement.ReviewDue'
        $last[1].Details['SourceKind'] | Should -Be 'Variation'
        $entry = $last[0]
        $entry.Action | Should -Be 'Variation.Approve'
        $entry.Details['Changes'] | Should -BeLike '*AccessRoute: SecureResearchService -> DirectTransfer*'
        $entry.Details['Changes'] | Should -BeLike '*DirectTransferJustification:*'
    }

    It '-WhatIf leaves the agreement Pending' {
        $agreement = New-TestAgreement
        $before = Get-DataShareTestState

        Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-WHATIF' -ApprovedOn '2025-01-02' -WhatIf

        $stored = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
        $stored.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
        $stored.ApprovalReference | Should -BeNullOrEmpty
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }
}
