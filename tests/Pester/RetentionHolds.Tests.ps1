#Requires -Version 7.4
# Holds past the due day, as a user types them: Add-DataShareRetentionHold keeps a holding with a reason, an
# approver and a new due day; the plan shows it Held with why; the sweep never deletes it, even when its id is piped
# in; Remove-DataShareRetentionHold lifts it. Refusals carry their ids and categories and write nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $null = New-TestAgreement -Id 'RHD0001' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0

    function New-HoldingFolder {
        param([Parameter(Mandatory)] [string] $Name)

        $folder = [System.IO.Path]::GetFullPath((Join-Path $TestDrive 'holdings' $Name))
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Content -LiteralPath (Join-Path $folder 'pupils.csv') -Value 'upn'
        $folder
    }

    function Get-AuditCount { @(Get-DataShareAuditLog -ErrorAction Stop).Count }

    $Kept = Register-DataShareHolding 'RHD0001' (New-HoldingFolder -Name 'kept') -ErrorAction Stop
    $Other = Register-DataShareHolding 'RHD0001' (New-HoldingFolder -Name 'other') -ErrorAction Stop
    $Withdrawn = Register-DataShareHolding 'RHD0001' (New-HoldingFolder -Name 'withdrawn') -ErrorAction Stop
    $null = Remove-DataShareHolding -Id $Withdrawn.Id -Reason 'mistake' -Confirm:$false -ErrorAction Stop
    $Until = $Today.AddDays(30)
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Add-DataShareRetentionHold refuses what it must, and writes nothing' {
    It 'refuses <Case> with <ErrorId> (<Category>)' -ForEach @(
        @{ Case = 'an unknown holding'; ErrorId = 'HoldingNotFound'; Category = 'ObjectNotFound'; Arguments = { @{ HoldingId = 'HD-0000000000' } } }
        @{ Case = 'a withdrawn holding'; ErrorId = 'HoldingNotHoldable'; Category = 'InvalidOperation'; Arguments = { @{ HoldingId = $Withdrawn.Id } } }
        @{ Case = 'an end of today'; ErrorId = 'HoldUntilInvalid'; Category = 'InvalidArgument'; Arguments = { @{ Until = $Today } } }
        @{ Case = 'an empty reason'; ErrorId = 'HoldReasonMissing'; Category = 'InvalidArgument'; Arguments = { @{ Reason = ' ' } } }
        @{ Case = 'an empty approver'; ErrorId = 'HoldApproverMissing'; Category = 'InvalidArgument'; Arguments = { @{ ApprovedBy = '' } } }
        @{ Case = 'a legal hold without a review day'; ErrorId = 'HoldReviewMissing'; Category = 'InvalidArgument'; Arguments = { @{ Legal = $true } } }
        @{ Case = 'a review day after the end'; ErrorId = 'HoldReviewInvalid'; Category = 'InvalidArgument'; Arguments = { @{ Legal = $true; ReviewOn = $Until.AddDays(1) } } }
    ) {
        $before = Get-AuditCount
        $parameters = @{ HoldingId = $Kept.Id; Reason = 'complaint C-1'; ApprovedBy = 'Dana Officer'; Until = $Until }
        $changes = & $Arguments
        foreach ($key in $changes.Keys) { $parameters[$key] = $changes[$key] }

        $output = @(Add-DataShareRetentionHold @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        $err.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Add-DataShareRetentionHold'
        Get-AuditCount | Should -Be $before
        (Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop).HoldUntil | Should -BeNullOrEmpty
    }

    It 'refuses an approver who is the acting account while RequireSeparateApprover is on' {
        $before = Get-AuditCount
        $me = (Connect-DataShareRegister -Path $RegisterPath -PassThru).Actor
        Set-DataSharePolicy -Name RequireSeparateApprover -Value true -Confirm:$false -ErrorAction Stop
        try {
            $output = @(Add-DataShareRetentionHold $Kept.Id -Reason 'complaint C-1' -ApprovedBy $me.ToUpperInvariant() -Until $Until -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)
        }
        finally {
            Set-DataSharePolicy -Name RequireSeparateApprover -Default -Confirm:$false
        }

        $output.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldApproverIsRequester' -Category PermissionDenied -Cmdlet 'Add-DataShareRetentionHold'
        Get-AuditCount | Should -Be ($before + 2)
        (Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop).HoldUntil | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-AuditCount
        $output = @(Add-DataShareRetentionHold $Kept.Id -Reason 'complaint C-1' -ApprovedBy 'Dana Officer' -Until $Until -WhatIf)

        $output.Count | Should -Be 0
        Get-AuditCount | Should -Be $before
        (Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop).HoldUntil | Should -BeNullOrEmpty
    }

    It 'completes -HoldingId with the held holdings' {
        $typed = 'Add-DataShareRetentionHold -HoldingId HD-'
        $completion = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
        $completion.CompletionMatches.CompletionText | Should -Contain $Kept.Id
    }
}

Describe 'A held holding is planned as Held and never swept' {
    BeforeAll {
        $Hold = @(Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop |
                Add-DataShareRetentionHold -Reason 'complaint C-1 under investigation' -ApprovedBy 'Dana Officer' -Until $Until -Legal -ReviewOn $Today.AddDays(10) -Confirm:$false -ErrorAction Stop)
    }

    It 'takes the holding by property name and records the hold, audited' {
        $Hold.Count | Should -Be 1
        $Hold[0] | Should -BeOfType ([DataShareAdmin.DataShareRetentionHold])
        $Hold[0].HoldingId | Should -Be $Kept.Id
        $Hold[0].Until | Should -Be $Until
        $Hold[0].Active | Should -BeTrue
        $Hold[0].Legal | Should -BeTrue
        $entry = Get-DataShareAuditLog -TargetId $Kept.Id -ErrorAction Stop | Where-Object Action -EQ 'Holding.Hold'
        $entry.Details['Reason'] | Should -Be 'complaint C-1 under investigation'
        $entry.Details['ApprovedBy'] | Should -Be 'Dana Officer'
        $entry.Details['Until'] | Should -Be $Until.ToString('yyyy-MM-dd')
    }

    It 'lists the hold by holding and by agreement, in a table view' {
        (Get-DataShareRetentionHold -HoldingId $Kept.Id -ErrorAction Stop).Reason | Should -Be 'complaint C-1 under investigation'
        @(Get-DataShareRetentionHold 'RHD0001' -ErrorAction Stop).HoldingId | Should -Be @($Kept.Id)
        $table = Get-DataShareRetentionHold 'RHD0001' | Format-Table | Out-String -Width 120
        $table | Should -BeLike '*Until*ApprovedBy*'
        $table | Should -BeLike "*$($Until.ToString('yyyy-MM-dd'))*"
    }

    It 'reports HoldingNotHeld for a holding without a hold' {
        Get-DataShareRetentionHold -HoldingId $Other.Id -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldingNotHeld' -Category InvalidOperation -Cmdlet 'Get-DataShareRetentionHold'
    }

    It 'shows the held holding in the plan as Held, with why and until when' {
        $item = Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object HoldingId -EQ $Kept.Id
        $item.State | Should -Be ([DataShareAdmin.RetentionPlanState]::Held)
        $item.HeldUntil | Should -Be $Until
        $item.Reason | Should -BeLike "*complaint C-1 under investigation*"
        $item.Reason | Should -BeLike "*$($Until.ToString('yyyy-MM-dd'))*"
        (Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object HoldingId -EQ $Other.Id).State | Should -Be 'Due'
    }

    It 'refuses the held holding piped in by id with HoldingHeld, and deletes nothing of it' {
        $records = @(Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object HoldingId -EQ $Kept.Id |
                Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err -WarningAction SilentlyContinue)

        $records.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldingHeld' -Category InvalidOperation -Cmdlet 'Invoke-DataShareRetentionSweep'
        $err[0].TargetObject | Should -Be $Kept.Id
        Test-Path -LiteralPath (Join-Path $Kept.Location 'pupils.csv') | Should -BeTrue
        (Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop).State | Should -Be 'Held'
    }

    It 'sweeps everything else and leaves the held holding' {
        $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue)

        $records.HoldingId | Should -Be @($Other.Id)
        Test-Path -LiteralPath $Other.Location | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $Kept.Location 'pupils.csv') | Should -BeTrue
    }

    It 'shows the hold in the retention report: why and until when' {
        $path = Join-Path $TestDrive 'retention.csv'
        Export-DataShareReport -Kind Retention -Format Csv -Path $path -ErrorAction Stop
        $row = Import-Csv -LiteralPath $path | Where-Object holdingId -EQ $Kept.Id
        $row.heldUntil | Should -Be $Until.ToString('yyyy-MM-dd')
        $row.holdReason | Should -BeLike '*approved by Dana Officer*: complaint C-1 under investigation'
    }
}

Describe 'Remove-DataShareRetentionHold lifts a hold, with a reason' {
    It 'refuses an empty reason with HoldLiftReasonMissing and keeps the hold' {
        Remove-DataShareRetentionHold $Kept.Id -Reason ' ' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldLiftReasonMissing' -Category InvalidArgument -Cmdlet 'Remove-DataShareRetentionHold'
        (Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop).HoldUntil | Should -Be $Until
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-AuditCount
        @(Remove-DataShareRetentionHold $Kept.Id -Reason 'closed' -WhatIf).Count | Should -Be 0
        Get-AuditCount | Should -Be $before
        (Get-DataShareHolding -Id $Kept.Id -ErrorAction Stop).HoldUntil | Should -Be $Until
    }

    It 'lifts a hold piped from Get-DataShareRetentionHold, audited, and the holding is due and swept again' {
        $lifted = @(Get-DataShareRetentionHold 'RHD0001' | Remove-DataShareRetentionHold -Reason 'complaint C-1 closed' -Confirm:$false -ErrorAction Stop)

        $lifted.Count | Should -Be 1
        $lifted[0].HoldUntil | Should -BeNullOrEmpty
        (Get-DataShareAuditLog -TargetId $Kept.Id -ErrorAction Stop | Where-Object Action -EQ 'Holding.HoldLift').Details['Reason'] | Should -Be 'complaint C-1 closed'
        (Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object HoldingId -EQ $Kept.Id).State | Should -Be 'Due'
        $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue)
        $records.HoldingId | Should -Be @($Kept.Id)
        Test-Path -LiteralPath $Kept.Location | Should -BeFalse
    }

    It 'refuses a holding without a hold with HoldingNotHeld' {
        Remove-DataShareRetentionHold $Other.Id -Reason 'x' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'HoldingNotHeld' -Category InvalidOperation -Cmdlet 'Remove-DataShareRetentionHold'
    }
}

Describe 'Help' {
    It 'documents every parameter of <_>' -ForEach 'Add-DataShareRetentionHold', 'Get-DataShareRetentionHold', 'Remove-DataShareRetentionHold' {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($name in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }) {
            ($help.Parameters.Parameter | Where-Object Name -EQ $name).Description | Should -Not -BeNullOrEmpty -Because "-$name of $_ is documented"
        }
    }
}
