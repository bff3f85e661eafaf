#Requires -Version 7.4
# Export-DataShareReport against a fresh register in $TestDrive: every kind in every format, CSV and JSON read back
# and compared with what the other cmdlets return, text from the register escaped in HTML and Markdown and kept from
# running as a formula in CSV, an existing file kept without -Force, -WhatIf, and piped agreements limiting a report.
#
# No storage is needed: the register has no transfers, so the Transfers report is written with its headings and no
# rows. "Today" for the module is judged in Europe/London; the reports here are made -AsOf a fixed local day, so
# nothing depends on the machine's time zone.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly

    # The first stable column of each kind, as written in the CSV header.
    $FirstColumns = [ordered]@{
        Register   = 'reference'
        SafePeople = 'agreement'
        Transfers  = 'transferId'
        Retention  = 'holdingId'
        Audit      = 'sequence'
    }

    $KindFormatCases = foreach ($kind in $FirstColumns.Keys) {
        foreach ($format in 'Html', 'Csv', 'Json', 'Markdown') {
            @{ Kind = $kind; Format = $format; FirstColumn = $FirstColumns[$kind] }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $CommandName = 'DataShareAdmin.Commands.ExportDataShareReportCommand'
    $Today = (Get-Date).Date
    $AsOf = $Today.AddDays(-2)
    $AsOfText = $AsOf.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
    $ScriptTitle = '<script>alert(1)</script>'
    $FormulaTitle = '=HYPERLINK("https://evil.example/","Open me")'
    $IsoInstantPattern = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$'
    $IsoDatePattern = '^\d{4}-\d{2}-\d{2}$'

    # An active agreement with a cleared recipient, one who is not, and a registered holding.
    $Active = New-TestAgreement -Id 'RPT0001' -ApprovalReference 'DSAP-RPT-1' -StartsOn $Today.AddDays(-60) -ApprovedOn $Today.AddDays(-70)
    $Jo = Add-DataShareRecipient -AgreementId $Active.Id -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -Role 'Analyst' -ErrorAction Stop
    Set-DataShareRecipient -Id $Jo.Id -DeclarationSignedOn $Today.AddDays(-30) -TrainingCompletedOn $Today.AddDays(-30) -ErrorAction Stop
    $null = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '000000200001' -IssuedOn $Today.AddMonths(-6) -HolderName 'Jo Bloggs' -ErrorAction Stop
    $Sam = Add-DataShareRecipient -AgreementId $Active.Id -Name 'Sam Smith' -Email 'sam.smith@example.ac.uk' -ErrorAction Stop
    $null = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'extracts' 'rpt0001') -Force
    $Holding = Register-DataShareHolding -AgreementId $Active.Id -Location (Join-Path $TestDrive 'extracts' 'rpt0001') -ErrorAction Stop

    # Text that would run if it were written as it is: a script in HTML and Markdown, a formula in a spreadsheet.
    $ScriptAgreement = New-TestAgreement -Id 'RPTXSS1' -Title $ScriptTitle
    $null = Add-DataShareRecipient -AgreementId $ScriptAgreement.Id -Name 'Nia None' -Email 'nia.none@example.ac.uk' -ErrorAction Stop
    $Formula = New-TestAgreement -Id 'RPTFORMULA1' -Title $FormulaTitle

    $ReportFolder = Join-Path $TestDrive 'reports'
    $null = New-Item -ItemType Directory -Path $ReportFolder -Force

    function Get-ReportPath {
        <# A path for a report in a folder of its own under $TestDrive, so leftovers can be looked for. #>
        param([Parameter(Mandatory)] [string] $Name)

        $folder = Join-Path $ReportFolder ([guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $folder -Force
        Join-Path $folder $Name
    }

    function Get-Leftover {
        <# Anything in the report's folder other than the report itself: a partial file, or a file -WhatIf wrote. #>
        param([Parameter(Mandatory)] [string] $Path)

        @(Get-ChildItem -LiteralPath (Split-Path $Path -Parent) -Force | Where-Object FullName -NE $Path)
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Export-DataShareReport writes every kind in every format' {
    It 'writes the <Kind> report as <Format>, whole, and returns the file with -PassThru' -ForEach $KindFormatCases {
        $path = Get-ReportPath "$Kind.$($Format.ToLowerInvariant())"

        $file = Export-DataShareReport -Kind $Kind -Format $Format -Path $path -AsOf $AsOf -PassThru -ErrorAction Stop

        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $path
        $file.Length | Should -BeGreaterThan 0
        Get-Leftover $path | Should -BeNullOrEmpty -Because 'the report is written beside the target and moved into place'

        $text = [System.IO.File]::ReadAllText($path, [System.Text.UTF8Encoding]::new($false, $true))
        switch ($Format) {
            'Html' {
                $text | Should -BeLike '<!DOCTYPE html>*'
                $text | Should -Match "As of <strong>$AsOfText</strong>"
                $text | Should -Match '<svg '
                $text | Should -Match '<table class="report"'
                $text | Should -Not -Match '<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=' -Because 'the page is self-contained and loads nothing'
            }
            'Csv' {
                $header = ($text -split "`r`n")[0]
                $header | Should -BeLike "$FirstColumn,*"
                $trailer = 'reportGeneratedAt,reportGeneratedBy,reportRegister,reportAsOf'
                if ($Kind -in 'Audit', 'Retention') {
                    # The audit report's chain check; the retention report's search (or not) for untracked copies.
                    $trailer += ',reportIntegrity'
                }

                $header | Should -BeLike "*,$trailer"
            }
            'Json' {
                $report = $text | ConvertFrom-Json
                $report.asOf | Should -Be $AsOfText
                $report.generatedBy | Should -Not -BeNullOrEmpty
                $report.register | Should -BeLike "*$(Split-Path $RegisterPath -Leaf)"
                $report.PSObject.Properties.Name | Should -Contain 'rows'
            }
            'Markdown' {
                $text | Should -BeLike '# *'
                $text | Should -Match ", as of $AsOfText\."
                $text | Should -Match '(?m)^\| ---:? \|'
            }
        }
    }

    It 'says in the verbose stream which report it wrote' {
        $path = Get-ReportPath 'register.md'

        $records = @(Export-DataShareReport -Kind Register -Format Markdown -Path $path -Verbose -ErrorAction Stop 4>&1)

        @($records.Message) -join "`n" | Should -BeLike '*Wrote the Register report*'
    }

    It 'puts the integrity check at the top of the audit report' {
        $path = Get-ReportPath 'audit.json'
        Export-DataShareReport -Kind Audit -Format Json -Path $path -ErrorAction Stop
        $report = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head

        $report.integrity | Should -BeLike "Audit log intact: *head $head*"
        @($report.rows).Count | Should -Be @(Get-DataShareAuditLog -ErrorAction Stop).Count
    }
}

Describe 'The CSV report for scripts' {
    It 'lists every agreement as Get-DataShareAgreement does' {
        $path = Get-ReportPath 'register.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -AsOf $AsOf -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)
        $agreements = @(Get-DataShareAgreement -AsOf $AsOf -ErrorAction Stop)
        $rows.Count | Should -Be $agreements.Count
        ($rows.reference | Sort-Object) | Should -Be ($agreements.Id | Sort-Object)

        foreach ($agreement in $agreements) {
            $row = $rows | Where-Object reference -EQ $agreement.Id
            $row.organisation | Should -Be $agreement.Organisation
            $row.purpose | Should -Be $agreement.Purpose
            $row.status | Should -Be $agreement.Status.ToString()
            $row.accessRoute | Should -Be $agreement.AccessRoute.ToString()
            $row.startsOn | Should -Be $agreement.StartsOn.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
            $row.endsOn | Should -Be $agreement.EndsOn.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
            $row.reportAsOf | Should -Be $AsOfText
            $row.reportGeneratedAt | Should -Match $IsoInstantPattern
        }

        ($rows | Where-Object reference -EQ $Active.Id).approvalReference | Should -Be 'DSAP-RPT-1'
        ($rows | Where-Object reference -EQ $Active.Id).heldAt | Should -Be $Holding.Location
    }

    It 'lists every current recipient as Get-DataShareRecipient does, not ready first' {
        $path = Get-ReportPath 'safe-people.csv'
        Export-DataShareReport -Kind SafePeople -Format Csv -Path $path -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)
        $recipients = @(Get-DataShareRecipient -ErrorAction Stop)
        $rows.Count | Should -Be $recipients.Count
        ($rows.recipientId | Sort-Object) | Should -Be ($recipients.Id | Sort-Object)

        foreach ($recipient in $recipients) {
            $row = $rows | Where-Object recipientId -EQ $recipient.Id
            $row.agreement | Should -Be $recipient.AgreementId
            $row.name | Should -Be $recipient.Name
            $row.email | Should -Be $recipient.Email
            $test = Test-DataShareRecipient -RecipientId $recipient.Id -ErrorAction Stop
            $row.ready | Should -Be $test.IsReady.ToString().ToLowerInvariant()
            if ($null -ne $test.ReadyUntil) {
                $row.readyUntil | Should -Be $test.ReadyUntil.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
            }
        }

        $notReady = @($rows | Where-Object ready -EQ 'false')
        $notReady.recipientId | Should -Contain $Sam.Id
        $notReady.recipientId | Should -Not -Contain $Jo.Id
        ($rows | Where-Object recipientId -EQ $Sam.Id).why | Should -BeLike '*Certificate*'
        ($rows | Where-Object recipientId -EQ $Jo.Id).certificateIssuer | Should -Be 'DBS'
        $rows[0..($notReady.Count - 1)].ready | Should -Not -Contain 'true' -Because 'the report is sorted soonest to lapse, and not ready comes first'
    }

    It 'prefixes a text cell that starts with = with an apostrophe, and changes nothing else' {
        $path = Get-ReportPath 'register.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -ErrorAction Stop

        $row = Import-Csv -LiteralPath $path | Where-Object reference -EQ $Formula.Id
        $row.project | Should -BeExactly ("'" + $FormulaTitle)
        $row.startsOn | Should -Be $Formula.StartsOn.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
        (Get-Content -LiteralPath $path -Raw) | Should -Not -Match ',"?=HYPERLINK' -Because 'no cell starts with the formula'
    }
}

Describe 'The JSON report for scripts' {
    BeforeAll {
        $JsonPath = Get-ReportPath 'register.json'
        Export-DataShareReport -Kind Register -Format Json -Path $JsonPath -AsOf $AsOf -ErrorAction Stop
        $JsonText = [System.IO.File]::ReadAllText($JsonPath)
        $Json = $JsonText | ConvertFrom-Json
    }

    It 'loads with ConvertFrom-Json: one row per agreement, as of the day asked' {
        $Json.report | Should -Be 'Register of external data shares'
        $Json.asOf | Should -Be $AsOfText
        @($Json.rows).Count | Should -Be @(Get-DataShareAgreement -ErrorAction Stop).Count
        ($Json.rows.reference | Sort-Object) | Should -Be (@(Get-DataShareAgreement -ErrorAction Stop).Id | Sort-Object)
    }

    It 'writes ISO 8601 dates and instants' {
        # Read from the text: ConvertFrom-Json turns ISO instants into [datetime] by itself.
        $JsonText | Should -Match '"generatedAt":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"'
        foreach ($row in $Json.rows) {
            $row.startsOn | Should -Match $IsoDatePattern
            $row.endsOn | Should -Match $IsoDatePattern
        }

        ($Json.rows | Where-Object reference -EQ $Active.Id).approvedOn |
            Should -Be $Active.ApprovedOn.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
        ($Json.rows | Where-Object reference -EQ $Formula.Id).approvedOn | Should -BeNullOrEmpty
    }

    It 'keeps the true text of every cell, for scripts' {
        ($Json.rows | Where-Object reference -EQ $Formula.Id).project | Should -BeExactly $FormulaTitle
        ($Json.rows | Where-Object reference -EQ $ScriptAgreement.Id).project | Should -BeExactly $ScriptTitle
    }
}

Describe 'Text from the register never runs' {
    It 'escapes an agreement titled <script> in the <Format> report' -ForEach @(
        @{ Format = 'Html'; Extension = 'html' }
        @{ Format = 'Markdown'; Extension = 'md' }
    ) {
        $path = Get-ReportPath "register.$Extension"
        Export-DataShareReport -Kind Register -Format $Format -Path $path -ErrorAction Stop
        $text = Get-Content -LiteralPath $path -Raw

        $text.Contains($ScriptTitle) | Should -BeFalse
        $text.Contains('&lt;script&gt;alert(1)&lt;/script&gt;') | Should -BeTrue
        if ($Format -eq 'Html') {
            ([regex]::Matches($text, '<script>')).Count | Should -Be 1 -Because 'the only script is the page''s own sorting code'
        }
    }

    It 'escapes the recipients'' agreement in the safe-people report too' {
        $path = Get-ReportPath 'safe-people.html'
        Get-DataShareAgreement -Id $ScriptAgreement.Id | Export-DataShareReport -Kind SafePeople -Format Html -Path $path -ErrorAction Stop
        $text = Get-Content -LiteralPath $path -Raw

        $text | Should -Match '<td>nia\.none@example\.ac\.uk</td>'
        ([regex]::Matches($text, '<script>')).Count | Should -Be 1
    }

    It 'prefixes a formula with an apostrophe in the <Format> report' -ForEach @(
        @{ Format = 'Html'; Extension = 'html'; Expected = '<td>&#39;=HYPERLINK(' }
        @{ Format = 'Markdown'; Extension = 'md'; Expected = "| '=HYPERLINK(" }
    ) {
        $path = Get-ReportPath "register.$Extension"
        Export-DataShareReport -Kind Register -Format $Format -Path $path -ErrorAction Stop

        (Get-Content -LiteralPath $path -Raw).Contains($Expected) | Should -BeTrue
    }
}

Describe 'Export-DataShareReport never spoils a file' {
    It 'refuses to replace an existing file without -Force with ReportFileExists, and leaves it as it was' {
        $path = Get-ReportPath 'existing.html'
        Set-Content -LiteralPath $path -Value 'keep me' -NoNewline

        { Export-DataShareReport -Kind Register -Format Html -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId "ReportFileExists,$CommandName"

        Export-DataShareReport -Kind Register -Format Html -Path $path -ErrorAction SilentlyContinue -ErrorVariable problems
        $problems.Count | Should -Be 1
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
        Get-Content -LiteralPath $path -Raw | Should -BeExactly 'keep me'
        Get-Leftover $path | Should -BeNullOrEmpty
    }

    It 'replaces an existing file with -Force' {
        $path = Get-ReportPath 'existing.csv'
        Set-Content -LiteralPath $path -Value 'old' -NoNewline

        Export-DataShareReport -Kind Register -Format Csv -Path $path -Force -ErrorAction Stop

        (Get-Content -LiteralPath $path -TotalCount 1) | Should -BeLike 'reference,*'
        Get-Leftover $path | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $path = Get-ReportPath 'what-if.html'

        $output = Export-DataShareReport -Kind Register -Format Html -Path $path -PassThru -WhatIf -ErrorAction Stop

        $output | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeFalse
        Get-Leftover $path | Should -BeNullOrEmpty
    }

    It 'leaves an existing file alone with -WhatIf -Force' {
        $path = Get-ReportPath 'what-if.csv'
        Set-Content -LiteralPath $path -Value 'keep me' -NoNewline

        Export-DataShareReport -Kind Register -Format Csv -Path $path -Force -WhatIf -ErrorAction Stop

        Get-Content -LiteralPath $path -Raw | Should -BeExactly 'keep me'
    }

    It 'refuses <Case> with ReportPathInvalid (<Category>) and writes nothing' -ForEach @(
        @{ Case = 'a folder'; Category = 'InvalidArgument'; Name = '' }
        @{ Case = 'a file in a folder that does not exist'; Category = 'ObjectNotFound'; Name = 'no-such-folder/report.html' }
    ) {
        $folder = Split-Path (Get-ReportPath 'unused') -Parent
        $path = if ($Name) { Join-Path $folder $Name } else { $folder }

        Export-DataShareReport -Kind Register -Format Html -Path $path -ErrorAction SilentlyContinue -ErrorVariable problems

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "ReportPathInvalid,$CommandName"
        $problems[0].CategoryInfo.Category | Should -Be $Category
        @(Get-ChildItem -LiteralPath $folder -Recurse -Force) | Should -BeNullOrEmpty
    }

    It 'refuses a path on a drive that does not exist with ReportPathInvalid (ObjectNotFound)' {
        Export-DataShareReport -Kind Register -Format Html -Path 'NoSuchDrive:/report.html' -ErrorAction SilentlyContinue -ErrorVariable problems

        $problems.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $problems[0] -ErrorId 'ReportPathInvalid' -Category ObjectNotFound -Cmdlet 'Export-DataShareReport'
    }

    It 'warns, and writes no file, when agreements were piped in but none came' {
        $path = Get-ReportPath 'empty.csv'

        Get-DataShareAgreement -Status Suspended -ErrorAction Stop |
            Export-DataShareReport -Kind Register -Format Csv -Path $path -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        @($warnings.Message) -join "`n" | Should -BeLike 'No agreements came down the pipeline*'
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'takes an -AgreementId in any case with spaces around it' {
        $path = Get-ReportPath 'spaced.csv'

        Export-DataShareReport -Kind Register -Format Csv -Path $path -AgreementId " $($Active.Id.ToLowerInvariant()) " -ErrorAction Stop

        @(Import-Csv -LiteralPath $path).reference | Should -Be @($Active.Id)
    }

    It 'refuses an agreement that is not in the register with AgreementNotFound and writes nothing' {
        $path = Get-ReportPath 'missing.csv'

        { Export-DataShareReport -Kind Register -Format Csv -Path $path -AgreementId 'NOSUCH99' -ErrorAction Stop } |
            Should -Throw -ErrorId "AgreementNotFound,$CommandName"

        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'leaves an unknown -<Parameter> to PowerShell''s parameter binding' -ForEach @(
        @{ Parameter = 'Kind'; Splat = @{ Kind = 'Everything'; Format = 'Csv' } }
        @{ Parameter = 'Format'; Splat = @{ Kind = 'Register'; Format = 'Pdf' } }
    ) {
        $path = Get-ReportPath 'bad.txt'

        { Export-DataShareReport @Splat -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$CommandName"

        Test-Path -LiteralPath $path | Should -BeFalse
    }
}

Describe 'Agreements piped in limit the report' {
    It 'writes one Register row for one piped agreement' {
        $path = Get-ReportPath 'one.csv'

        Get-DataShareAgreement -Id $Active.Id | Export-DataShareReport -Kind Register -Format Csv -Path $path -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)
        $rows.Count | Should -Be 1
        $rows[0].reference | Should -Be $Active.Id
    }

    It 'writes the rows of the piped agreements only, in JSON too' {
        $path = Get-ReportPath 'two.json'

        Get-DataShareAgreement -Id $Active.Id, $Formula.Id | Export-DataShareReport -Kind Register -Format Json -Path $path -ErrorAction Stop

        $rows = @((Get-Content -LiteralPath $path -Raw | ConvertFrom-Json).rows)
        ($rows.reference | Sort-Object) | Should -Be (@($Active.Id, $Formula.Id) | Sort-Object)
    }

    It 'lists only the piped agreement''s recipients in the safe-people report' {
        $path = Get-ReportPath 'safe-people.csv'

        Get-DataShareAgreement -Id $Active.Id | Export-DataShareReport -Kind SafePeople -Format Csv -Path $path -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)
        ($rows.recipientId | Sort-Object) | Should -Be (@($Jo.Id, $Sam.Id) | Sort-Object)
    }

    It 'lists only the piped agreement''s holdings in the retention report' {
        $path = Get-ReportPath 'retention.csv'

        Get-DataShareAgreement -Id $ScriptAgreement.Id | Export-DataShareReport -Kind Retention -Format Csv -Path $path -ErrorAction Stop
        @(Import-Csv -LiteralPath $path) | Should -BeNullOrEmpty

        Export-DataShareReport -Kind Retention -Format Csv -Path $path -AgreementId $Active.Id -Force -ErrorAction Stop
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.Count | Should -Be 1
        $rows[0].holdingId | Should -Be $Holding.HoldingId
        $rows[0].state | Should -Be 'Held'
    }
}

Describe 'The HTML report in a real browser' {
    BeforeAll {
        $Chromium = foreach ($name in 'chromium', 'chromium-browser', 'google-chrome') {
            Get-Command -Name $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 -ExpandProperty Source
        }

        $Chromium = @($Chromium)[0]

        # A register of its own: an active agreement with a recipient, a title that would run as a script and show an
        # image, and an ended agreement titled with a formula.
        Connect-DataShareRegister -Path (Join-Path $TestDrive 'browser' 'register.db') -Create -ErrorAction Stop
        $null = New-TestAgreement -Id 'DS00752' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-1'
        $null = Add-DataShareRecipient -AgreementId 'DS00752' -Name 'Jo Bloggs' -Email 'jo@example.org' -ErrorAction Stop
        $null = New-TestAgreement -Id 'XSS1' -Title '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'
        $null = New-TestAgreement -Id 'FORMULA1' -Title '=HYPERLINK("http://evil.example")' -StartsOn $Today.AddDays(-300) -EndsOn $Today.AddDays(-10)
        $BrowserReport = Join-Path $TestDrive 'browser' 'register.html'
        Export-DataShareReport -Kind Register -Format Html -Path $BrowserReport -ErrorAction Stop

        function Invoke-Headless {
            <# Runs headless Chromium on the report; returns what it printed on standard output and on standard error. #>
            param([string[]] $Option)

            $start = [System.Diagnostics.ProcessStartInfo]::new($Chromium)
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.UseShellExecute = $false
            foreach ($argument in @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--enable-logging=stderr', '--v=0') + $Option + [System.Uri]::new($BrowserReport).AbsoluteUri) {
                $start.ArgumentList.Add($argument)
            }

            $process = [System.Diagnostics.Process]::Start($start)
            try {
                $output = $process.StandardOutput.ReadToEndAsync()
                $errorOutput = $process.StandardError.ReadToEndAsync()
                if (-not $process.WaitForExit(90000)) {
                    $process.Kill($true)
                    throw 'Chromium did not finish within 90 s.'
                }

                [pscustomobject]@{ Output = $output.GetAwaiter().GetResult(); Error = $errorOutput.GetAwaiter().GetResult() }
            }
            finally {
                $process.Dispose()
            }
        }
    }

    AfterAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction SilentlyContinue
    }

    It 'opens offline without errors, shows every agreement and runs nothing from the register' {
        if (-not $Chromium) {
            # The test run installs Chromium with apt-get as root on Debian (DataShareAdmin.Pester.Tests).
            Set-ItResult -Skipped -Because 'Chromium is not installed here (chromium, chromium-browser or google-chrome on PATH)'
            return
        }

        $run = Invoke-Headless -Option '--virtual-time-budget=2000', '--dump-dom'
        $dom = $run.Output

        $dom | Should -BeLike '*<title>Register of external data shares</title>*'
        foreach ($id in 'DS00752', 'XSS1', 'FORMULA1') {
            $dom | Should -BeLike "*<td>$id</td>*"
        }

        # The injected script did not run (it would have changed the title) and the image tag is text, not an element.
        ($dom -split '<body', 2)[0] | Should -Not -BeLike '*pwned*'
        $dom | Should -Not -BeLike '*<img src="x"*'
        $dom | Should -BeLike '*&lt;img src=x onerror=alert(1)&gt;*'
        ([regex]::Matches($dom, '<svg ')).Count | Should -Be 4
        @($run.Error -split "`n" | Where-Object { $_ -like '*CONSOLE*' -or $_ -like '*Uncaught*' }) | Should -BeNullOrEmpty

        $picture = Join-Path $TestDrive 'browser' 'register.png'
        $null = Invoke-Headless -Option '--hide-scrollbars', '--window-size=1400,1000', "--screenshot=$picture"
        $bytes = [System.IO.File]::ReadAllBytes($picture)
        $bytes.Length | Should -BeGreaterThan 10000
        $bytes[0..3] | Should -Be @(0x89, 0x50, 0x4E, 0x47)
    }
}

