#Requires -Version 7.4
# Incidents as a user types them: New-DataShareIncident records a breach, complaint or near miss under an agreement
# (piped in or named), -Suspend suspends the agreement in the same command, the ICO's 72 hours are judged from
# discovery with a warning and a visible flag, Set-DataShareIncident records the notification and closes it, and the
# Incidents report is written in every format. Refusals carry their ids and categories and write nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $null = New-TestAgreement -Id 'INC0001' -ApprovalReference 'DSAP-INC1'
    $null = New-TestAgreement -Id 'INC0002' -ApprovalReference 'DSAP-INC2'

    function Get-AuditCount { @(Get-DataShareAuditLog -ErrorAction Stop).Count }
    function Get-IncidentCount { @(Get-DataShareIncident -WarningAction SilentlyContinue -ErrorAction Stop).Count }
    $Base = @{ AgreementId = 'INC0001'; Kind = 'Breach'; Severity = 'High'; Summary = 'Extract emailed to the wrong person' }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'New-DataShareIncident refuses what it must, and writes nothing' {
    It 'refuses <Case> with <ErrorId> (<Category>)' -ForEach @(
        @{ Case = 'an unknown agreement'; ErrorId = 'AgreementNotFound'; Category = 'ObjectNotFound'; Arguments = { @{ AgreementId = 'INC9999' } } }
        @{ Case = 'an empty summary'; ErrorId = 'IncidentSummaryMissing'; Category = 'InvalidArgument'; Arguments = { @{ Summary = ' ' } } }
        @{ Case = 'a discovery in the future'; ErrorId = 'IncidentDateInFuture'; Category = 'InvalidArgument'; Arguments = { @{ DiscoveredAt = [DateTime]::UtcNow.AddHours(2) } } }
        @{ Case = 'a notification before discovery'; ErrorId = 'IncidentNotifiedBeforeDiscovery'; Category = 'InvalidArgument'; Arguments = { @{ Reportable = $true; DiscoveredAt = [DateTime]::UtcNow.AddHours(-2); IcoNotifiedAt = [DateTime]::UtcNow.AddHours(-3) } } }
        @{ Case = 'an occurrence after discovery'; ErrorId = 'IncidentOccurredAfterDiscovery'; Category = 'InvalidArgument'; Arguments = { @{ DiscoveredAt = [DateTime]::UtcNow.AddHours(-3); OccurredAt = [DateTime]::UtcNow.AddHours(-2) } } }
        @{ Case = 'a notification of an incident not reportable'; ErrorId = 'IncidentNotReportable'; Category = 'InvalidOperation'; Arguments = { @{ DiscoveredAt = [DateTime]::UtcNow.AddHours(-2); IcoNotifiedAt = [DateTime]::UtcNow.AddMinutes(-1) } } }
        @{ Case = 'a summary too long'; ErrorId = 'IncidentFieldTooLong'; Category = 'LimitsExceeded'; Arguments = { @{ Summary = 'x' * 4001 } } }
    ) {
        $before = Get-AuditCount
        $parameters = $Base.Clone()
        $parameters.Suspend = $true
        $changes = & $Arguments
        foreach ($key in $changes.Keys) { $parameters[$key] = $changes[$key] }

        $output = @(New-DataShareIncident @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        $err.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'New-DataShareIncident'
        Get-AuditCount | Should -Be $before
        Get-IncidentCount | Should -Be 0
        (Get-DataShareAgreement -Id 'INC0001').Status | Should -Be 'Active'
    }

    It 'refuses a kind it does not know when binding' {
        { New-DataShareIncident -AgreementId 'INC0001' -Kind 'Leak' -Severity High -Summary 's' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,DataShareAdmin.Commands.NewDataShareIncidentCommand'
    }

    It 'records and suspends nothing with -WhatIf' {
        $before = Get-AuditCount
        $output = @(New-DataShareIncident @Base -Suspend -WhatIf)

        $output.Count | Should -Be 0
        Get-AuditCount | Should -Be $before
        (Get-DataShareAgreement -Id 'INC0001').Status | Should -Be 'Active'
    }

    It 'completes -AgreementId with the agreements and -Kind with the kinds' {
        $typed = 'New-DataShareIncident -AgreementId INC000'
        (TabExpansion2 -inputScript $typed -cursorColumn $typed.Length).CompletionMatches.CompletionText | Should -Contain 'INC0001'
        $typed = 'New-DataShareIncident -Kind N'
        (TabExpansion2 -inputScript $typed -cursorColumn $typed.Length).CompletionMatches.CompletionText | Should -Contain 'NearMiss'
    }
}

Describe 'An incident with -Suspend, from an agreement piped in' {
    BeforeAll {
        $Incident = Get-DataShareAgreement -Id 'INC0001' |
            New-DataShareIncident -Kind Breach -Severity High -Reportable -Suspend -Summary 'Laptop with the extract stolen' `
                -DiscoveredAt '2026-06-14T18:30+01:00' -OccurredAt '2026-06-14 09:00' -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        $Warned = $warned
    }

    It 'records the incident with its times in UTC' {
        $Incident | Should -BeOfType 'DataShareAdmin.DataShareIncident'
        $Incident.Id | Should -Match '^IN-[0-9A-Z]{10}$'
        $Incident.AgreementId | Should -Be 'INC0001'
        $Incident.DiscoveredAt.Offset | Should -Be ([TimeSpan]::Zero)
        $Incident.DiscoveredAt.UtcDateTime | Should -Be ([DateTime]::new(2026, 6, 14, 17, 30, 0, [DateTimeKind]::Utc))
        # A time without a zone is read in the register's zone: 09:00 in London in June is 08:00 UTC.
        $Incident.OccurredAt.UtcDateTime | Should -Be ([DateTime]::new(2026, 6, 14, 8, 0, 0, [DateTimeKind]::Utc))
        $Incident.SuspendedAgreement | Should -BeTrue
    }

    It 'suspends the agreement in the same command, audited' {
        (Get-DataShareAgreement -Id 'INC0001').Status | Should -Be 'Suspended'
        $actions = @(Get-DataShareAuditLog -TargetId 'INC0001' -ErrorAction Stop | ForEach-Object Action)
        $actions | Should -Contain 'Agreement.Suspend'
        $actions | Should -Contain 'Incident.Record'
    }

    It 'flags and warns of a reportable incident past the ICO''s 72 hours without a notification' {
        $Incident.IcoState | Should -Be 'Overdue'
        $Incident.IcoOverdue | Should -BeTrue
        $Warned.Count | Should -Be 1
        "$($Warned[0])" | Should -BeLike "*$($Incident.Id)*72 hours*"

        $listed = @(Get-DataShareIncident -AgreementId 'INC0001' -WarningVariable again -WarningAction SilentlyContinue -ErrorAction Stop)
        $listed.Count | Should -Be 1
        $listed[0].IcoOverdue | Should -BeTrue
        $again.Count | Should -Be 1
    }

    It 'counts the open incident on the agreement' {
        (Get-DataShareAgreement -Id 'INC0001').OpenIncidents | Should -Be 1
        (Get-DataShareAgreement | Where-Object Id -EQ 'INC0001').OpenIncidents | Should -Be 1
    }

    It 'shows the incident in its table view with the ICO state' {
        $text = Get-DataShareIncident -Id $Incident.Id -WarningAction SilentlyContinue | Out-String -Width 120
        $text | Should -BeLike '*Discovered (UTC)*'
        $text | Should -BeLike '*2026-06-14 17:30*'
        $text | Should -BeLike '*Overdue*'
    }
}

Describe 'Set-DataShareIncident records the notification and closes the incident' {
    BeforeAll {
        $Open = New-DataShareIncident -AgreementId 'INC0002' -Kind Complaint -Severity Low -Reportable -Summary 'Parent complaint' `
            -DiscoveredAt ([DateTime]::UtcNow.AddHours(-1)) -Confirm:$false -ErrorAction Stop
    }

    It 'is due, not overdue, within 72 hours, and warns of nothing' {
        $Open.IcoState | Should -Be 'Due'
        $Open.IcoOverdue | Should -BeFalse
        @(Get-DataShareIncident -AgreementId 'INC0002' -WarningVariable w -ErrorAction Stop).Count | Should -Be 1
        $w.Count | Should -Be 0
    }

    It 'refuses to close without actions, and writes nothing' {
        $before = Get-AuditCount
        $output = @(Set-DataShareIncident -Id $Open.Id -ClosedOn $Today -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $output.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'IncidentActionsMissing' -Category InvalidOperation -Cmdlet 'Set-DataShareIncident'
        Get-AuditCount | Should -Be $before
    }

    It 'refuses to close a reportable incident before the ICO notification' {
        Set-DataShareIncident -Id $Open.Id -ClosedOn $Today -Actions 'Replied' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'IncidentIcoNotificationMissing' -Category InvalidOperation -Cmdlet 'Set-DataShareIncident'
    }

    It 'refuses an unknown incident as IncidentNotFound' {
        Set-DataShareIncident -Id 'IN-0000000000' -Actions 'x' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'IncidentNotFound' -Category ObjectNotFound -Cmdlet 'Set-DataShareIncident'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-AuditCount
        Set-DataShareIncident -Id $Open.Id -Actions 'Replied' -WhatIf
        Get-AuditCount | Should -Be $before
        (Get-DataShareIncident -Id $Open.Id).Actions | Should -BeNullOrEmpty
    }

    It 'takes incidents from the pipeline, records the notification and closes them, audited' {
        $closed = @(Get-DataShareIncident -AgreementId 'INC0002' -Open |
                Set-DataShareIncident -IcoNotifiedAt ([DateTime]::UtcNow) -IcoReference 'IC-0001' -Actions 'Replied to the parent' -ClosedOn $Today -Confirm:$false -ErrorAction Stop)

        $closed.Count | Should -Be 1
        $closed[0].IcoState | Should -Be 'Notified'
        $closed[0].ClosedOn | Should -Be $Today
        @(Get-DataShareIncident -AgreementId 'INC0002' -Open).Count | Should -Be 0
        (Get-DataShareAuditLog -Action 'Incident.Close' -ErrorAction Stop | Where-Object TargetId -EQ $Open.Id) | Should -Not -BeNullOrEmpty
    }

    It 'no longer counts a closed incident on the agreement' {
        (Get-DataShareAgreement -Id 'INC0002').OpenIncidents | Should -Be 0
    }

    It 'completes -Id with the incidents' {
        $typed = 'Set-DataShareIncident -Id IN-'
        (TabExpansion2 -inputScript $typed -cursorColumn $typed.Length).CompletionMatches.CompletionText | Should -Contain $Open.Id
    }
}

Describe 'The Incidents report' {
    It 'is written as <Format>' -ForEach @(
        @{ Format = 'Html' }, @{ Format = 'Csv' }, @{ Format = 'Json' }, @{ Format = 'Markdown' }
    ) {
        $path = Join-Path $TestDrive "incidents.$Format"
        $file = Export-DataShareReport -Kind Incidents -Format $Format -Path $path -Force -PassThru -Confirm:$false -ErrorAction Stop
        $file.FullName | Should -Be $path
        Get-Content -LiteralPath $path -Raw | Should -BeLike '*Laptop with the extract stolen*'
    }

    It 'carries the 72-hour flag for scripts' {
        $path = Join-Path $TestDrive 'incidents-rows.csv'
        $null = Export-DataShareReport -Kind Incidents -Format Csv -Path $path -Force -Confirm:$false -ErrorAction Stop
        $row = Import-Csv -LiteralPath $path | Where-Object agreement -EQ 'INC0001'
        $row.icoState | Should -Be 'Overdue'
        $row.icoOverdue | Should -Be 'true'
        $row.flags | Should -BeLike 'ICO notification overdue*'
    }

    It 'never puts an incident summary in the public register' {
        $path = Join-Path $TestDrive 'public.json'
        $null = Export-DataShareReport -Kind PublicRegister -Format Json -Path $path -Force -Confirm:$false -ErrorAction Stop
        Get-Content -LiteralPath $path -Raw | Should -Not -BeLike '*Laptop with the extract stolen*'
    }
}
