#Requires -Version 7.4
# Export-DataSharePersonData through the built module: the two files written for a person (by email or id), the JSON
# parses and the page names them, -WhatIf writes and audits nothing, recipients piped in by PersonId get one export
# each, refusals carry their ids and leave nothing behind, the parameter sets refuse both or neither of -Email and
# -PersonId, and the help says the files are personal data of their subject. What the files hold is the engine's
# (Core.Tests, People/PersonDataTests).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $Agreement = New-TestAgreement -Id 'PSN0001' -ApprovalReference 'DSAP-PSN-1' -StartsOn $Today.AddDays(-60) -ApprovedOn $Today.AddDays(-70)
    $Second = New-TestAgreement -Id 'PSN0002'
    $Jo = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Jo Subject' -Email 'jo.subject@example.ac.uk' -Role 'Analyst' -ErrorAction Stop
    $null = Add-DataShareRecipient -AgreementId $Second.Id -Name 'Jo Subject' -Email 'jo.subject@example.ac.uk' -ErrorAction Stop
    $Sam = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Sam Other' -Email 'sam.other@example.ac.uk' -ErrorAction Stop
    $null = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '000000400001' -IssuedOn $Today.AddMonths(-6) -HolderName 'Jo Subject' -ErrorAction Stop

    $Folder = Join-Path $TestDrive 'sar'
    $null = New-Item -ItemType Directory -Path $Folder -Force
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Export-DataSharePersonData' {
    It 'writes the JSON and the page for a person found by email, and audits the export' {
        $stem = Join-Path $Folder 'jo'
        $before = (Test-DataShareAuditLog).EntryCount

        $files = Export-DataSharePersonData -Email 'JO.Subject@example.ac.uk' -Path $stem -PassThru -ErrorAction Stop

        $files | Should -BeOfType ([System.IO.FileInfo])
        $files.FullName | Should -Be @("$stem.json", "$stem.html")
        $json = Get-Content -LiteralPath "$stem.json" -Raw | ConvertFrom-Json
        $json.schema | Should -Be 'datashareadmin-person-data'
        $json.person.id | Should -Be $Jo.PersonId
        @($json.recipients.agreementId | Sort-Object) | Should -Be @('PSN0001', 'PSN0002')
        $json.certificates[0].number | Should -Be '000000400001'
        $page = Get-Content -LiteralPath "$stem.html" -Raw
        $page | Should -Match 'Jo Subject'
        $page | Should -Match 'personal data of the person it is about'
        $page | Should -Not -Match 'sam\.other'
        @(Get-ChildItem -LiteralPath $Folder -Filter '*.partial-*') | Should -BeNullOrEmpty
        if (-not $IsWindows) {
            # Personal data, certificate numbers in full: readable by the owner only, whatever the umask.
            (Get-Item -LiteralPath "$stem.json").UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item -LiteralPath "$stem.html").UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }

        (Test-DataShareAuditLog).EntryCount | Should -Be ($before + 1)
        $entry = Get-DataShareAuditLog -Action 'Person.Export' | Select-Object -Last 1
        $entry.TargetId | Should -Be $Jo.PersonId
        $entry.Details['Files'] | Should -Be 'jo.json, jo.html'
        ($entry.Details.Values -join ' ') | Should -Not -Match '0001'
    }

    It 'writes nothing and audits nothing with -WhatIf' {
        $stem = Join-Path $Folder 'whatif'
        $before = (Test-DataShareAuditLog).Head

        Export-DataSharePersonData -PersonId $Jo.PersonId -Path $stem -WhatIf

        Test-Path -LiteralPath "$stem.json" | Should -BeFalse
        Test-Path -LiteralPath "$stem.html" | Should -BeFalse
        (Test-DataShareAuditLog).Head | Should -Be $before
    }

    It 'exports each person piped in (recipients, by PersonId) once, into an existing folder' {
        $into = Join-Path $Folder 'many'
        $null = New-Item -ItemType Directory -Path $into

        $files = Get-DataShareRecipient | Where-Object AgreementId -Like 'PSN*' | Export-DataSharePersonData -Path $into -PassThru -ErrorAction Stop

        @($files.Name | Sort-Object) | Should -Be (@("$($Jo.PersonId)-personal-data.json", "$($Jo.PersonId)-personal-data.html", "$($Sam.PersonId)-personal-data.json", "$($Sam.PersonId)-personal-data.html") | Sort-Object)
    }

    It 'refuses a second person to the same files: PersonDataPathInvalid' {
        $stem = Join-Path $Folder 'both'

        $Jo, $Sam | Export-DataSharePersonData -Path $stem -ErrorVariable failed -ErrorAction SilentlyContinue

        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonDataPathInvalid' -Category InvalidArgument -Cmdlet 'Export-DataSharePersonData'
        (Get-Content -LiteralPath "$stem.json" -Raw | ConvertFrom-Json).person.id | Should -Be $Jo.PersonId
    }

    It 'names a person not in the register: PersonNotFound, and writes and audits nothing' {
        $stem = Join-Path $Folder 'missing'
        $before = (Test-DataShareAuditLog).Head

        Export-DataSharePersonData -Email 'nobody@example.ac.uk' -Path $stem -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonNotFound' -Category ObjectNotFound -Cmdlet 'Export-DataSharePersonData'
        Export-DataSharePersonData -PersonId 'PE-0000000000' -Path $stem -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonNotFound' -Category ObjectNotFound -Cmdlet 'Export-DataSharePersonData'

        Test-Path -LiteralPath "$stem.json" | Should -BeFalse
        (Test-DataShareAuditLog).Head | Should -Be $before
    }

    It 'refuses both -Email and -PersonId, and neither, by parameter set' {
        { Export-DataSharePersonData -Email $Jo.Email -PersonId $Jo.PersonId -Path (Join-Path $Folder 'x') -ErrorAction Stop } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,DataShareAdmin.Commands.ExportDataSharePersonDataCommand'
        $run = Invoke-DataShareTestPwsh -ArgumentList '-NonInteractive', '-Command', @"
Import-Module '$DataShareModuleManifest'
try { Export-DataSharePersonData -Path '$(Join-Path $Folder 'y')' -ErrorAction Stop } catch { 'id=' + `$_.FullyQualifiedErrorId }
"@
        $run.Output | Should -Match 'id=.*ExportDataSharePersonDataCommand'
        Test-Path -LiteralPath (Join-Path $Folder 'y.json') | Should -BeFalse
    }

    It 'keeps existing files without -Force (PersonDataFileExists) and never replaces a link or writes into a missing folder: PersonDataPathInvalid' {
        $stem = Join-Path $Folder 'existing'
        Set-Content -LiteralPath "$stem.html" -Value 'keep me'

        Export-DataSharePersonData $Jo.PersonId $stem -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonDataFileExists' -Category ResourceExists -Cmdlet 'Export-DataSharePersonData'
        Get-Content -LiteralPath "$stem.html" | Should -Be 'keep me'
        Test-Path -LiteralPath "$stem.json" | Should -BeFalse

        Export-DataSharePersonData $Jo.PersonId (Join-Path $TestDrive 'no-such-folder/jo') -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonDataPathInvalid' -Category ObjectNotFound -Cmdlet 'Export-DataSharePersonData'
        $failed[0].Exception.Message | Should -BeLike "*folder '$(Join-Path $TestDrive 'no-such-folder')' does not exist*"

        # A folder meant as a folder (trailing separator) that is not there: named as given, never as '<folder>/.json'.
        $missingFolder = (Join-Path $TestDrive 'absent') + [System.IO.Path]::DirectorySeparatorChar
        Export-DataSharePersonData $Jo.PersonId $missingFolder -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonDataPathInvalid' -Category ObjectNotFound -Cmdlet 'Export-DataSharePersonData'
        $failed[0].Exception.Message | Should -Not -BeLike '*.json*'
        $failed[0].Exception.Message | Should -BeLike "*folder '$(Join-Path $TestDrive 'absent')' does not exist*"
        Test-Path -LiteralPath (Join-Path $TestDrive 'absent') | Should -BeFalse

        $target = Join-Path $Folder 'target.txt'
        Set-Content -LiteralPath $target -Value 'linked'
        $linked = Join-Path $Folder 'linked'
        $null = New-Item -ItemType SymbolicLink -Path "$linked.json" -Target $target
        Export-DataSharePersonData $Jo.PersonId $linked -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'PersonDataPathInvalid' -Category InvalidArgument -Cmdlet 'Export-DataSharePersonData'
        Get-Content -LiteralPath $target | Should -Be 'linked'
        Test-Path -LiteralPath "$linked.html" | Should -BeFalse

        Export-DataSharePersonData $Jo.PersonId $stem -Force -ErrorAction Stop
        Get-Content -LiteralPath "$stem.html" -Raw | Should -Match 'Jo Subject'
    }

    It 'completes person ids and emails from the register' {
        $line = "Export-DataSharePersonData -PersonId $($Jo.PersonId.Substring(0, 5))"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain $Jo.PersonId
        $line = 'Export-DataSharePersonData -Email sam.'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain 'sam.other@example.ac.uk'
    }

    It 'says in its help that the files are personal data of their subject, and documents every parameter' {
        $help = Get-Help Export-DataSharePersonData -Full
        ($help | Out-String) | Should -Match 'personal data of the person'
        foreach ($name in 'PersonId', 'Email', 'Path', 'Force', 'PassThru') {
            ($help.parameters.parameter | Where-Object name -EQ $name).description | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Export-DataShareReport -Kind Retention: people due for review' {
    It 'lists people once their last agreement ended longer ago than PersonReviewAfterDays, with their person id' {
        Set-DataSharePolicy -Name PersonReviewAfterDays -Value 30 -ErrorAction Stop
        $ends = ($Agreement.EndsOn, $Second.EndsOn | Measure-Object -Maximum).Maximum

        $rows = foreach ($asOf in $ends.AddDays(30), $ends.AddDays(31)) {
            $path = Join-Path $Folder ('retention-{0:yyyyMMdd}.csv' -f $asOf)
            Export-DataShareReport -Kind Retention -Format Csv -AsOf $asOf -Path $path -ErrorAction Stop
            , @(Import-Csv -LiteralPath $path | Where-Object { $_.state -eq 'PersonReview' -and $_.agreement -like 'PSN*' })
        }

        $rows[0] | Should -BeNullOrEmpty
        @($rows[1].personId | Sort-Object) | Should -Be @($Jo.PersonId, $Sam.PersonId | Sort-Object)
        ($rows[1] | Where-Object personId -EQ $Jo.PersonId).reason | Should -Match 'Export-DataSharePersonData'
    }
}
