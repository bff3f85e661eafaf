#Requires -Version 7.4
# DPIAs and periodic reviews, as a user types them: Set-DataShareDpia keeps each revision; Add-DataShareReview sets
# when the next review falls due and a Suspend outcome suspends the agreement; Get-DataShareAgreement and
# Get-DataShareReview -Schedule show when a review is due and whether it is overdue. Refusals carry their ids and
# categories and write nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $null = New-TestAgreement -Id 'RVW0001' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-RVW1' -ApprovedOn $Today.AddDays(-10) -NoDpia
    $null = New-TestAgreement -Id 'RVW0002' -ApprovalReference 'DSAP-RVW2' -StartsOn $Today.AddMonths(-20) -ApprovedOn $Today.AddMonths(-14)
    $null = New-TestAgreement -Id 'RVW0003'

    function Get-AuditCount { @(Get-DataShareAuditLog -ErrorAction Stop).Count }

    $Dpia = @{
        AgreementId  = 'RVW0001'
        Reference    = 'DPIA-RVW1'
        SignedOffOn  = $Today.AddDays(-11)
        SignedOffBy  = 'Data Protection Officer'
        ResidualRisk = 'Low'
        Mitigations  = 'Pseudonymised extract'
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Agreements needing attention in the plan and in readiness' {
    It 'warns in Get-DataShareRetentionPlan of a direct transfer without a DPIA and of an overdue review' {
        $null = Get-DataShareRetentionPlan -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        $text = @($warned | ForEach-Object { "$_" }) -join "`n"
        $text | Should -BeLike '*Agreement RVW0001 sends data directly but records no DPIA*Set-DataShareDpia*'
        $text | Should -BeLike "*Agreement RVW0002's review was due on*Add-DataShareReview*"
        $text | Should -Not -BeLike '*RVW0003*'
    }

    It 'warns once per agreement in Test-DataShareRecipient, and still tests every recipient' {
        $null = New-TestAgreement -Id 'RVW0009' -ApprovalReference 'DSAP-RVW9' -StartsOn $Today.AddMonths(-20) -ApprovedOn $Today.AddMonths(-14)
        foreach ($n in 1, 2) {
            $null = Add-DataShareRecipient -AgreementId 'RVW0009' -Name "Reviewed Person $n" -Email "reviewed.$n@example.org" -Confirm:$false -ErrorAction Stop
        }

        $results = @(Test-DataShareRecipient -AgreementId 'RVW0009' -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop)

        $results.Count | Should -Be 2
        @($warned | Where-Object { "$_" -like "*RVW0009's review was due*" }).Count | Should -Be 1
    }
}

Describe 'Set-DataShareDpia' {
    It 'refuses <Case> with <ErrorId> (<Category>) and writes nothing' -ForEach @(
        @{ Case = 'an unknown agreement'; ErrorId = 'AgreementNotFound'; Category = 'ObjectNotFound'; Changes = { @{ AgreementId = 'RVW9999' } } }
        @{ Case = 'a sign-off in the future'; ErrorId = 'DpiaSignedOffInFuture'; Category = 'InvalidArgument'; Changes = { @{ SignedOffOn = $Today.AddDays(2) } } }
        @{ Case = 'an email in the public summary'; ErrorId = 'DpiaSummaryPersonalData'; Category = 'InvalidData'; Changes = { @{ PublicSummary = 'Ask jo@example.org' } } }
        @{ Case = 'blank mitigations'; ErrorId = 'MitigationsMissing'; Category = 'InvalidArgument'; Changes = { @{ Mitigations = ' ' } } }
    ) {
        $before = Get-AuditCount
        $parameters = $Dpia.Clone()
        $changes = & $Changes
        foreach ($key in $changes.Keys) { $parameters[$key] = $changes[$key] }

        $output = @(Set-DataShareDpia @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Set-DataShareDpia'
        Get-AuditCount | Should -Be $before
        @(Get-DataShareDpia -AgreementId 'RVW0001').Count | Should -Be 0
    }

    It 'records nothing with -WhatIf' {
        $before = Get-AuditCount
        @(Set-DataShareDpia @Dpia -WhatIf).Count | Should -Be 0
        Get-AuditCount | Should -Be $before
    }

    It 'records revisions from a piped agreement and shows the current one' {
        $first = Set-DataShareDpia @Dpia -ErrorAction Stop
        $second = Get-DataShareAgreement -Id 'RVW0001' | Set-DataShareDpia -Reference 'DPIA-RVW1b' -SignedOffOn $Today -SignedOffBy 'DPO' -ResidualRisk Medium -Mitigations 'More' -ErrorAction Stop

        ($first.Revision, $second.Revision) | Should -Be @(1, 2)
        (Get-DataShareDpia 'RVW0001').Reference | Should -Be 'DPIA-RVW1b'
        @(Get-DataShareDpia -AgreementId 'RVW0001' -AllRevisions | ForEach-Object IsCurrent) | Should -Be @($false, $true)
        (Get-DataShareAuditLog | Select-Object -Last 1).Action | Should -Be 'Agreement.Dpia'
    }

    It 'formats a DPIA as a table that fits 120 columns' {
        $lines = Get-DataShareDpia 'RVW0001' -AllRevisions | Format-Table | Out-String -Width 120 -Stream | Where-Object { $_ }
        $lines[0] | Should -Match '^Agreement\s+Rev\s+Current\s+Reference'
    }
}

Describe 'Add-DataShareReview and the schedule' {
    It 'shows an agreement approved 14 months ago as overdue, and a review sets the next due day' {
        $agreement = Get-DataShareAgreement -Id 'RVW0002'
        $agreement.ReviewOverdue | Should -BeTrue
        $agreement.NextReviewDue | Should -Be $Today.AddMonths(-14).AddMonths(12)
        (Get-DataShareAgreement -Id 'RVW0002' | Format-Table | Out-String -Width 120) | Should -Match '!'

        $review = Get-DataShareAgreement -Id 'RVW0002' | Add-DataShareReview -Reviewer 'Panel' -Outcome Continue -Notes 'Still needed' -ErrorAction Stop

        $review.NextReviewDue | Should -Be $Today.AddMonths(12)
        (Get-DataShareAgreement -Id 'RVW0002').ReviewOverdue | Should -BeFalse
        $schedule = Get-DataShareReview -AgreementId 'RVW0002' -Schedule
        ($schedule.IsOverdue, $schedule.LastReviewedOn) | Should -Be @($false, $Today)
        @(Get-DataShareReview 'RVW0002').Count | Should -Be 1
    }

    It 'refuses <Case> with <ErrorId> (<Category>) and writes nothing' -ForEach @(
        @{ Case = 'a pending agreement'; ErrorId = 'ReviewAgreementNotApproved'; Category = 'InvalidOperation'; Changes = { @{ AgreementId = 'RVW0003' } } }
        @{ Case = 'a day in the future'; ErrorId = 'ReviewDateInvalid'; Category = 'InvalidArgument'; Changes = { @{ ReviewedOn = $Today.AddDays(3) } } }
        @{ Case = 'an unknown agreement'; ErrorId = 'AgreementNotFound'; Category = 'ObjectNotFound'; Changes = { @{ AgreementId = 'RVW9999' } } }
    ) {
        $before = Get-AuditCount
        $parameters = @{ AgreementId = 'RVW0001'; Reviewer = 'Panel'; Outcome = 'Continue' }
        $changes = & $Changes
        foreach ($key in $changes.Keys) { $parameters[$key] = $changes[$key] }

        $output = @(Add-DataShareReview @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Add-DataShareReview'
        Get-AuditCount | Should -Be $before
    }

    It 'suspends the agreement on a Suspend outcome, and -WhatIf changes nothing' {
        $before = Get-AuditCount
        @(Add-DataShareReview 'RVW0001' -Reviewer 'Panel' -Outcome Suspend -WhatIf).Count | Should -Be 0
        Get-AuditCount | Should -Be $before

        $null = Add-DataShareReview 'RVW0001' -Reviewer 'Panel' -Outcome Suspend -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop

        (Get-DataShareAgreement 'RVW0001').Status | Should -Be 'Suspended'
        ($warned -join ' ') | Should -Match 'suspended'
        @(Get-DataShareAuditLog | Select-Object -Last 2 | ForEach-Object Action) | Should -Be @('Agreement.Review', 'Agreement.Suspend')
    }

    It 'warns that a variation must be requested on a Vary outcome' {
        $null = Add-DataShareReview 'RVW0002' -Reviewer 'Panel' -Outcome Vary -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        ($warned -join ' ') | Should -Match 'variation'
    }

    It 'takes an agreement''s own interval, and refuses one out of range' {
        Set-DataShareAgreement -Id 'RVW0002' -ReviewIntervalMonths 6 -Confirm:$false -ErrorAction Stop
        (Get-DataShareReview 'RVW0002' -Schedule).IntervalMonths | Should -Be 6
        { Set-DataShareAgreement -Id 'RVW0002' -ReviewIntervalMonths 61 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DataShareAdmin.Commands.SetDataShareAgreementCommand'
    }

    It 'completes agreement ids and outcomes' {
        $completion = TabExpansion2 -inputScript 'Add-DataShareReview -AgreementId RVW000' -cursorColumn 'Add-DataShareReview -AgreementId RVW000'.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'RVW0001'
        $completion = TabExpansion2 -inputScript 'Add-DataShareReview -Outcome Sus' -cursorColumn 'Add-DataShareReview -Outcome Sus'.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'Suspend'
    }

    It 'has help with examples' {
        foreach ($name in 'Set-DataShareDpia', 'Get-DataShareDpia', 'Add-DataShareReview', 'Get-DataShareReview') {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -Match '^\s*$'
            @($help.Examples.Example).Count | Should -BeGreaterThan 0
        }
    }
}
