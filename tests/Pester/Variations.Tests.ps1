#Requires -Version 7.4
# Variations as a user types them: an approved agreement's terms change only by a variation the panel approves
# (Set-DataShareAgreement refuses them), an extension is requested and approved and becomes version 2 of the terms
# (Get-DataShareAgreement -History; -AsOf a past day shows the terms then), an extension after destruction is
# refused, and Suspend-/Resume-DataShareAgreement take a reason. Refusals carry their ids and write nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $Agreement = New-TestAgreement -Id 'VAR0001' -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(60) -ApprovalReference 'DSAP-VAR-1' -ApprovedOn $Today.AddDays(-40)
    $Pending = New-TestAgreement -Id 'VAR0002' -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(60)

    function Get-AuditCount { @(Get-DataShareAuditLog -ErrorAction Stop).Count }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Set-DataShareAgreement on an approved agreement' {
    It 'refuses -EndsOn with AgreementTermsNeedVariation naming Request-DataShareVariation, and writes nothing' {
        $before = Get-AuditCount
        Set-DataShareAgreement -Id VAR0001 -EndsOn $Today.AddDays(400) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'AgreementTermsNeedVariation' -Category 'InvalidOperation' -Cmdlet 'Set-DataShareAgreement'
        $err[0].Exception.Message | Should -Match 'Request-DataShareVariation'
        Get-AuditCount | Should -Be $before
        (Get-DataShareAgreement VAR0001).EndsOn | Should -Be $Today.AddDays(60)
    }

    It 'still changes the officer directly, and every field of an agreement not yet approved' {
        (Set-DataShareAgreement -Id VAR0001 -OfficerName 'Dana Officer' -PassThru -Confirm:$false -ErrorAction Stop).OfficerName | Should -Be 'Dana Officer'
        (Set-DataShareAgreement -Id VAR0002 -EndsOn $Today.AddDays(90) -PassThru -Confirm:$false -ErrorAction Stop).EndsOn | Should -Be $Today.AddDays(90)
    }
}

Describe 'Request-, Approve- and Get-DataShareVariation' {
    It 'refuses <Case> with <ErrorId> and writes nothing' -ForEach @(
        @{ Case = 'an agreement not yet approved'; ErrorId = 'VariationAgreementNotApproved'; Category = 'InvalidOperation'; Arguments = { @{ AgreementId = 'VAR0002' } } }
        @{ Case = 'an unknown agreement'; ErrorId = 'AgreementNotFound'; Category = 'ObjectNotFound'; Arguments = { @{ AgreementId = 'VAR9999' } } }
        @{ Case = 'no change'; ErrorId = 'VariationNoChange'; Category = 'InvalidArgument'; Arguments = { @{ EndsOn = $Today.AddDays(60) } } }
        @{ Case = 'an empty reason'; ErrorId = 'VariationReasonMissing'; Category = 'InvalidArgument'; Arguments = { @{ Reason = ' ' } } }
    ) {
        $before = Get-AuditCount
        $parameters = @{ AgreementId = 'VAR0001'; EndsOn = $Today.AddDays(400); Reason = 'More time' }
        $changes = & $Arguments
        foreach ($key in $changes.Keys) { $parameters[$key] = $changes[$key] }

        $output = @(Request-DataShareVariation @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Request-DataShareVariation'
        Get-AuditCount | Should -Be $before
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-AuditCount
        Request-DataShareVariation VAR0001 -EndsOn $Today.AddDays(400) -Reason 'More time' -WhatIf | Should -BeNullOrEmpty
        Get-AuditCount | Should -Be $before
    }

    It 'records an extension, keeps the terms until approval, then makes them version 2' {
        $variation = Get-DataShareAgreement VAR0001 | Request-DataShareVariation -EndsOn $Today.AddDays(400) -Reason 'The analysis needs another year.' -Confirm:$false -ErrorAction Stop
        $variation | Should -BeOfType ([DataShareAdmin.DataShareVariation])
        $variation.Kind | Should -Be 'Extension'
        $variation.State | Should -Be 'Requested'
        (Get-DataShareAgreement VAR0001).EndsOn | Should -Be $Today.AddDays(60)
        (Get-DataShareVariation VAR0001 -State Requested).Id | Should -Be $variation.Id

        $approved = $variation | Approve-DataShareVariation -Reference 'DSAP-VAR-2' -Confirm:$false -ErrorAction Stop
        $approved.State | Should -Be 'Approved'
        $approved.TermsVersion | Should -Be 2
        (Get-DataShareAgreement VAR0001).EndsOn | Should -Be $Today.AddDays(400)

        $history = @(Get-DataShareAgreement VAR0001 -History)
        $history.Number | Should -Be @(1, 2)
        $history.ApprovalReference | Should -Be @('DSAP-VAR-1', 'DSAP-VAR-2')
        $history[1].VariationId | Should -Be $variation.Id
        $history[0] | Should -BeOfType ([DataShareAdmin.AgreementTermsVersion])
        ($history | Out-String -Width 120) | Should -Match 'DSAP-VAR-2'

        # Yesterday the first terms were in force.
        (Get-DataShareAgreement VAR0001 -AsOf $Today.AddDays(-1)).EndsOn | Should -Be $Today.AddDays(60)
        ((Get-DataShareVariation -Id $variation.Id) | Out-String -Width 120) | Should -Match 'Extension'

        Approve-DataShareVariation -Id $variation.Id -Reference 'DSAP-X' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'VariationNotRequested' -Category 'InvalidOperation' -Cmdlet 'Approve-DataShareVariation'
    }

    It 'denies and withdraws requested variations' {
        $denied = Request-DataShareVariation VAR0001 -Purpose 'A wider purpose' -Reason 'Scope grew.' -Confirm:$false -ErrorAction Stop
        (Deny-DataShareVariation -Id $denied.Id -Reason 'Not proportionate.' -Confirm:$false -ErrorAction Stop).State | Should -Be 'Denied'
        $withdrawn = Request-DataShareVariation VAR0001 -RetentionDays 60 -Reason 'Longer checks.' -Confirm:$false -ErrorAction Stop
        (Close-DataShareVariation -Id $withdrawn.Id -Reason 'No longer needed.' -Confirm:$false -ErrorAction Stop).State | Should -Be 'Withdrawn'
        (Get-DataShareAgreement VAR0001).RetentionDays | Should -Not -Be 60
    }
}

Describe 'An extension after destruction' {
    It 'is refused with VariationExtensionAfterDestruction' {
        $null = New-TestAgreement -Id 'VAR0003' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0 -ApprovalReference 'DSAP-VAR-3' -ApprovedOn $Today.AddDays(-110)
        $folder = [System.IO.Path]::GetFullPath((Join-Path $TestDrive 'var0003'))
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Content -LiteralPath (Join-Path $folder 'pupils.csv') -Value 'upn'
        $holding = Register-DataShareHolding 'VAR0003' $folder -ErrorAction Stop
        $null = Invoke-DataShareRetentionSweep -HoldingId $holding.Id -Confirm:$false -ErrorAction Stop

        $before = Get-AuditCount
        Request-DataShareVariation VAR0003 -EndsOn $Today.AddDays(100) -Reason 'Revive it' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'VariationExtensionAfterDestruction' -Category 'InvalidOperation' -Cmdlet 'Request-DataShareVariation'
        Get-AuditCount | Should -Be $before
        (Get-DataShareAgreement VAR0003).Status | Should -Be 'Ended'
    }
}

Describe 'Suspend- and Resume-DataShareAgreement' {
    It 'suspends with a reason, refuses a second suspension, and resumes' {
        $suspended = Suspend-DataShareAgreement -Id VAR0001 -Reason 'Incident under investigation.' -PassThru -Confirm:$false -ErrorAction Stop
        $suspended.Status | Should -Be 'Suspended'
        $suspended.SuspensionReason | Should -Be 'Incident under investigation.'
        (Get-DataShareAuditLog -Action 'Agreement.Suspend' -ErrorAction Stop | Select-Object -Last 1).Details['Reason'] | Should -Be 'Incident under investigation.'

        Suspend-DataShareAgreement VAR0001 -Reason 'again' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'AgreementAlreadySuspended' -Category 'InvalidOperation' -Cmdlet 'Suspend-DataShareAgreement'

        (Get-DataShareAgreement VAR0001 | Resume-DataShareAgreement -Reason 'Closed.' -PassThru -Confirm:$false -ErrorAction Stop).Status | Should -Be 'Active'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-AuditCount
        Suspend-DataShareAgreement VAR0001 -Reason 'r' -WhatIf
        Get-AuditCount | Should -Be $before
        (Get-DataShareAgreement VAR0001).Status | Should -Be 'Active'
    }
}
