#Requires -Version 7.4
# Holdings a sweep can trust, as a user types them: a file, a system folder, a mistyped path or a pasted newline is
# refused by Register-DataShareHolding with its own error id and nothing written; a folder not there at the sweep is
# reported NotFound, never destroyed; and Remove-DataShareHolding withdraws a mistaken holding.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $null = New-TestAgreement -Id 'HSF0001' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0
    $null = New-TestAgreement -Id 'HSF0002' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0

    function New-HoldingFolder {
        param([Parameter(Mandatory)] [string] $Name)

        $folder = [System.IO.Path]::GetFullPath((Join-Path $TestDrive 'holdings' $Name))
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Content -LiteralPath (Join-Path $folder 'pupils.csv') -Value 'upn'
        $folder
    }

    function Get-HoldingState {
        [pscustomobject]@{
            Holdings   = @(Get-DataShareHolding -IncludeDestroyed -ErrorAction Stop).Count
            AuditCount = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Register-DataShareHolding refuses a location a sweep could not trust, and writes nothing' {
    BeforeAll {
        $Extract = New-HoldingFolder -Name 'extract'
        $LinkToEtc = Join-Path $TestDrive 'holdings' 'to-etc'
        $null = New-Item -ItemType SymbolicLink -Path $LinkToEtc -Target '/etc'
    }

    It 'refuses <Case> with <ErrorId> (<Category>)' -ForEach @(
        @{ Case = 'a file'; ErrorId = 'HoldingLocationNotFolder'; Category = 'InvalidArgument'; Location = { Join-Path $Extract 'pupils.csv' } }
        @{ Case = '/etc'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { '/etc' } }
        @{ Case = 'a folder inside /usr'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { '/usr/share/doc' } }
        @{ Case = 'the file-system root'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { '/' } }
        @{ Case = 'the home folder'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { $HOME } }
        @{ Case = 'the home folder as ~'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { '~' } }
        @{ Case = 'a path that climbs to /etc'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { "$TestDrive/holdings/../../../../../../../../etc/" } }
        @{ Case = 'a link to /etc'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { $LinkToEtc } }
        @{ Case = 'the module''s folder'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'; Location = { $DataShareModuleDirectory } }
        @{ Case = 'a mistyped path'; ErrorId = 'HoldingLocationNotFound'; Category = 'ObjectNotFound'; Location = { Join-Path $TestDrive 'holdings' 'extarct' } }
        @{ Case = 'percent escapes, read literally'; ErrorId = 'HoldingLocationNotFound'; Category = 'ObjectNotFound'; Location = { '/tmp/%2E%2E/etc' } }
        @{ Case = 'a pasted newline'; ErrorId = 'HoldingLocationInvalid'; Category = 'InvalidArgument'; Location = { "$Extract`n" } }
        @{ Case = 'an escape sequence'; ErrorId = 'HoldingLocationInvalid'; Category = 'InvalidArgument'; Location = { "$Extract`e[2J" } }
        @{ Case = 'a NUL'; ErrorId = 'HoldingLocationInvalid'; Category = 'InvalidArgument'; Location = { "$Extract`0" } }
    ) {
        $before = Get-HoldingState
        $typed = & $Location

        Register-DataShareHolding -AgreementId 'HSF0001' -Location $typed -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Register-DataShareHolding'
        $err[0].Exception.Message | Should -Not -Match '[\x00-\x08\x0B\x0C\x0E-\x1F]'
        $after = Get-HoldingState
        $after.Holdings | Should -Be $before.Holdings
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'says how to register a copy not reachable now' {
        Register-DataShareHolding 'HSF0001' (Join-Path $TestDrive 'holdings' 'laptop') -ErrorAction SilentlyContinue -ErrorVariable err

        $err[0].Exception.Message | Should -BeLike '*-AllowMissing*'
    }

    It 'records what it checked: Found, Missing with -AllowMissing (and a warning), NotChecked for blobs' {
        $found = Register-DataShareHolding 'HSF0001' $Extract -ErrorAction Stop
        $missing = Register-DataShareHolding 'HSF0001' (Join-Path $TestDrive 'holdings' 'laptop') -AllowMissing -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        $blob = Register-DataShareHolding 'HSF0001' 'https://holdingsafety.blob.core.windows.net/data/ds1/' -ErrorAction Stop

        $found.LocationCheck | Should -Be ([DataShareAdmin.HoldingLocationCheck]::Found)
        $missing.LocationCheck | Should -Be ([DataShareAdmin.HoldingLocationCheck]::Missing)
        $blob.LocationCheck | Should -Be ([DataShareAdmin.HoldingLocationCheck]::NotChecked)
        "$warned" | Should -BeLike "*$($missing.Id)*NotFound*"
        (Get-DataShareHolding -Id $missing.Id -ErrorAction Stop).LocationCheck | Should -Be 'Missing'
        (Get-DataShareAuditLog -TargetId $missing.Id -ErrorAction Stop).Details['LocationCheck'] | Should -Be 'Missing'
    }
}

Describe 'A sweep never claims a destruction it did not make' {
    BeforeAll {
        $Never = Register-DataShareHolding 'HSF0002' (Join-Path $TestDrive 'holdings' 'never-made') -AllowMissing -WarningAction SilentlyContinue -ErrorAction Stop
        $BecomesFile = Register-DataShareHolding 'HSF0002' (New-HoldingFolder -Name 'becomes-file') -ErrorAction Stop
        $Plain = Register-DataShareHolding 'HSF0002' (New-HoldingFolder -Name 'plain') -ErrorAction Stop
        Remove-Item -LiteralPath $BecomesFile.Location -Recurse -Force
        Set-Content -LiteralPath $BecomesFile.Location -Value 'not a folder any more'

        $Records = @(Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object AgreementId -EQ 'HSF0002' |
                Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable SweepErrors -WarningVariable SweepWarnings -WarningAction SilentlyContinue)
    }

    It 'reports a folder never found as NotFound, not verified, and keeps it held' {
        $record = $Records | Where-Object HoldingId -EQ $Never.Id
        $record.Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::NotFound)
        $record.Verified | Should -BeFalse
        $record.Reason | Should -BeLike '*never been found*'
        (Get-DataShareHolding -Id $Never.Id -ErrorAction Stop).State | Should -Be 'Held'
        "$SweepWarnings" | Should -BeLike "*$($Never.Id)*NotFound*Remove-DataShareHolding*"
    }

    It 'fails a folder that became a file with SweepHoldingUnsafe, leaves the file, and sweeps the rest' {
        $SweepErrors.Count | Should -Be 1
        $SweepErrors[0].FullyQualifiedErrorId | Should -BeLike 'SweepHoldingUnsafe,*'
        $SweepErrors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
        $SweepErrors[0].TargetObject | Should -Be $BecomesFile.Id
        Get-Content -LiteralPath $BecomesFile.Location | Should -Be 'not a folder any more'
        ($Records | Where-Object HoldingId -EQ $BecomesFile.Id) | Should -BeNullOrEmpty
        ($Records | Where-Object HoldingId -EQ $Plain.Id).Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::Destroyed)
        Test-Path -LiteralPath $Plain.Location | Should -BeFalse
    }

    It 'makes the nightly sweep script exit 1 and say the holding was not found' {
        $script = Join-Path (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent) 'docs/nightly-sweep.ps1'
        $quote = { param($text) "'" + $text.Replace("'", "''") + "'" }
        $command = "Import-Module $(& $quote $DataShareModuleManifest) -ErrorAction Stop; " +
        "& $(& $quote $script) -RegisterPath $(& $quote $RegisterPath); exit `$LASTEXITCODE"

        $run = Invoke-DataShareTestPwsh -ArgumentList '-Command', $command

        $run.ExitCode | Should -Be 1 -Because $run.Output
        "$($run.Output)" | Should -BeLike "*$($Never.Id) NotFound: 0 object(s)*"
        # The error view wraps lines and colours them: compare without colour codes, white space and the margin's '|'.
        ("$($run.Output) $($run.Error)" -replace '\e\[[0-9;]*m', '' -replace '[\s|]', '') | Should -BeLike '*holding(s)werenotfound(outcomeNotFound)*'
        (Get-DataShareHolding -Id $Never.Id -ErrorAction Stop).State | Should -Be 'Held'
    }

    It 'shows NotFound in the retention report' {
        $path = Join-Path $TestDrive 'retention.csv'
        Export-DataShareReport -Kind Retention -Format Csv -Path $path -ErrorAction Stop
        $row = Import-Csv -LiteralPath $path | Where-Object holdingId -EQ $Never.Id
        $row.state | Should -Be 'NotFound'
    }
}

Describe 'Remove-DataShareHolding' {
    BeforeAll {
        $null = New-TestAgreement -Id 'HSF0003' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0
        $Mistake = Register-DataShareHolding 'HSF0003' (New-HoldingFolder -Name 'mistake') -ErrorAction Stop
    }

    It 'is ConfirmImpact High, with -WhatIf and -Confirm' {
        $command = Get-Command Remove-DataShareHolding
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }

    It '-WhatIf withdraws nothing' {
        $before = Get-HoldingState

        $output = @(Remove-DataShareHolding -Id $Mistake.Id -Reason 'wrong folder' -WhatIf)

        $output.Count | Should -Be 0
        (Get-DataShareHolding -Id $Mistake.Id -ErrorAction Stop).State | Should -Be 'Held'
        (Get-HoldingState).AuditCount | Should -Be $before.AuditCount
    }

    It 'completes -Id with the held holdings' {
        $typed = 'Remove-DataShareHolding -Id HD-'
        $completion = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
        $completion.CompletionMatches.CompletionText | Should -Contain $Mistake.Id
    }

    It 'withdraws a holding piped by property name: kept, audited with its reason, skipped by the plan and the sweep' {
        $withdrawn = @(Get-DataShareHolding -Id $Mistake.Id -ErrorAction Stop | Remove-DataShareHolding -Reason 'registered the wrong folder' -Confirm:$false -ErrorAction Stop)

        $withdrawn.Count | Should -Be 1
        $withdrawn[0].State | Should -Be ([DataShareAdmin.HoldingState]::Withdrawn)
        $entry = Get-DataShareAuditLog -TargetId $Mistake.Id -ErrorAction Stop | Where-Object Action -EQ 'Holding.Withdraw'
        $entry.Details['Reason'] | Should -Be 'registered the wrong folder'
        (Get-DataShareHolding -AgreementId 'HSF0003' -ErrorAction Stop) | Should -BeNullOrEmpty
        (Get-DataShareHolding -AgreementId 'HSF0003' -IncludeDestroyed -ErrorAction Stop).State | Should -Be 'Withdrawn'
        (Get-DataShareRetentionPlan -ErrorAction Stop).HoldingId | Should -Not -Contain $Mistake.Id
        $null = Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Test-Path -LiteralPath (Join-Path $Mistake.Location 'pupils.csv') | Should -BeTrue
        (Get-DataShareHolding -Id $Mistake.Id -ErrorAction Stop | Format-Table | Out-String) | Should -BeLike '*Withdrawn*'
    }

    It 'refuses <Case> with <ErrorId> (<Category>), changing nothing' -ForEach @(
        @{ Case = 'a holding already withdrawn'; ErrorId = 'HoldingNotWithdrawable'; Category = 'InvalidOperation'; Reason = 'again' }
        @{ Case = 'an empty reason'; ErrorId = 'HoldingWithdrawReasonMissing'; Category = 'InvalidArgument'; Reason = '' }
        @{ Case = 'a blank reason'; ErrorId = 'HoldingWithdrawReasonMissing'; Category = 'InvalidArgument'; Reason = '   ' }
    ) {
        $before = Get-HoldingState

        Remove-DataShareHolding -Id $Mistake.Id -Reason $Reason -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Remove-DataShareHolding'
        (Get-HoldingState).AuditCount | Should -Be $before.AuditCount
    }

    It 'shows the withdrawal in the retention report' {
        $path = Join-Path $TestDrive 'retention-withdrawn.csv'
        Export-DataShareReport -Kind Retention -Format Csv -Path $path -ErrorAction Stop
        (Import-Csv -LiteralPath $path | Where-Object holdingId -EQ $Mistake.Id).state | Should -Be 'Withdrawn'
    }
}
