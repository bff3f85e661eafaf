#Requires -Version 7.4
# The panel's decision recorded with Approve-/Deny-DataShareAgreement, the legal gateway catalogue
# (Get-/Add-/Remove-DataShareLegalGateway, tab completion on -LegalGateway) and separation of duties
# (RequireSeparateApprover) on the built module, against a fresh SQLite register in $TestDrive. Two accounts are
# tested in Core.Tests (SeparationOfDutiesTests, LegalGatewayTests on the Table register); here one account sees the
# policy refuse it, and a self-approval flagged in the Register report.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $Yesterday = (Get-Date).Date.AddDays(-1)
    $null = Initialize-DataShareTestOrganisation
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Approve-DataShareAgreement records the decision' {
    It 'keeps the four tests, the principles, who approved and the conditions, and Get-DataShareAgreement shows them' {
        $null = New-TestAgreement -Id 'PNL001'
        $approved = Approve-DataShareAgreement @PanelTests -Id 'PNL001' -Reference 'DSAP-PNL-1' -ApprovedOn $Yesterday -ApprovedBy ChiefStatistician `
            -Principle @{ SectorBenefit = 'Evidence for schools'; SecondaryResearch = 'NotApplicable'; ResearchInterest = 'NotMet: outside the list' } `
            -Condition 'No linkage', 'Outputs checked' -PassThru -WarningAction SilentlyContinue -ErrorAction Stop

        $decision = (Get-DataShareAgreement -Id 'PNL001').Decision
        $decision.Outcome | Should -Be ([DataShareAdmin.DecisionOutcome]::Approved)
        $decision.DecidedBy | Should -Be ([DataShareAdmin.DecisionMaker]::ChiefStatistician)
        @($decision.Tests).Count | Should -Be 4
        @($decision.Tests | Where-Object Passed).Count | Should -Be 4
        ($decision.Tests | Where-Object Test -EQ 'Secure').Note | Should -Be $PanelTests.Secure
        @($decision.Conditions) | Should -Be @('No linkage', 'Outputs checked')
        ($decision.Principles | Where-Object Principle -EQ 'ResearchInterest').Judgement | Should -Be ([DataShareAdmin.PrincipleJudgement]::NotMet)
        $approved.Decision.ToString() | Should -Be 'Approved by ChiefStatistician: legal, ethical, proportionate, secure; 2 condition(s)'
        ($decision | Format-List | Out-String) | Should -Match 'Tests\s+: Legal: met'
        (Get-DataShareAuditLog -TargetId 'PNL001' -Action 'Agreement.Approve').Details['Test.Legal'] | Should -Be ('Met: ' + $PanelTests.Legal)
    }

    It 'refuses an approval whose test has no note, naming it, and writes nothing' {
        $null = New-TestAgreement -Id 'PNL002'
        $tests = $PanelTests.Clone()
        $tests.Ethical = ' '
        Approve-DataShareAgreement @tests -Id 'PNL002' -Reference 'DSAP-PNL-2' -ApprovedOn $Yesterday -ErrorAction SilentlyContinue -ErrorVariable failure
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementDecisionNoteMissing' -Category InvalidArgument -Cmdlet 'Approve-DataShareAgreement'
        $failure[0].Exception.Message | Should -Match 'Ethical'
        (Get-DataShareAgreement -Id 'PNL002').Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
    }

    It 'refuses an unknown principle and the Chief Statistician for a police share' {
        $null = New-TestAgreement -Id 'PNL003'
        Approve-DataShareAgreement @PanelTests -Id 'PNL003' -Reference 'R' -ApprovedOn $Yesterday -Principle @{ CommercialGain = 'yes' } -ErrorAction SilentlyContinue -ErrorVariable unknown
        Assert-DataShareError -ErrorRecord $unknown[0] -ErrorId 'AgreementDecisionPrincipleUnknown' -Category InvalidArgument -Cmdlet 'Approve-DataShareAgreement'
        $null = Set-DataShareAgreement -Id 'PNL003' -Category Police -ErrorAction Stop
        Approve-DataShareAgreement @PanelTests -Id 'PNL003' -Reference 'R' -ApprovedOn $Yesterday -ApprovedBy ChiefStatistician -ErrorAction SilentlyContinue -ErrorVariable maker
        Assert-DataShareError -ErrorRecord $maker[0] -ErrorId 'AgreementDecisionMakerInvalid' -Category InvalidArgument -Cmdlet 'Approve-DataShareAgreement'
        (Get-DataShareAgreement -Id 'PNL003').ApprovedOn | Should -BeNullOrEmpty
    }

    It 'with -WhatIf writes nothing' {
        $null = New-TestAgreement -Id 'PNL004'
        Approve-DataShareAgreement @PanelTests -Id 'PNL004' -Reference 'R' -ApprovedOn $Yesterday -WhatIf
        (Get-DataShareAgreement -Id 'PNL004').Decision | Should -BeNullOrEmpty
    }
}

Describe 'Deny-DataShareAgreement records the tests not met' {
    It 'keeps each failed test with its note and the public register lists the test names' {
        $null = New-TestAgreement -Id 'PNL010'
        $refused = Deny-DataShareAgreement -Id 'PNL010' -FailedTest Proportionate, Secure -Proportionate 'Every pupil asked for' -Secure 'No accredited environment' `
            -Legal 'Gateway fits' -Reason 'The request was not proportionate.' -RefusedOn $Yesterday -PassThru -ErrorAction Stop
        $refused.Decision.FailedTests | Should -Be 'Proportionate; Secure'
        ($refused.Decision.Tests | Where-Object Test -EQ 'Legal').Passed | Should -BeTrue

        $path = Join-Path $TestDrive 'public.json'
        Export-DataShareReport -Kind PublicRegister -Format Json -Path $path -Force -ErrorAction Stop
        $json = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $row = ($json.sections | Where-Object name -EQ 'refusedOrWithdrawn').rows | Where-Object reference -EQ 'PNL010'
        $row.failedTests | Should -Be 'Proportionate; Secure'
        (Get-Content -LiteralPath $path -Raw) | Should -Not -Match 'No accredited environment'
    }

    It 'refuses a failed test without its note' {
        $null = New-TestAgreement -Id 'PNL011'
        Deny-DataShareAgreement -Id 'PNL011' -FailedTest Ethical -Reason 'No.' -ErrorAction SilentlyContinue -ErrorVariable failure
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementDecisionNoteMissing' -Category InvalidArgument -Cmdlet 'Deny-DataShareAgreement'
        (Get-DataShareAgreement -Id 'PNL011').Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
    }
}

Describe 'The legal gateway catalogue' {
    It 'is seeded with the published gateways and shown as a table' {
        $gateways = @(Get-DataShareLegalGateway)
        $gateways.Count | Should -Be 10
        $gateways.Name | Should -Contain 'Digital Economy Act 2017 Part 5 Chapter 5'
        @($gateways | Where-Object IsSeeded).Count | Should -Be 10
        (Get-DataShareLegalGateway -Name '*Children Act*').Name | Should -Be 'Children Act 1989'
        ($gateways | Format-Table | Out-String -Width 120) | Should -Match 'Seeded\s+Retired\s+AddedBy\s+Name'
    }

    It 'adds a gateway once, audited, whatever its case, and -WhatIf adds nothing' {
        Add-DataShareLegalGateway -Name 'Pester Act 2026' -WhatIf
        @(Get-DataShareLegalGateway -Name 'Pester Act 2026').Count | Should -Be 0
        $added = Add-DataShareLegalGateway -Name 'Pester Act 2026' -ErrorAction Stop
        $added.IsSeeded | Should -BeFalse
        (Get-DataShareAuditLog -Action 'LegalGateway.Add' | Select-Object -Last 1).TargetId | Should -Be 'Pester Act 2026'
        Add-DataShareLegalGateway -Name 'PESTER ACT 2026' -ErrorAction SilentlyContinue -ErrorVariable twice
        Assert-DataShareError -ErrorRecord $twice[0] -ErrorId 'LegalGatewayExists' -Category ResourceExists -Cmdlet 'Add-DataShareLegalGateway'
        Add-DataShareLegalGateway -Name ' ' -ErrorAction SilentlyContinue -ErrorVariable empty
        Assert-DataShareError -ErrorRecord $empty[0] -ErrorId 'LegalGatewayNameMissing' -Category InvalidArgument -Cmdlet 'Add-DataShareLegalGateway'
    }

    It 'retires a gateway in place, piped by name, and never deletes it' {
        $null = Add-DataShareLegalGateway -Name 'Retiring Act 2001' -ErrorAction Stop
        Get-DataShareLegalGateway -Name 'Retiring Act 2001' | Remove-DataShareLegalGateway -Reason 'Repealed' -Confirm:$false -ErrorAction Stop
        @(Get-DataShareLegalGateway -Name 'Retiring Act 2001').Count | Should -Be 0
        (Get-DataShareLegalGateway -Name 'Retiring Act 2001' -IncludeRetired).RetiredReason | Should -Be 'Repealed'
        Remove-DataShareLegalGateway -Name 'No Such Act' -Reason 'x' -ErrorAction SilentlyContinue -ErrorVariable missing
        Assert-DataShareError -ErrorRecord $missing[0] -ErrorId 'LegalGatewayNotFound' -Category ObjectNotFound -Cmdlet 'Remove-DataShareLegalGateway'
    }

    It 'completes -LegalGateway on New- and Set-DataShareAgreement from the catalogue, matching anywhere in the name' {
        foreach ($line in 'New-DataShareAgreement -LegalGateway Alternative', 'Set-DataShareAgreement -LegalGateway Alternative') {
            $matches = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
            $matches.CompletionText | Should -Be @("'Education (Information About Children in Alternative Provision) Regulations 2007'")
        }
    }

    It 'keeps free text with a warning, and the Register report flags it' {
        $params = Get-DataShareTestAgreementParameter -Id 'PNL020' -LegalGateway 'An uncatalogued power'
        $null = New-DataShareAgreement @params -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        "$warned" | Should -Match 'not in the register''s catalogue'
        $catalogued = Get-DataShareTestAgreementParameter -Id 'PNL021' -LegalGateway 'children act 1989'
        (New-DataShareAgreement @catalogued -ErrorAction Stop).LegalGateway | Should -Be 'Children Act 1989'

        $path = Join-Path $TestDrive 'register.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -Force -ErrorAction Stop
        $rows = Import-Csv -LiteralPath $path
        ($rows | Where-Object Reference -EQ 'PNL020').gatewayCheck | Should -Be 'not in the catalogue'
        ($rows | Where-Object Reference -EQ 'PNL021').gatewayCheck | Should -BeNullOrEmpty
    }
}

Describe 'Separation of duties' {
    It 'is off by default on a SQLite register, refuses the creator when on, and a self-approval is flagged' {
        (Get-DataSharePolicy -Name RequireSeparateApprover).Value | Should -Be 'false'
        $null = New-TestAgreement -Id 'PNL030'
        Set-DataSharePolicy -Name RequireSeparateApprover -Value true -Confirm:$false -ErrorAction Stop
        try {
            Approve-DataShareAgreement @PanelTests -Id 'PNL030' -Reference 'DSAP-PNL-30' -ApprovedOn $Yesterday -ErrorAction SilentlyContinue -ErrorVariable denied
            Assert-DataShareError -ErrorRecord $denied[0] -ErrorId 'AgreementApproverIsRequester' -Category PermissionDenied -Cmdlet 'Approve-DataShareAgreement'
            (Get-DataShareAgreement -Id 'PNL030').ApprovedOn | Should -BeNullOrEmpty
        }
        finally {
            Set-DataSharePolicy -Name RequireSeparateApprover -Default -Confirm:$false
        }

        $said = Approve-DataShareAgreement @PanelTests -Id 'PNL030' -Reference 'DSAP-PNL-30' -ApprovedOn $Yesterday -Verbose -ErrorAction Stop 4>&1
        "$said" | Should -Match 'approved by the account that created it'
        (Get-DataShareAgreement -Id 'PNL030').SelfApproved | Should -BeTrue
        $path = Join-Path $TestDrive 'register-sod.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -Force -ErrorAction Stop
        $row = Import-Csv -LiteralPath $path | Where-Object Reference -EQ 'PNL030'
        $row.separationOfDuties | Should -BeLike 'approved by the account that created it (*)'
        $row.decision | Should -Be 'Approved by Panel: legal, ethical, proportionate, secure'
    }
}
