#Requires -Version 7.4
# The public register end to end against a fresh register in $TestDrive: agreements given their public fields with
# New-/Set-DataShareAgreement and an organisation its sector, a request refused with Deny-DataShareAgreement and one
# withdrawn with Close-DataShareAgreement, then Export-DataShareReport -Kind PublicRegister in every format, read back
# as a script would, with no person's name or email in it, -Since listing the changes, and the page in headless
# Chromium. Files released (which need storage) are tested in Core.Tests (PublicRegisterTests).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $Organisation = Initialize-DataShareTestOrganisation
    Set-DataShareOrganisation -Organisation $Organisation.Id -Sector University -ProtectionOfficerName 'Dana Protector' -ProtectionOfficerEmail 'dana.protector@example.ac.uk' -ErrorAction Stop

    $Shared = New-TestAgreement -Id 'PUB001' -ApprovalReference 'DSAP-PUB-1' -ApprovedOn $Today.AddDays(-20) -StartsOn $Today.AddDays(-20)
    Set-DataShareAgreement -Id 'PUB001' -LaySummary 'How attendance shapes attainment.' -PublicBenefit 'Better support for pupils who miss school.' `
        -FunderOrCommissioner 'Nuffield Foundation' -Frequency Regular -FrequencyPeriod 'termly' -Dataset 'National Pupil Database' -YearsCovered '2015/16 to 2022/23' `
        -RecordsShared 120000 -OnwardSharing $false -Approval 'UCL-REC-1' -SrsProjectId 'SRS-0042' -OutputLink 'https://doi.org/10.1000/xyz123' `
        -OfficerName 'Olive Officer' -OfficerEmail 'olive.officer@example.gov.uk' -ErrorAction Stop
    $null = Add-DataShareRecipient -AgreementId 'PUB001' -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -ErrorAction Stop
    $null = New-TestAgreement -Id 'PUB002'
    $null = Set-DataShareAgreement -Id 'PUB002' -Category Police -ErrorAction Stop
    $null = New-TestAgreement -Id 'PUB003'
    $null = New-TestAgreement -Id 'PUB004'

    $Folder = Join-Path $TestDrive 'public'
    $null = New-Item -ItemType Directory -Path $Folder -Force
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Public fields on agreements and organisations' {
    It 'New-DataShareAgreement takes them and Get-DataShareAgreement shows them' {
        $params = Get-DataShareTestAgreementParameter -Id 'PUB010'
        $created = New-DataShareAgreement @params -Category CourtOrder -Frequency OneOff -Dataset 'School Census', 'NPD' -OnwardSharing $true -OnwardSharingNote 'To the court only.' -ErrorAction Stop

        $created.Category | Should -Be ([DataShareAdmin.AgreementCategory]::CourtOrder)
        $read = Get-DataShareAgreement -Id 'PUB010' -ErrorAction Stop
        $read.Datasets.ToString() | Should -Be 'School Census; NPD' -Because 'a list reads as its items joined with "; " (what Export-Csv writes)'
        $read.Frequency | Should -Be 'OneOff'
        $read.OnwardSharing | Should -BeTrue
        (Get-DataShareOrganisation -Name $Organisation.Name -ErrorAction Stop).Sector | Should -Be 'University'
    }

    It 'refuses an http output link with AgreementOutputLinkInvalid and changes nothing' {
        Set-DataShareAgreement -Id 'PUB002' -OutputLink 'http://example.org/paper' -ErrorAction SilentlyContinue -ErrorVariable failure

        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementOutputLinkInvalid' -Category InvalidArgument -Cmdlet 'Set-DataShareAgreement'
        (Get-DataShareAgreement -Id 'PUB002').OutputLinks.Count | Should -Be 0
    }

    It 'completes categories, sectors and frequencies by tab' {
        $line = 'New-DataShareAgreement -Category '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'RegularSharingAgreement'
        $line = 'Set-DataShareOrganisation -Sector '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'LocalAuthority'
        $line = 'Set-DataShareAgreement -Frequency '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('OneOff', 'Regular')
    }
}

Describe 'Deny-DataShareAgreement and Close-DataShareAgreement' {
    It '-WhatIf records nothing' {
        Deny-DataShareAgreement -Id 'PUB003' -FailedTest Proportionate -Proportionate 'Every pupil asked for; a sample answers the question' -Reason 'Not proportionate.' -WhatIf -ErrorAction Stop

        (Get-DataShareAgreement -Id 'PUB003').Status | Should -Be 'Pending'
    }

    It 'records a refusal from the pipeline, after which approval fails with AgreementClosed' {
        $refused = Get-DataShareAgreement -Id 'PUB003' | Deny-DataShareAgreement -FailedTest Proportionate -Proportionate 'Every pupil asked for; a sample answers the question' -Reason 'Not proportionate.' -RefusedOn $Today.AddDays(-3) -PassThru -ErrorAction Stop

        $refused.Status | Should -Be 'Refused'
        $refused.ClosureReason | Should -Be 'Not proportionate.'
        (Get-DataShareAuditLog -TargetId 'PUB003' -ErrorAction Stop | Select-Object -Last 1).Action | Should -Be 'Agreement.Refuse'
        Approve-DataShareAgreement @PanelTests -Id 'PUB003' -Reference 'DSAP-X' -ErrorAction SilentlyContinue -ErrorVariable failure
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementClosed' -Category InvalidOperation -Cmdlet 'Approve-DataShareAgreement'
        (Get-DataShareAgreement -Id 'PUB003').ApprovedOn | Should -BeNullOrEmpty
    }

    It 'records a withdrawal, and refuses one without a reason' {
        Close-DataShareAgreement -Id 'PUB004' -Reason ' ' -ErrorAction SilentlyContinue -ErrorVariable failure
        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementClosureReasonMissing' -Category InvalidArgument -Cmdlet 'Close-DataShareAgreement'

        $withdrawn = Close-DataShareAgreement -Id 'PUB004' -Reason 'The funding ended.' -PassThru -ErrorAction Stop
        $withdrawn.Status | Should -Be 'Withdrawn'
    }

    It 'will not refuse an approved agreement' {
        Deny-DataShareAgreement -Id 'PUB001' -FailedTest Secure -Secure 'x' -Reason 'Too late.' -ErrorAction SilentlyContinue -ErrorVariable failure

        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'AgreementAlreadyApproved' -Category InvalidOperation -Cmdlet 'Deny-DataShareAgreement'
    }
}

Describe 'Export-DataShareReport -Kind PublicRegister' {
    BeforeAll {
        $Since = $Today.AddDays(-10)
        foreach ($format in 'Html', 'Csv', 'Json', 'Markdown') {
            $extension = @{ Html = 'html'; Csv = 'csv'; Json = 'json'; Markdown = 'md' }[$format]
            Export-DataShareReport -Kind PublicRegister -Format $format -Path (Join-Path $Folder "register.$extension") -Since $Since -ErrorAction Stop
        }
    }

    It 'writes JSON with a section per category, the approved share in plain words and the refused and withdrawn requests' {
        $json = Get-Content -Raw (Join-Path $Folder 'register.json') | ConvertFrom-Json

        $json.personalDataFromRecords | Should -BeFalse
        $json.freeTextAsTyped | Should -BeTrue
        $research = ($json.sections | Where-Object name -EQ 'shares-DsapResearch').rows
        $research.reference | Should -Be @('PUB001')
        $research.sector | Should -Be 'University'
        $research.laySummary | Should -Be 'How attendance shapes attainment.'
        $research.frequency | Should -Be 'Regular: termly'
        $research.srsProjectId | Should -Be 'SRS-0042'
        $research.dataItems | Should -BeLike 'KS2 attainment: sensitivity B (high sensitivity), identification risk 3 (*'
        ($json.sections | Where-Object name -EQ 'shares-Police').rows | Should -BeNullOrEmpty -Because 'PUB002 is not approved'
        $closed = ($json.sections | Where-Object name -EQ 'refusedOrWithdrawn').rows
        $closed.reference | Should -Be @('PUB003', 'PUB004')
        $closed.outcome | Should -Be @('Refused', 'Withdrawn')
        $changes = ($json.sections | Where-Object name -EQ 'changes').rows
        $changes.change | Should -Be @('New', 'Refused', 'Varied', 'Withdrawn') -Because 'PUB001 was approved before -Since but recorded after it, and its public terms were set after its approval, today'
        $changes.reference | Should -Be @('PUB001', 'PUB003', 'PUB001', 'PUB004')
        $changes[0].what | Should -BeLike 'Approved (DSAP-PUB-1) (recorded *, after *)'
    }

    It 'writes a CSV that Import-Csv reads as one table' {
        $rows = Import-Csv -LiteralPath (Join-Path $Folder 'register.csv')

        ($rows | Where-Object section -EQ 'refusedOrWithdrawn').reference | Should -Be @('PUB003', 'PUB004')
        # One count per category (DataMatching, the Chief Statistician's matching cases, is the seventh).
        ($rows | Where-Object section -EQ 'counts').Count | Should -Be ([enum]::GetNames([DataShareAdmin.AgreementCategory]).Count)
        ($rows | Where-Object section -EQ 'counts').Count | Should -Be 7
        ($rows | Where-Object section -EQ 'refusedOrWithdrawn' | Where-Object reference -EQ 'PUB003').failedTests | Should -Be 'Proportionate'
        ($rows | Where-Object { $_.section -eq 'counts' -and $_.category -eq 'DsapResearch' }).withdrawn | Should -Be '1'
    }

    It 'writes Markdown and HTML with a heading per section' {
        $markdown = Get-Content -LiteralPath (Join-Path $Folder 'register.md')
        $markdown | Should -Contain '## Requests refused or withdrawn'
        $markdown | Should -Contain '## Approved shares: police'
        (Get-Content -Raw (Join-Path $Folder 'register.html')) | Should -BeLike '*<section class="part" id="changes"*'
    }

    It 'holds no person''s name or email, not the operator and not the register''s path, in any format' {
        $people = @(Get-DataShareRecipient -ErrorAction Stop | ForEach-Object { $_.Name; $_.Email }) +
            @('Dana Protector', 'dana.protector@example.ac.uk', 'Olive Officer', 'olive.officer@example.gov.uk', [Environment]::UserName, $RegisterPath)
        $people | Should -Contain 'Jo Bloggs'

        foreach ($file in Get-ChildItem -LiteralPath $Folder -Filter 'register.*') {
            # The page's style sheet is the module's own text (its ':root' would match an operator named root).
            $text = (Get-Content -Raw -LiteralPath $file.FullName) -replace '(?s)<style>.*?</style>', ''
            foreach ($value in $people) {
                $text.Contains($value, [StringComparison]::OrdinalIgnoreCase) | Should -BeFalse -Because "$($file.Name) must not hold '$value'"
            }
        }
    }

    It 'refuses -Since with another kind (ReportSinceInvalid) and writes nothing' {
        $path = Join-Path $Folder 'wrong.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -Since $Today.AddDays(-1) -ErrorAction SilentlyContinue -ErrorVariable failure

        Assert-DataShareError -ErrorRecord $failure[0] -ErrorId 'ReportSinceInvalid' -Category InvalidArgument -Cmdlet 'Export-DataShareReport'
        $path | Should -Not -Exist
    }

    It 'opens in headless Chromium without errors and draws the page' {
        $chromium = @(foreach ($name in 'chromium', 'chromium-browser', 'google-chrome') {
                Get-Command -Name $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source
            })[0]
        if (-not $chromium) {
            # The test run installs Chromium with apt-get as root on Debian (DataShareAdmin.Pester.Tests).
            Set-ItResult -Skipped -Because 'Chromium is not installed here (chromium, chromium-browser or google-chrome on PATH)'
            return
        }

        $page = [System.Uri]::new((Join-Path $Folder 'register.html')).AbsoluteUri
        $picture = Join-Path $Folder 'register.png'
        $common = '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--enable-logging=stderr', '--v=0'
        $dom = & $chromium @common '--virtual-time-budget=2000' '--dump-dom' $page 2>$null | Out-String
        $errors = & $chromium @common '--virtual-time-budget=2000' '--dump-dom' $page 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Out-String
        $null = & $chromium @common '--hide-scrollbars' '--window-size=1400,1000' "--screenshot=$picture" $page 2>&1

        $dom | Should -BeLike '*<title>Public register of external data shares</title>*'
        $dom | Should -BeLike '*<td>PUB003</td>*'
        ([regex]::Matches($dom, '<table ')).Count | Should -BeGreaterOrEqual 4
        @($errors -split "`n" | Where-Object { $_ -like '*CONSOLE*' -or $_ -like '*Uncaught*' }) | Should -BeNullOrEmpty
        $bytes = [System.IO.File]::ReadAllBytes($picture)
        $bytes.Length | Should -BeGreaterThan 10000
        $bytes[0..3] | Should -Be @(0x89, 0x50, 0x4E, 0x47)
    }
}
