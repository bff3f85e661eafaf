#Requires -Version 7.4
# Connect-DataShareStorage and New-DataShareTransfer against a private Azurite (the storage emulator pinned in
# tests/azurite) that this file starts on free loopback ports: what a connection shows and keeps secret, and what an
# upload does and shows (progress, blob metadata, paths, empty files, named recipients, completion, a run stopped
# part-way, the signature nowhere but in the link). Transfers.Tests.ps1 has the rest of the transfer cmdlets.
#
# The storage tests need node on PATH and Azurite installed in tests/azurite (the test run installs it). Without
# either they are skipped, and the Describe's name says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Uploads against Azurite' -TestFileName 'Uploads.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    # Yesterday is never in the future in the register's zone (Europe/London), wherever the machine is.
    $Yesterday = (Get-Date).Date.AddDays(-1)
    . (Join-Path $PSScriptRoot 'TransferHelpers.ps1')
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'

        $Azurite = Start-TestAzurite
        Connect-TestAzuriteStorage -Azurite $Azurite

        # An active DirectTransfer agreement with one ready recipient, whose organisation passed a security assessment
        # yesterday: current for the policy's 12 months, well past any link's last day.
        $Agreement = New-TestAgreement -Id 'TRX0001' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-TRX1'
        $null = Add-DataShareSecurityAssessment -Organisation $Agreement.OrganisationId -AssessedOn $Yesterday -Outcome Passed `
            -Reference 'ISQ-TRX-0001' -ErrorAction Stop
        $null = Add-ReadyRecipient -AgreementId 'TRX0001' -Name 'Rae Ready' -Email 'rae.ready@example.ac.uk' -CertificateNumber '000000300002'
        $ExtractPath = New-TestFile -RelativePath 'extract/pupils.csv' -Size 4096
    }

    AfterAll {
        Stop-TestAzurite -Azurite $Azurite
    }

    Context 'Connect-DataShareStorage against Azurite' {
        BeforeAll {
            $WellKnownKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
            $StorageConnectionString = Get-TestAzuriteBlobConnectionString -Azurite $Azurite
        }

        AfterAll {
            Connect-TestAzuriteStorage -Azurite $Azurite
        }

        It 'connects with the emulator''s connection string when -AllowHttpLoopback allows plain http, and shows no secret' {
            $records = @(Connect-DataShareStorage -ConnectionString $StorageConnectionString -AllowHttpLoopback -PassThru -Verbose -ErrorAction Stop 4>&1)
            $info = @($records | Where-Object { $_ -is [DataShareAdmin.StorageConnectionInfo] })

            $info.Count | Should -Be 1
            $info[0].AccountName | Should -Be 'devstoreaccount1'
            $info[0].Authentication | Should -Be ([DataShareAdmin.StorageAuthentication]::SharedKey)
            $info[0].CanSignWithAccountKey | Should -BeTrue
            $info[0].IsInsecureLoopback | Should -BeTrue
            $info[0].BlobEndpoint.ToString().TrimEnd('/') | Should -Be $Azurite.BlobEndpoint
            $everything = @($records | ForEach-Object { "$_" }) + @($info[0].PSObject.Properties | ForEach-Object { "$($_.Value)" })
            ($everything -join "`n") | Should -Not -BeLike "*$WellKnownKey*"
            ($everything -join "`n") | Should -Not -BeLike '*AccountKey*'
        }

        It 'takes the connection string from the environment variable -ConnectionString names, or as a SecureString' {
            $name = 'DSA_PESTER_STORAGE_' + [guid]::NewGuid().ToString('N')
            Set-Item -LiteralPath "env:$name" -Value $StorageConnectionString
            try {
                (Connect-DataShareStorage -ConnectionString $name -AllowHttpLoopback -PassThru -ErrorAction Stop).AccountName | Should -Be 'devstoreaccount1'
            }
            finally {
                Remove-Item -LiteralPath "env:$name"
            }

            $secure = ConvertTo-SecureString -String $StorageConnectionString -AsPlainText -Force
            (Connect-DataShareStorage -ConnectionString $secure -AllowHttpLoopback -PassThru -ErrorAction Stop).AccountName | Should -Be 'devstoreaccount1'
        }

        It 'refuses a wrong key with StorageAuthenticationFailed (PermissionDenied), without showing it' {
            $wrongKey = [Convert]::ToBase64String([byte[]]::new(64))

            Connect-DataShareStorage -ConnectionString $StorageConnectionString.Replace($WellKnownKey, $wrongKey) -AllowHttpLoopback -ErrorAction SilentlyContinue -ErrorVariable problems

            $problems.Count | Should -Be 1
            Assert-DataShareError -ErrorRecord $problems[0] -ErrorId 'StorageAuthenticationFailed' -Category PermissionDenied -Cmdlet 'Connect-DataShareStorage'
            $problems[0].ToString() | Should -Not -BeLike "*$wrongKey*"
        }

        It 'never writes the account key to the register' {
            Connect-TestAzuriteStorage -Azurite $Azurite
            $null = New-TestAgreement

            $text = foreach ($file in $RegisterPath, "$RegisterPath-wal") {
                if (Test-Path -LiteralPath $file) {
                    [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($file))
                }
            }

            ($text -join "`n") | Should -Not -BeLike "*$WellKnownKey*"
            ($text -join "`n") | Should -Not -BeLike "*$($WellKnownKey.Substring(0, 20))*"
        }
    }

    Context 'What an upload does and shows' {
        BeforeAll {
            $StorageConnectionString = Get-TestAzuriteBlobConnectionString -Azurite $Azurite

            function Get-Link {
                <# The status code of a GET of the link, and the response's headers. #>
                param([Parameter(Mandatory)] [uri] $Uri, [string] $Method = 'GET')

                $response = Invoke-WebRequest -Uri $Uri -Method $Method -SkipHttpErrorCheck -NoProxy
                [pscustomobject]@{ StatusCode = [int]$response.StatusCode; Headers = $response.Headers }
            }
        }

        It 'reports each file''s progress, the large one part by part, always completes it, and puts each file''s hash and size on its blob' {
            $large = New-TestFile -RelativePath 'progress/large.bin' -Size (20 * 1024 * 1024 + 12345)

            $run = Invoke-DataShareTestRunspace -ScriptBlock {
                param($ConnectionString, $Small, $Large)
                Connect-DataShareStorage -ConnectionString $ConnectionString -AllowHttpLoopback -ErrorAction Stop
                New-DataShareTransfer -AgreementId 'TRX0001' -Path $Small, $Large -ValidFor '2.00:00:00' -Confirm:$false
            } -ArgumentList $StorageConnectionString, $ExtractPath, $large

            $run.Error | Should -BeNullOrEmpty
            $transfer = @($run.Output)[-1]
            $transfer.Files.Name | Should -Be @('pupils.csv', 'large.bin')
            $uploads = @($run.Progress | Where-Object Activity -EQ 'Uploading transfer')
            @($uploads | Where-Object StatusDescription -Like 'pupils.csv (1 of 2*') | Should -Not -BeNullOrEmpty
            @($uploads | Where-Object { $_.StatusDescription -like 'large.bin (2 of 2*' -and $_.PercentComplete -lt 100 }) | Should -Not -BeNullOrEmpty
            @($run.Progress | Where-Object RecordType -EQ 'Completed') | Should -Not -BeNullOrEmpty

            foreach ($pair in @(@{ File = $transfer.Files[0]; Path = $ExtractPath }, @{ File = $transfer.Files[1]; Path = $large })) {
                $downloaded = Join-Path $TestDrive ('downloaded-' + $pair.File.Name)
                Invoke-WebRequest -Uri $pair.File.Uri.Reveal() -OutFile $downloaded -NoProxy -ErrorAction Stop
                Get-Sha256 -Path $downloaded | Should -BeExactly (Get-Sha256 -Path $pair.Path)
                $pair.File.Sha256 | Should -BeExactly (Get-Sha256 -Path $pair.Path)
                $head = Get-Link -Uri $pair.File.Uri.Reveal() -Method Head
                "$($head.Headers['x-ms-meta-sha256'])" | Should -BeExactly $pair.File.Sha256
                "$($head.Headers['x-ms-meta-size'])" | Should -Be "$((Get-Item -LiteralPath $pair.Path).Length)"
            }

            (Get-DataShareTransfer -Id $transfer.Id -ErrorAction Stop).ExpiresOn | Should -Be $transfer.ExpiresOn
        }

        It 'gives a link that opens its own container only' {
            $first = New-DataShareTransfer -AgreementId 'TRX0001' -Path $ExtractPath -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
            $second = New-DataShareTransfer -AgreementId 'TRX0001' -Path $ExtractPath -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop

            $foreign = [System.UriBuilder]::new($second.Files[0].Uri.Reveal())
            $foreign.Query = $first.Uri.Reveal().Query.TrimStart('?')

            (Get-Link -Uri $second.Files[0].Uri.Reveal()).StatusCode | Should -Be 200
            (Get-Link -Uri $foreign.Uri).StatusCode | Should -Be 403
        }

        It 'takes -LiteralPath as it is, brackets and all, while -Path expands wildcards' {
            $folder = Join-Path $TestDrive 'literal'
            $null = New-Item -ItemType Directory -Path $folder -Force
            Set-Content -LiteralPath (Join-Path $folder 'pupils.csv') -Value 'a' -NoNewline
            $odd = Join-Path $folder 'pupils[2026].csv'
            Set-Content -LiteralPath $odd -Value "x`n" -NoNewline

            New-DataShareTransfer -AgreementId 'TRX0001' -Path $odd -ValidFor '01:00:00' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            Assert-DataShareError -ErrorRecord $err[0] -ErrorId 'TransferFileNotFound' -Category ObjectNotFound -Cmdlet 'New-DataShareTransfer'

            $literal = New-DataShareTransfer -AgreementId 'TRX0001' -LiteralPath $odd -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
            $literal.Files.Name | Should -Be @('pupils[2026].csv')
            [System.Text.Encoding]::UTF8.GetString((Invoke-WebRequest -Uri $literal.Files[0].Uri.Reveal() -NoProxy -ErrorAction Stop).Content) | Should -Be "x`n"

            $wildcard = New-DataShareTransfer -AgreementId 'TRX0001' -Path (Join-Path $folder 'pupil*.csv') -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
            @($wildcard.Files.Name | Sort-Object) | Should -Be @('pupils.csv', 'pupils[2026].csv')
        }

        It 'sends every file in a folder and warns about one that is empty' {
            $folder = Join-Path $TestDrive 'with-empty'
            $null = New-Item -ItemType Directory -Path (Join-Path $folder 'lookups') -Force
            Set-Content -LiteralPath (Join-Path $folder 'a.csv') -Value "a`n1`n" -NoNewline
            Set-Content -LiteralPath (Join-Path $folder 'lookups' 'b.csv') -Value "b`n2`n" -NoNewline
            [System.IO.File]::WriteAllBytes((Join-Path $folder 'empty.csv'), [byte[]]::new(0))

            $sent = New-DataShareTransfer -AgreementId 'TRX0001' -Path $folder -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue

            @($sent.Files.Name | Sort-Object) | Should -Be @('a.csv', 'empty.csv', 'lookups/b.csv')
            [System.Text.Encoding]::UTF8.GetString((Invoke-WebRequest -Uri ($sent.Files | Where-Object Name -EQ 'lookups/b.csv').Uri.Reveal() -NoProxy -ErrorAction Stop).Content) |
                Should -Be "b`n2`n"
            @($warnings.Message | Where-Object { $_ -like '*empty.csv*' -and $_ -like '*0 bytes*' }) | Should -Not -BeNullOrEmpty
        }

        It 'issues a link to the recipients named with -RecipientId when another on the agreement is not ready' {
            $null = New-TestAgreement -Id 'TRX0010' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-TRX10'
            $rae = Add-ReadyRecipient -AgreementId 'TRX0010' -Name 'Rae Ready' -Email 'rae.ready@example.ac.uk'
            $null = Add-DataShareRecipient -AgreementId 'TRX0010' -Name 'Nia None' -Email 'nia.none@example.ac.uk' -ErrorAction Stop

            New-DataShareTransfer -AgreementId 'TRX0010' -Path $ExtractPath -ValidFor '01:00:00' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -BeLike '*nia.none@example.ac.uk*'

            $issued = New-DataShareTransfer -AgreementId 'TRX0010' -Path $ExtractPath -ValidFor '01:00:00' -RecipientId $rae.Id -Confirm:$false -ErrorAction Stop
            $issued.RecipientIds | Should -Be @($rae.Id)
        }

        It 'completes -Id of Revoke-DataShareTransfer with transfer ids, newest first, saying what each is' {
            $older = New-DataShareTransfer -AgreementId 'TRX0001' -Path $ExtractPath -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop
            $newer = New-DataShareTransfer -AgreementId 'TRX0001' -Path $ExtractPath -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop

            $completion = TabExpansion2 -inputScript 'Revoke-DataShareTransfer -Id TR-' -cursorColumn 'Revoke-DataShareTransfer -Id TR-'.Length

            @($completion.CompletionMatches.CompletionText)[0..1] | Should -Be @($newer.Id, $older.Id)
            $completion.CompletionMatches[0].ToolTip | Should -BeLike '*TRX0001, 1 file(s), Active*'
        }

        It 'stopped part-way, removes its container and records the transfer as incomplete, with no link' {
            $huge = Join-Path $TestDrive 'huge.bin'
            $stream = [System.IO.File]::Create($huge)
            try {
                $stream.SetLength(256MB)
            }
            finally {
                $stream.Dispose()
            }

            $containers = Get-TestAzuriteContainer -Azurite $Azurite
            $before = Get-TransferState

            $run = Invoke-DataShareTestRunspace -StopAfterFirstProgress ([timespan]::FromSeconds(60)) -ScriptBlock {
                param($ConnectionString, $Path)
                Connect-DataShareStorage -ConnectionString $ConnectionString -AllowHttpLoopback -ErrorAction Stop
                New-DataShareTransfer -AgreementId 'TRX0001' -Path $Path -ValidFor '01:00:00' -Confirm:$false
            } -ArgumentList $StorageConnectionString, $huge

            $run.Stopped | Should -BeTrue -Because 'the upload was stopped after its first progress record'
            Get-TestAzuriteContainer -Azurite $Azurite | Should -Be $containers
            $after = Get-TransferState
            # The register knew of the upload before it began (no untracked copy), and says how it ended.
            $after.Transfers | Should -Be ($before.Transfers + 1)
            $stopped = @(Get-DataShareTransfer -AgreementId 'TRX0001' -Incomplete -ErrorAction Stop | Where-Object { $_.Files.Name -contains 'huge.bin' })
            $stopped.Count | Should -Be 1
            $stopped[0].Status | Should -Be ([DataShareAdmin.TransferStatus]::Incomplete)
            $stopped[0].Uri | Should -BeNullOrEmpty
            @(Get-DataShareAuditLog -TargetId $stopped[0].Id -ErrorAction Stop).Action | Should -Be @('Transfer.Start', 'Transfer.Fail')
        }

        It 'never writes the signature to the debug or information streams or the register file' {
            $DebugPreference = 'Continue'
            $records = @(New-DataShareTransfer -AgreementId 'TRX0001' -Path $ExtractPath -ValidFor '01:00:00' -Confirm:$false -Verbose -ErrorAction Stop 4>&1 5>&1 6>&1)
            $DebugPreference = 'SilentlyContinue'
            $transfer = @($records | Where-Object { $_ -is [DataShareAdmin.DataShareTransfer] })[0]
            $signature = [System.Web.HttpUtility]::ParseQueryString($transfer.Uri.Reveal().Query)['sig']
            $signature.Length | Should -BeGreaterThan 20

            $said = @($records | Where-Object { $_ -isnot [DataShareAdmin.DataShareTransfer] } | ForEach-Object { "$_" }) -join "`n"
            $said | Should -BeLike "*$($transfer.Id)*"
            $said.Contains($signature) | Should -BeFalse
            $said.Contains('sig=') | Should -BeFalse

            $texts = [System.Collections.Generic.List[string]]::new()
            foreach ($file in $RegisterPath, "$RegisterPath-wal") {
                if (Test-Path -LiteralPath $file) {
                    $bytes = [System.IO.File]::ReadAllBytes($file)
                    $texts.Add([System.Text.Encoding]::UTF8.GetString($bytes))
                    $texts.Add([System.Text.Encoding]::Unicode.GetString($bytes))
                }
            }

            ($texts -join "`n").Contains($transfer.Id) | Should -BeTrue
            foreach ($text in $texts) {
                $text.Contains($signature) | Should -BeFalse
                $text.Contains([uri]::EscapeDataString($signature)) | Should -BeFalse
                $text.Contains('sig=') | Should -BeFalse
            }
        }
    }
}
