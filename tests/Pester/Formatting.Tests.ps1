#Requires -Version 7.4
# What a person sees: the module's default views on real pwsh, at the width of a 120-column terminal, and that a
# transfer's link (a bearer token) never reaches the screen or a transcript unless it is asked for by name.
#
# The transfer tests need node on PATH and Azurite installed in tests/azurite (npm ci there, or run the xunit storage
# tests once, which install it). Without either they are skipped, and the Describe's name says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Transfer output against Azurite' -TestFileName 'Formatting.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name

    # Every table view the module ships, found from the format file itself so a view added later is checked too.
    $formatFile = Join-Path (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent) 'module/DataShareAdmin.format.ps1xml'
    $TableViews = @(foreach ($view in ([xml](Get-Content -LiteralPath $formatFile -Raw)).Configuration.ViewDefinitions.View) {
            if ($view.TableControl) {
                @{ View = $view.Name; TypeName = $view.ViewSelectedBy.TypeName }
            }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $Terminal = 120
    $Today = (Get-Date).Date
    $Yesterday = $Today.AddDays(-1)

    function Get-Rendered {
        <# The lines PowerShell prints for the objects by default, on a terminal $Terminal columns wide. #>
        param([Parameter(Mandatory)] [object[]] $InputObject)
        @(($InputObject | Out-String -Width $Terminal) -split "`r?`n" | ForEach-Object { $_.TrimEnd() })
    }

    function Assert-Table {
        <#
        The rendered table fits the terminal, has one header line holding every label whole (not one letter a line,
        not cut), and shows each expected cell (the dates) whole, never ending in '…'.
        #>
        param(
            [Parameter(Mandatory)] [AllowEmptyString()] [string[]] $Lines,
            [Parameter(Mandatory)] [string[]] $Labels,
            [string[]] $Cells = @()
        )

        foreach ($line in $Lines) {
            $line.Length | Should -BeLessOrEqual $Terminal -Because "'$line' must fit a $Terminal-column terminal"
        }

        $rule = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)+$' })
        $rule | Should -BeGreaterThan 0 -Because 'a table has a header line and a rule under it'
        [string]::IsNullOrWhiteSpace($Lines[$rule - 2]) | Should -BeTrue -Because "the header is one line, not wrapped: '$($Lines[$rule - 2])'"
        $header = $Lines[$rule - 1]
        $position = 0
        foreach ($label in $Labels) {
            $at = $header.IndexOf($label, $position, [StringComparison]::Ordinal)
            $at | Should -BeGreaterOrEqual 0 -Because "the header '$header' shows '$label' whole, in order"
            $position = $at + $label.Length
        }

        $body = ($Lines[($rule + 1)..($Lines.Count - 1)] -join "`n")
        foreach ($cell in $Cells) {
            $body | Should -Match ([regex]::Escape($cell) + '(?!…)') -Because "the cell '$cell' is shown whole"
        }
    }

    function Get-TableLabel {
        <# The labels of a type's table view, in order, from the loaded format data. #>
        param([Parameter(Mandatory)] [string] $TypeName)
        $data = Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion
        $table = @($data.FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
        @($table.Control.Headers | ForEach-Object { $_.Label })
    }

    function Get-Iso {
        param([Parameter(Mandatory)] [datetime] $Date)
        $Date.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture)
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Default table views' {
    It 'the <View> view fits a 120-column terminal with every column at least as wide as its label' -ForEach $TableViews {
        $data = Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion
        $table = @($data.FormatViewDefinition | Where-Object { $_.Name -eq $View })[0]
        $table | Should -Not -BeNullOrEmpty -Because "the built module loads the view $View"
        $headers = @($table.Control.Headers)
        $fixed = 0
        $free = 0
        foreach ($header in $headers) {
            if ($header.Width -gt 0) {
                $fixed += $header.Width
                $header.Label.Length | Should -BeLessOrEqual $header.Width -Because "the label '$($header.Label)' fits its column"
            }
            else {
                $free++
            }
        }

        # One space between columns, and at least 12 columns for each column that takes the rest of the line.
        ($fixed + $headers.Count - 1 + 12 * $free) | Should -BeLessOrEqual 120
    }

    Context 'rendered from real objects with long names' {
        BeforeAll {
            $LongOrganisation = 'University of Exampleton Institute for Longitudinal Education Research'
            $null = Initialize-DataShareTestOrganisation -Name $LongOrganisation
            $Starts = $Today.AddDays(-40)
            $Ends = $Today.AddDays(300)
            $Agreement = New-TestAgreement -Id 'FMT00001' -Organisation $LongOrganisation -StartsOn $Starts -EndsOn $Ends `
                -Title 'Attainment, attendance and exclusions of pupils in the North West of England, 2015 to 2025' `
                -AccessRoute SecureResearchService -ApprovalReference 'DSAP-FMT1'
            $Recipient = Add-DataShareRecipient -AgreementId 'FMT00001' -Name 'Professor Alexandra Wilhelmina Smith-Jones' `
                -Email 'alexandra.wilhelmina.smith-jones@research.exampleton.ac.uk' -Role 'Principal investigator and lead analyst' -ErrorAction Stop
            $Recipient = Set-DataShareRecipient -Id $Recipient.Id -DeclarationSignedOn $Yesterday.AddDays(-2) -TrainingCompletedOn $Yesterday.AddDays(-3) -PassThru -ErrorAction Stop
            $Certificate = Add-DisclosureCertificate -RecipientId $Recipient.Id -Issuer DisclosureScotland -Level Standard -Number '000000400001' `
                -IssuedOn $Yesterday.AddDays(-20) -ErrorAction Stop

            # An ended agreement with a local folder holding, swept: a plan item and a destruction record.
            $null = New-TestAgreement -Id 'FMT00002' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0
            $Folder = Join-Path $TestDrive 'holdings/an-extract-folder-with-a-long-name/and-a-sub-folder-with-another-long-name'
            $null = New-Item -ItemType Directory -Path $Folder -Force
            Set-Content -LiteralPath (Join-Path $Folder 'pupils.csv') -Value 'upn'
            $Holding = Register-DataShareHolding -AgreementId 'FMT00002' -Location $Folder -ErrorAction Stop
            $Plan = @(Get-DataShareRetentionPlan -ErrorAction Stop | Where-Object HoldingId -EQ $Holding.Id)
            $Destruction = @(Invoke-DataShareRetentionSweep -HoldingId $Holding.Id -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop)
        }

        It 'shows an agreement with its start and end dates whole' {
            Assert-Table -Lines (Get-Rendered $Agreement) -Labels (Get-TableLabel 'DataShareAdmin.DataShareAgreement') `
                -Cells (Get-Iso $Starts), (Get-Iso $Ends), 'FMT00001', 'Active'
        }

        It 'shows a recipient with every header whole, the last one included' {
            Assert-Table -Lines (Get-Rendered $Recipient) -Labels (Get-TableLabel 'DataShareAdmin.DataShareRecipient') `
                -Cells (Get-Iso $Yesterday.AddDays(-2)), (Get-Iso $Yesterday.AddDays(-3)), $Recipient.Id, 'True'
        }

        It 'shows a certificate and its test with their dates whole' {
            Assert-Table -Lines (Get-Rendered $Certificate) -Labels (Get-TableLabel 'DataShareAdmin.DisclosureCertificate') `
                -Cells (Get-Iso $Yesterday.AddDays(-20)), '000000400001'
            $test = Test-DisclosureCertificate -CertificateId $Certificate.Id -ErrorAction Stop
            Assert-Table -Lines (Get-Rendered $test) -Labels (Get-TableLabel 'DataShareAdmin.CertificateTestResult') `
                -Cells (Get-Iso $test.ValidUntil), $Certificate.Id
        }

        It 'shows a holding, its plan item and its destruction record with their dates whole' {
            Assert-Table -Lines (Get-Rendered $Holding) -Labels (Get-TableLabel 'DataShareAdmin.DataShareHolding') -Cells (Get-Iso $Holding.DueOn), $Holding.Id
            $Plan.Count | Should -Be 1
            Assert-Table -Lines (Get-Rendered $Plan) -Labels (Get-TableLabel 'DataShareAdmin.RetentionPlanItem') -Cells (Get-Iso $Plan[0].DueOn), $Holding.Id
            $Destruction.Count | Should -Be 1
            Assert-Table -Lines (Get-Rendered $Destruction) -Labels (Get-TableLabel 'DataShareAdmin.DestructionRecord') -Cells $Holding.Id, 'Destroyed'
        }
    }
}

Describe 'Export-Csv of the module''s own objects' {
    BeforeAll {
        $CsvAgreement = New-TestAgreement -Id 'CSV00001' -ApprovalReference 'DSAP-CSV1' -DataItem 'KS2 attainment:B3', 'Attendance:C2'
        $null = Set-DataShareAgreement -Id 'CSV00001' -AccessGroupId '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90', '2f0e5c1d-7b90-4d2a-9a64-8c1f3a520b7e' -ErrorAction Stop
        $CsvRecipient = Add-DataShareRecipient -AgreementId 'CSV00001' -Name 'Cass Csv' -Email 'cass.csv@example.ac.uk' -ErrorAction Stop

        function ConvertTo-CsvRow {
            <# What Export-Csv writes for the objects, read back as Import-Csv reads it. #>
            param([Parameter(Mandatory)] [object[]] $InputObject)
            $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.csv')
            $InputObject | Export-Csv -LiteralPath $path -NoTypeInformation
            @(Import-Csv -LiteralPath $path)
        }

        function Assert-Readable {
            <# No cell is a .NET type name such as System.String[] or System.Collections.Generic.List`1[...]. #>
            param([Parameter(Mandatory)] [object[]] $Rows)
            foreach ($row in $Rows) {
                foreach ($property in $row.PSObject.Properties) {
                    "$($property.Value)" | Should -Not -Match '^System\.|^DataShareAdmin\.|\[\]$|`1\[' -Because "the $($property.Name) cell is readable"
                }
            }
        }
    }

    It 'writes an agreement''s data items and access groups as text Import-Csv can give back' {
        $row = ConvertTo-CsvRow (Get-DataShareAgreement -Id 'CSV00001')
        Assert-Readable $row
        $row[0].DataItems | Should -Be 'KS2 attainment:B3; Attendance:C2'
        $row[0].AccessGroupIds | Should -Be '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90; 2f0e5c1d-7b90-4d2a-9a64-8c1f3a520b7e'

        # The cell reads back: a copy of the agreement made from the exported row has the same data items.
        $row[0].Id = 'CSV00002'
        $copy = $row | Select-Object Id, Organisation, Title, Purpose, LegalGateway, LawfulBasis, AccessRoute, RetentionDays, DataItems,
            @{ Name = 'StartsOn'; Expression = { $CsvAgreement.StartsOn } }, @{ Name = 'EndsOn'; Expression = { $CsvAgreement.EndsOn } } |
            New-DataShareAgreement -Confirm:$false -ErrorAction Stop
        $copy.DataItems.ToString() | Should -Be 'KS2 attainment:B3; Attendance:C2'
    }

    It 'writes a safe-people test''s failed checks and checks as text' {
        $row = ConvertTo-CsvRow (Test-DataShareRecipient -RecipientId $CsvRecipient.Id)
        Assert-Readable $row
        $row[0].FailedChecks | Should -BeLike '*Certificate*'
        $row[0].FailedChecks | Should -Match '^[A-Za-z]+(; [A-Za-z]+)*$'
        $row[0].Checks | Should -BeLike 'Certificate: failed — *; *'
    }

    It 'writes an audit entry''s details as name=value pairs' {
        $row = ConvertTo-CsvRow (Get-DataShareAuditLog -TargetId $CsvRecipient.Id -Action 'Recipient.Add')
        Assert-Readable $row
        $row[0].Details | Should -BeLike '*AgreementId=CSV00001*'
        $row[0].Details | Should -BeLike '*Email=cass.csv@example.ac.uk*'
    }

    It 'writes an organisation''s agreements and assessments as text' {
        $organisation = Initialize-DataShareTestOrganisation -PassedAssessment
        $row = ConvertTo-CsvRow (Get-DataShareOrganisation -OrganisationId $organisation.Id)
        Assert-Readable $row
        $row[0].AgreementIds | Should -BeLike '*CSV00001*'
        $row[0].Assessments | Should -BeLike 'ISQ-TEST-* Passed ????-??-??*'
    }

    It 'leaves no collection of any output type to be written as its type name' {
        # Every type a cmdlet says it outputs, made empty: each collection-valued property reads as text.
        $types = @(Get-Command -Module DataShareAdmin | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.Namespace -eq 'DataShareAdmin' } | Sort-Object FullName -Unique)
        $types.Count | Should -BeGreaterThan 15
        foreach ($type in $types) {
            $constructor = $type.GetConstructor([type[]]@())
            if ($null -eq $constructor) {
                continue
            }

            $instance = $constructor.Invoke(@())
            foreach ($property in $type.GetProperties()) {
                if ($property.PropertyType -ne [string] -and [System.Collections.IEnumerable].IsAssignableFrom($property.PropertyType)) {
                    "$($property.GetValue($instance).ToString())" | Should -Not -Match '^System\.|`1\[|\[\]$' -Because "$($type.Name).$($property.Name) is written readably by Export-Csv"
                }
            }
        }

        $notice = [DataShareAdmin.DataShareNotice]@{ To = [string[]]@('a@example.ac.uk', 'b@example.ac.uk'); Cc = [string[]]@('dpo@example.ac.uk') }
        $row = ConvertTo-CsvRow $notice
        $row[0].To | Should -Be 'a@example.ac.uk; b@example.ac.uk'
        $row[0].Cc | Should -Be 'dpo@example.ac.uk'
    }
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
        $Azurite = Start-TestAzurite
        Connect-TestAzuriteStorage -Azurite $Azurite

        $null = New-TestAgreement -Id 'FMT00010' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-FMT10'
        $null = Initialize-DataShareTestOrganisation -PassedAssessment
        $recipient = Add-DataShareRecipient -AgreementId 'FMT00010' -Name 'Lin Link' -Email 'lin.link@example.ac.uk' -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number '000000400010' -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
        $null = Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop

        $Extract = Join-Path $TestDrive 'extract/pupils.csv'
        $null = New-Item -ItemType Directory -Path (Split-Path $Extract -Parent) -Force
        Set-Content -LiteralPath $Extract -Value "upn,ks2`nA123,105"

        function Get-Signature {
            param([Parameter(Mandatory)] [uri] $Link)
            $match = [regex]::Match($Link.Query, '(?:^\?|&)sig=([^&]+)')
            $match.Success | Should -BeTrue -Because 'a signed link carries its signature'
            [uri]::UnescapeDataString($match.Groups[1].Value)
        }
    }

    AfterAll {
        Stop-TestAzurite -Azurite $Azurite
    }

    It 'prints a new transfer after list-formatted output without its link, on screen and in a transcript' {
        $issued = [System.Collections.Generic.List[object]]::new()
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $null = Start-Transcript -LiteralPath $transcript
        try {
            # Test-DataShareAuditLog is list-formatted: PowerShell prints what follows as a list of its properties,
            # using no view of the transfer's own.
            & {
                Test-DataShareAuditLog
                New-DataShareTransfer -AgreementId 'FMT00010' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop |
                    ForEach-Object { $issued.Add($_); $_ }
            } | Out-Default
        }
        finally {
            $null = Stop-Transcript
        }

        $issued.Count | Should -Be 1
        $transfer = $issued[0]
        $signature = Get-Signature $transfer.Uri.Reveal()
        $screen = & { Test-DataShareAuditLog; $transfer } | Out-String -Width 120
        $afterTable = & { Get-DataShareAgreement -Id 'FMT00010'; $transfer } | Out-String -Width 120
        $written = Get-Content -LiteralPath $transcript -Raw

        foreach ($text in $screen, $afterTable, $written) {
            $text | Should -Match ([regex]::Escape($transfer.Id)) -Because 'the transfer itself is shown'
            $text | Should -Not -Match ([regex]::Escape($signature))
            $text | Should -Not -Match ([regex]::Escape([uri]::EscapeDataString($signature)))
            $text | Should -Not -Match 'sig='
        }
    }

    It 'shows the link only when it is asked for by name' {
        $transfer = New-DataShareTransfer -AgreementId 'FMT00010' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
        $signature = Get-Signature $transfer.Uri.Reveal()

        foreach ($shown in ($transfer | Format-List | Out-String -Width 120), ($transfer | Format-Table | Out-String -Width 120),
            ($transfer.Files | Format-List | Out-String -Width 120), ($transfer.Files | Out-String -Width 120), ($transfer | Out-String -Width 120)) {
            $shown | Should -Not -Match ([regex]::Escape($signature))
            $shown | Should -Not -Match 'sig='
        }

        ($transfer | Format-List | Out-String -Width 120) | Should -Match 'Link\s+: https?://\S+\?\[signature hidden:' -Because 'the list says there is a link, and how to read it'
        ($transfer | Format-List -Property Uri | Out-String -Width 4096) | Should -Not -Match 'sig=' -Because 'asking for the property by name still prints it redacted'
        Get-Signature $transfer.Uri.Reveal() | Should -Be $signature -Because '.Reveal() gives the whole link'
        $transfer.Uri.Reveal().AbsoluteUri | Should -BeLike "$($transfer.Uri.Address)?*sig=*"
    }

    It 'never writes the signature through Export-Csv, ConvertTo-Json, Export-Clixml, Select-Object *, Format-List * or Out-String' {
        $transfer = New-DataShareTransfer -AgreementId 'FMT00010' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
        $signature = Get-Signature $transfer.Uri.Reveal()
        $csv = Join-Path $TestDrive 'issued.csv'
        $filesCsv = Join-Path $TestDrive 'issued-files.csv'
        $xml = Join-Path $TestDrive 'issued.clixml'
        $transfer | Export-Csv -LiteralPath $csv -NoTypeInformation
        $transfer.Files | Export-Csv -LiteralPath $filesCsv -NoTypeInformation
        $transfer | Export-Clixml -LiteralPath $xml -Depth 5

        $written = [ordered]@{
            'Export-Csv'                  = Get-Content -LiteralPath $csv -Raw
            'Export-Csv of Files'         = Get-Content -LiteralPath $filesCsv -Raw
            'Export-Clixml -Depth 5'      = Get-Content -LiteralPath $xml -Raw
            'ConvertTo-Json -Depth 5'     = $transfer | ConvertTo-Json -Depth 5
            'ConvertTo-Json of Files'     = $transfer.Files | ConvertTo-Json -Depth 5
            'Select-Object *'             = $transfer | Select-Object * | Out-String -Width 4096
            'Select-Object * | Json'      = $transfer | Select-Object * | ConvertTo-Json -Depth 5
            'Format-List *'               = $transfer | Format-List * | Out-String -Width 4096
            'Files | Format-List *'       = $transfer.Files | Format-List * | Out-String -Width 4096
            'Format-Table *'              = $transfer | Format-Table * | Out-String -Width 4096
            'Out-String'                  = $transfer | Out-String -Width 4096
            'Uri | Format-List *'         = $transfer.Uri | Format-List * | Out-String -Width 4096
            '"$($transfer.Uri)"'          = "$($transfer.Uri) $($transfer.Files[0].Uri)"
        }
        foreach ($way in $written.Keys) {
            $text = $written[$way]
            $text | Should -Match ([regex]::Escape($transfer.Container)) -Because "$way shows the transfer"
            $text | Should -Not -Match ([regex]::Escape($signature)) -Because "$way must not carry the signature"
            $text | Should -Not -Match ([regex]::Escape([uri]::EscapeDataString($signature))) -Because "$way must not carry the signature"
            $text | Should -Not -Match 'sig=' -Because "$way must not carry the signature"
        }

        (Import-Csv -LiteralPath $csv)[0].Uri | Should -Be "$($transfer.Uri.Address)?[signature hidden: .Reveal() gives the link]"
        ($transfer | ConvertTo-Json -Depth 5 | ConvertFrom-Json).Uri.Address | Should -Be $transfer.Uri.Address
    }

    It 'writes a transfer''s files and recipients as text in Export-Csv' {
        $transfer = New-DataShareTransfer -AgreementId 'FMT00010' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
        $path = Join-Path $TestDrive 'transfers.csv'
        Get-DataShareTransfer -Id $transfer.Id | Export-Csv -LiteralPath $path -NoTypeInformation
        $row = @(Import-Csv -LiteralPath $path)[0]
        $row.Files | Should -Be 'pupils.csv'
        $row.RecipientIds | Should -Be ($transfer.RecipientIds -join '; ')
        $row.RecipientIds | Should -Match '^RC-'
    }

    It 'shows a transfer with its expiry whole and its status' {
        $transfer = New-DataShareTransfer -AgreementId 'FMT00010' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
        Assert-Table -Lines (Get-Rendered $transfer) -Labels (Get-TableLabel 'DataShareAdmin.DataShareTransfer') `
            -Cells $transfer.ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture), $transfer.Id, 'Active'
        $listed = Get-DataShareTransfer -Id $transfer.Id -ErrorAction Stop
        Assert-Table -Lines (Get-Rendered $listed) -Labels (Get-TableLabel 'DataShareAdmin.DataShareTransfer') -Cells $transfer.Container
    }
}
