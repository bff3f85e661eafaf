#Requires -Version 7.4
# Export-DataShareEvidence and Test-DataShareEvidence through the built module: a pack written for an agreement
# verifies, -WhatIf writes nothing, agreements piped into a folder get a pack each, refusals carry their ids and
# leave nothing behind, a changed pack is a result (never an error), checking needs no register, and the help says the
# pack holds personal data. What a pack holds and every way of tampering with one are the engine's (Core.Tests,
# Evidence/); the main job writes one for a swept transfer on Azurite and verifies it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $Agreement = New-TestAgreement -Id 'EVD0001' -ApprovalReference 'DSAP-EVD-1' -StartsOn $Today.AddDays(-60) -ApprovedOn $Today.AddDays(-70)
    $Jo = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Jo Evidence' -Email 'jo.evidence@example.ac.uk' -Role 'Analyst' -ErrorAction Stop
    $null = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '000000300001' -IssuedOn $Today.AddMonths(-6) -HolderName 'Jo Evidence' -ErrorAction Stop
    $Second = New-TestAgreement -Id 'EVD0002'

    $Folder = Join-Path $TestDrive 'evidence'
    $null = New-Item -ItemType Directory -Path $Folder -Force

    function Read-PackEntry {
        param([string] $Path, [string] $Name)
        Add-Type -AssemblyName System.IO.Compression
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $entry = $zip.Entries | Where-Object FullName -Like "*/$Name"
            $reader = [System.IO.StreamReader]::new($entry.Open())
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Export-DataShareEvidence' {
    It 'writes a pack that Test-DataShareEvidence finds valid, at the register''s audit head' {
        $path = Join-Path $Folder 'one.zip'
        $file = Export-DataShareEvidence -AgreementId $Agreement.Id -Path $path -PassThru -ErrorAction Stop

        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $path
        $result = Test-DataShareEvidence -Path $path
        $result | Should -BeOfType 'DataShareAdmin.EvidenceTestResult'
        $result.IsValid | Should -BeTrue -Because ($result.Problems -join "`n")
        $result.AgreementId | Should -Be 'EVD0001'
        $result.AuditHead | Should -Be (Test-DataShareAuditLog).Head
        $index = Read-PackEntry -Path $path -Name 'data/evidence.json' | ConvertFrom-Json
        $index.recipients[0].email | Should -Be 'jo.evidence@example.ac.uk'
        $index.recipients[0].certificates[0].numberMasked | Should -Be '…0001'
        Read-PackEntry -Path $path -Name 'bag-info.txt' | Should -Match '(?m)^Contains-Personal-Data: yes'
        @(Get-ChildItem -LiteralPath $Folder -Filter '*.partial-*') | Should -BeNullOrEmpty
        if (-not $IsWindows) {
            # It holds recipients' names and emails: readable by the owner only, whatever the umask.
            (Get-Item -LiteralPath $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $Folder 'whatif.zip'
        $before = (Test-DataShareAuditLog).Head

        Export-DataShareEvidence $Agreement.Id $path -WhatIf

        Test-Path -LiteralPath $path | Should -BeFalse
        (Test-DataShareAuditLog).Head | Should -Be $before
    }

    It 'writes one pack per agreement piped in (once each) into an existing folder' {
        $into = Join-Path $Folder 'many'
        $null = New-Item -ItemType Directory -Path $into

        $files = @(Get-DataShareRecipient -AgreementId $Agreement.Id), $Second, $Agreement | ForEach-Object { $_ } |
            Export-DataShareEvidence -Path $into -PassThru -ErrorAction Stop

        $files.Name | Should -Be @('EVD0001-evidence.zip', 'EVD0002-evidence.zip')
        $files | Test-DataShareEvidence | ForEach-Object { $_.IsValid | Should -BeTrue }
    }

    It 'refuses a second agreement to the same file: EvidencePathInvalid' {
        $path = Join-Path $Folder 'both.zip'

        $Agreement, $Second | Export-DataShareEvidence -Path $path -ErrorVariable failed -ErrorAction SilentlyContinue

        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'EvidencePathInvalid' -Category InvalidArgument -Cmdlet 'Export-DataShareEvidence'
        (Test-DataShareEvidence $path).AgreementId | Should -Be 'EVD0001'
    }

    It 'keeps an existing file without -Force (EvidenceFileExists) and replaces it with -Force' {
        $path = Join-Path $Folder 'existing.zip'
        Set-Content -LiteralPath $path -Value 'keep me'

        Export-DataShareEvidence $Agreement.Id $path -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'EvidenceFileExists' -Category ResourceExists -Cmdlet 'Export-DataShareEvidence'
        Get-Content -LiteralPath $path | Should -Be 'keep me'

        Export-DataShareEvidence $Agreement.Id $path -Force -ErrorAction Stop
        (Test-DataShareEvidence $path).IsValid | Should -BeTrue
    }

    It 'never replaces a device or a link, even with -Force: EvidencePathInvalid' {
        $target = Join-Path $Folder 'target.txt'
        Set-Content -LiteralPath $target -Value 'linked'
        $link = Join-Path $Folder 'link.zip'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $target

        foreach ($path in '/dev/null', $link) {
            Export-DataShareEvidence $Agreement.Id $path -Force -ErrorVariable failed -ErrorAction SilentlyContinue
            Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'EvidencePathInvalid' -Category InvalidArgument -Cmdlet 'Export-DataShareEvidence'
        }

        Get-Content -LiteralPath $target | Should -Be 'linked'
    }

    It 'names an agreement not in the register: AgreementNotFound, and writes nothing' {
        $path = Join-Path $Folder 'missing.zip'
        Export-DataShareEvidence 'EVD9999' $path -ErrorVariable failed -ErrorAction SilentlyContinue

        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'AgreementNotFound' -Category ObjectNotFound -Cmdlet 'Export-DataShareEvidence'
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'says in its help that the pack contains personal data, and documents every parameter' {
        $help = Get-Help Export-DataShareEvidence -Full
        ($help | Out-String) | Should -Match 'contains personal data'
        foreach ($name in 'AgreementId', 'Path', 'Force', 'PassThru') {
            ($help.parameters.parameter | Where-Object name -EQ $name).description | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Test-DataShareEvidence' {
    BeforeAll {
        $Pack = Join-Path $Folder 'checked.zip'
        Export-DataShareEvidence $Agreement.Id $Pack -ErrorAction Stop
    }

    It 'returns a result with the problem, and no error, for a pack with a changed byte' {
        $bad = Join-Path $Folder 'changed.zip'
        Copy-Item -LiteralPath $Pack -Destination $bad
        Add-Type -AssemblyName System.IO.Compression
        $zip = [System.IO.Compression.ZipFile]::Open($bad, 'Update')
        try {
            $entry = $zip.Entries | Where-Object FullName -Like '*/data/summary.html'
            $stream = $entry.Open()
            try { $stream.Position = 20; $stream.WriteByte([byte][char]'X') } finally { $stream.Dispose() }
        }
        finally { $zip.Dispose() }

        $result = Test-DataShareEvidence -Path $bad -ErrorVariable failed

        $failed | Should -BeNullOrEmpty
        $result.IsValid | Should -BeFalse
        $result.Problems.Id | Should -Contain 'EvidenceDigestMismatch'
        ($result.Problems | Where-Object Id -EQ 'EvidenceDigestMismatch').Entry | Should -Be 'data/summary.html'
    }

    It 'reports a file that is not a zip as EvidenceZipCorrupt, not as an error' {
        $junk = Join-Path $Folder 'junk.zip'
        Set-Content -LiteralPath $junk -Value 'not a zip'

        $result = Test-DataShareEvidence $junk -ErrorAction Stop

        $result.IsValid | Should -BeFalse
        $result.Problems.Id | Should -Be 'EvidenceZipCorrupt'
    }

    It 'refuses a path with nothing there (EvidenceFileNotFound) and a folder or device (EvidencePathInvalid)' {
        Test-DataShareEvidence (Join-Path $Folder 'nothing.zip') -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'EvidenceFileNotFound' -Category ObjectNotFound -Cmdlet 'Test-DataShareEvidence'

        foreach ($path in $Folder, '/dev/null') {
            Test-DataShareEvidence $path -ErrorVariable failed -ErrorAction SilentlyContinue
            Assert-DataShareError -ErrorRecord $failed[0] -ErrorId 'EvidencePathInvalid' -Category InvalidArgument -Cmdlet 'Test-DataShareEvidence'
        }
    }

    It 'needs no register: it checks a pack after a failed connect' {
        $run = Invoke-DataShareTestPwsh -ArgumentList '-Command', @"
Import-Module '$DataShareModuleManifest'
Connect-DataShareRegister -Path '$(Join-Path $TestDrive 'no-such-register.db')' -ErrorAction SilentlyContinue
`$r = Test-DataShareEvidence -Path '$Pack' -ErrorAction Stop
'valid=' + `$r.IsValid
"@
        $run.Lines | Should -Contain 'valid=True' -Because $run.Output
    }

    It 'shows its result as a list with the verdict and the head' {
        $text = Test-DataShareEvidence $Pack | Out-String
        $text | Should -Match 'IsValid\s+: True'
        $text | Should -Match 'AuditHead\s+: \d+:[0-9a-f]{64}'
    }
}
