#Requires -Version 7.4
# Safe outputs through the cmdlets: Test-DataShareOutput (cells, summaries, protected copies), the release cmdlets, the
# per-agreement rules, what a user sees, and every refusal with its id and category and nothing written.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Agreement = (New-TestAgreement -ApprovalReference 'DSAP-OUT-1').Id
    $Future = (New-TestAgreement -StartsOn (Get-Date).Date.AddYears(1) -EndsOn (Get-Date).Date.AddYears(2)).Id
    $Tables = Join-Path $TestDrive 'tables'
    $null = New-Item -ItemType Directory -Path $Tables

    function New-Table {
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string[]] $Line)
        $path = Join-Path $Tables $Name
        [System.IO.File]::WriteAllText($path, ($Line -join "`n") + "`n")
        $path
    }

    function Get-State {
        <# The register, the releases and the tables folder: what a refused command must leave as it was. #>
        [pscustomobject]@{
            Register = Get-DataShareTestState | ConvertTo-Json -Compress
            Releases = @(Get-DataShareOutputRelease -ErrorAction Stop).Count
            Files    = (Get-ChildItem -LiteralPath $Tables -Force | ForEach-Object { "$($_.Name):$($_.Length)" }) -join ','
        }
    }

    $Failing = New-Table 'fsm.csv' 'Region,Sex,Count', 'North,F,4', 'North,M,21', 'North,Total,25', 'South,F,30', 'South,M,45', 'South,Total,75', 'Total,F,34', 'Total,M,66', 'Total,Total,100'
    $Passing = New-Table 'pass.csv' 'Region,Count', 'North,120', 'South,200'
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Test-DataShareOutput' {
    It 'writes one result per cell, then the file''s summary, with the failing cell and its reason' {
        $results = @(Test-DataShareOutput -AgreementId $Agreement -Path $Failing -ErrorAction Stop)

        $results.Count | Should -Be 10
        $cells = @($results | Where-Object { $_ -is [DataShareAdmin.OutputCellResult] })
        $cells.Count | Should -Be 9
        $north = $cells | Where-Object Cell -EQ 'Region=North, Sex=F'
        $north.Verdict | Should -Be 'Fail'
        $north.Rules | Should -Be 'Threshold'
        $north.Reason | Should -Match '4'
        $summary = $results[-1]
        $summary | Should -BeOfType ([DataShareAdmin.OutputFileSummary])
        ($summary.Cells, $summary.Failed, $summary.Verdict) | Should -Be @(9, 1, 'Fail')
        $summary.Rules.Threshold | Should -Be 10
    }

    It 'takes files from Get-ChildItem by FullName, and -Summary writes only the summaries' {
        $summaries = @(Get-ChildItem -LiteralPath $Failing, $Passing | Test-DataShareOutput -AgreementId $Agreement -Summary -ErrorAction Stop)

        $summaries.Count | Should -Be 2
        ($summaries | ForEach-Object { [System.IO.Path]::GetFileName($_.Path) + ':' + $_.Verdict }) -join ',' | Should -Be 'fsm.csv:Fail,pass.csv:Pass'
    }

    It 'shows cells and summaries as tables with the columns an officer needs' {
        $text = Test-DataShareOutput -AgreementId $Agreement -Path $Failing | Out-String -Width 120

        $text | Should -Match 'Cell\s+Count\s+Verdict\s+Rules\s+Reason'
        $text | Should -Match 'Region=North, Sex=F\s+4\s+Fail\s+Threshold'
        $text | Should -Match 'fsm\.csv'
    }

    It 'writes a protected copy that passes, and leaves the original as it was; -WhatIf writes nothing' {
        $destination = Join-Path $TestDrive 'fsm-protected.csv'
        $before = (Get-FileHash -LiteralPath $Failing).Hash

        Test-DataShareOutput -AgreementId $Agreement -Path $Failing -Protect -Destination $destination -WhatIf
        Test-Path -LiteralPath $destination | Should -BeFalse

        $summary = Test-DataShareOutput -AgreementId $Agreement -Path $Failing -Protect -Destination $destination -Summary -ErrorAction Stop
        $summary.Verdict | Should -Be 'Pass'
        $summary.ProtectedFrom | Should -Be $Failing
        (Get-FileHash -LiteralPath $Failing).Hash | Should -Be $before
        Get-Content -LiteralPath $destination | Should -Contain 'North,F,[c]'
    }

    It 'offers the column names of the file''s header on Tab' {
        $line = "Test-DataShareOutput -AgreementId $Agreement -Path '$Failing' -CountColumn "
        $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText)

        $offered | Should -Contain 'Count'
        $offered | Should -Contain 'Region'
    }
}

Describe 'Refusals of Test-DataShareOutput' {
    BeforeAll {
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $TestDrive 'link.csv') -Target $Passing
        $huge = Join-Path $TestDrive 'huge.csv'
        [System.IO.File]::WriteAllText($huge, "Region,Count`n""" + ('x' * 70000) + """,12`n")
        $binary = Join-Path $TestDrive 'book.xlsx'
        [System.IO.File]::WriteAllBytes($binary, [byte[]](0x50, 0x4B, 0x03, 0x04, 0, 0, 1, 2, 3))
    }

    It 'refuses <Case> with <ErrorId> (<Category>) and writes nothing' -ForEach @(
        @{ Case = 'a missing file'; Path = { Join-Path $TestDrive 'none.csv' }; ErrorId = 'OutputFileNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'a folder'; Path = { $Tables }; ErrorId = 'OutputFileNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'a link'; Path = { Join-Path $TestDrive 'link.csv' }; ErrorId = 'OutputFileIsLink'; Category = 'InvalidArgument' }
        @{ Case = 'a device'; Path = { '/dev/zero' }; ErrorId = 'OutputFileEmpty'; Category = 'InvalidData' }
        @{ Case = 'a field over 65,536 characters'; Path = { Join-Path $TestDrive 'huge.csv' }; ErrorId = 'CsvFieldTooLong'; Category = 'LimitsExceeded' }
        @{ Case = 'a workbook'; Path = { Join-Path $TestDrive 'book.xlsx' }; ErrorId = 'OutputFileNotCsv'; Category = 'InvalidData' }
        @{ Case = 'duplicate header names'; Path = { New-Table 'dup-header.csv' 'Region,Region,Count', 'North,South,12' }; ErrorId = 'OutputColumnDuplicate'; Category = 'InvalidData' }
        @{ Case = 'no count column'; Path = { New-Table 'no-count.csv' 'Region,Sex', 'North,F' }; ErrorId = 'OutputCountColumnMissing'; Category = 'InvalidData' }
        @{ Case = 'a negative count'; Path = { New-Table 'negative.csv' 'Region,Count', 'North,-3' }; ErrorId = 'OutputCountNegative'; Category = 'InvalidData' }
        @{ Case = 'a count that is text'; Path = { New-Table 'text.csv' 'Region,Count', 'North,many' }; ErrorId = 'OutputCountNotNumeric'; Category = 'InvalidData' }
        @{ Case = 'duplicate cells'; Path = { New-Table 'dup-cells.csv' 'Region,Count', 'North,12', 'North,14' }; ErrorId = 'OutputCellDuplicate'; Category = 'InvalidData' }
        @{ Case = 'no dimension columns'; Path = { New-Table 'no-dims.csv' 'Count,Value', '12,100' }; ErrorId = 'OutputDimensionsMissing'; Category = 'InvalidData' }
    ) {
        $target = & $Path
        $state = Get-State

        $results = @(Test-DataShareOutput -AgreementId $Agreement -Path $target -ErrorVariable failure -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 0
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId $ErrorId -Category $Category -Cmdlet 'Test-DataShareOutput'
        $after = Get-State
        $after.Register | Should -Be $state.Register
        $after.Releases | Should -Be $state.Releases
    }

    It 'refuses an agreement that is not active, and a rate column it cannot read' {
        Test-DataShareOutput -AgreementId $Future -Path $Passing -ErrorVariable failure -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementNotActive' -Category InvalidOperation -Cmdlet 'Test-DataShareOutput'

        Test-DataShareOutput -AgreementId $Agreement -Path $Passing -RateColumn 'Pct=Num' -ErrorVariable bad -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $bad[0] -ErrorId 'OutputRateColumnInvalid' -Category InvalidArgument -Cmdlet 'Test-DataShareOutput'
    }

    It 'refuses to write a protected copy over its original, and writes nothing' {
        $state = Get-State
        Test-DataShareOutput -AgreementId $Agreement -Path $Failing -Protect -Destination $Failing -ErrorVariable failure -ErrorAction SilentlyContinue

        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'OutputDestinationIsSource' -Category InvalidArgument -Cmdlet 'Test-DataShareOutput'
        (Get-State).Files | Should -Be $state.Files
    }
}

Describe 'Output releases' {
    It 'refuses a release with failing cells and no justification, and records nothing' {
        $state = Get-State
        Request-DataShareOutputRelease -AgreementId $Agreement -Path $Failing -ErrorVariable failure -ErrorAction SilentlyContinue

        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'OutputReleaseJustificationMissing' -Category InvalidOperation -Cmdlet 'Request-DataShareOutputRelease'
        (Get-State).Register | Should -Be $state.Register
        (Get-State).Releases | Should -Be 0
    }

    It 'records nothing with -WhatIf' {
        $state = Get-State
        Request-DataShareOutputRelease -AgreementId $Agreement -Path $Passing -WhatIf | Should -BeNullOrEmpty
        (Get-State).Register | Should -Be $state.Register
    }

    It 'records piped files as one release, which its requester cannot approve, and which can be rejected with a reason' {
        $release = Get-ChildItem -LiteralPath $Passing | Request-DataShareOutputRelease -AgreementId $Agreement -Purpose 'Paper' -ErrorAction Stop

        $release.State | Should -Be 'Requested'
        $release.Id | Should -Match '^RL-'
        $release.Files.Name | Should -Be 'pass.csv'
        $release.Files[0].Sha256 | Should -Be (Get-FileHash -LiteralPath $Passing -Algorithm SHA256).Hash.ToLowerInvariant()

        $state = Get-State
        $release | Approve-DataShareOutputRelease -ErrorVariable self -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $self[0] -ErrorId 'OutputReleaseApproverIsRequester' -Category PermissionDenied -Cmdlet 'Approve-DataShareOutputRelease'
        (Get-State).Register | Should -Be $state.Register

        $release | Revoke-DataShareOutputRelease -Reason 'Wrong table' -WhatIf
        (Get-DataShareOutputRelease -Id $release.Id).State | Should -Be 'Requested'

        $rejected = $release | Revoke-DataShareOutputRelease -Reason 'Wrong table' -ErrorAction Stop
        ($rejected.State, $rejected.RevokedReason) | Should -Be @('Rejected', 'Wrong table')
        @(Get-DataShareOutputRelease -AgreementId $Agreement -State Rejected).Id | Should -Contain $release.Id
        (Get-DataShareAuditLog -TargetId $release.Id).Action | Should -Be @('OutputRelease.Requested', 'OutputRelease.Rejected')
        Get-DataShareOutputRelease -AgreementId $Agreement | Out-String -Width 120 | Should -Match "$($release.Id)\s+$Agreement\s+Rejected\s+Pass\s+pass\.csv"
    }

    It 'records each failing cell as an exception when a justification is given' {
        $release = Request-DataShareOutputRelease -AgreementId $Agreement -Path $Failing -Justification 'Published by the schools' -ErrorAction Stop

        $release.Verdict | Should -Be 'Fail'
        $release.Exceptions.Cell | Should -Be 'Region=North, Sex=F'
        $release.Exceptions.Justification | Should -Be 'Published by the schools'
    }

    It 'says which release it cannot find' {
        Get-DataShareOutputRelease -Id 'RL-0000000000' -ErrorVariable failure -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'OutputReleaseNotFound' -Category ObjectNotFound -Cmdlet 'Get-DataShareOutputRelease'
    }
}

Describe 'Output rules per agreement' {
    It 'refuses an override looser than the register''s, and applies a stricter one to that agreement only' {
        Set-DataSharePolicy -Name OutputThreshold -Value 5 -AgreementId $Agreement -ErrorVariable failure -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'PolicyOverrideLooser' -Category InvalidArgument -Cmdlet 'Set-DataSharePolicy'

        $set = Set-DataSharePolicy -Name OutputThreshold -Value 150 -AgreementId $Agreement -PassThru -ErrorAction Stop
        $set.Name | Should -Be "OutputThreshold@$Agreement"
        (Test-DataShareOutput -AgreementId $Agreement -Path $Passing -Summary).Verdict | Should -Be 'Fail'
        Set-DataSharePolicy -Name OutputThreshold -Default -AgreementId $Agreement -ErrorAction Stop
        (Test-DataShareOutput -AgreementId $Agreement -Path $Passing -Summary).Verdict | Should -Be 'Pass'
    }
}

Describe 'The Outputs report' {
    BeforeAll {
        # A release whose justification a spreadsheet would run as a formula if the report did not neutralise it.
        $null = Request-DataShareOutputRelease -AgreementId $Agreement -Path $Failing -Justification '=HYPERLINK("http://x","y")' -Purpose '+cmd' -ErrorAction Stop
    }

    It 'lists releases per agreement in <Format>, with exceptions and requesters' -ForEach @(
        @{ Format = 'Csv' }, @{ Format = 'Json' }, @{ Format = 'Markdown' }, @{ Format = 'Html' }
    ) {
        $path = Join-Path $TestDrive "outputs.$Format"
        $state = Get-State

        Export-DataShareReport -Kind Outputs -Format $Format -Path $path -ErrorAction Stop

        $text = Get-Content -LiteralPath $path -Raw
        $text | Should -Match 'fsm\.csv'
        $text | Should -Match ([regex]::Escape($Agreement))
        $text | Should -Match 'Region=North, Sex=F'
        (Get-State).Register | Should -Be $state.Register
        if ($Format -eq 'Csv') {
            $rows = @(Import-Csv -LiteralPath $path)
            $row = $rows | Where-Object { $_.exceptions -like '*HYPERLINK*' }
            $row.exceptions | Should -Match 'HYPERLINK'
            $row.purpose | Should -Not -Match '^\+'
            $row.purpose | Should -Match 'cmd'
            $row.requestedBy | Should -Not -BeNullOrEmpty
        }
    }
}
