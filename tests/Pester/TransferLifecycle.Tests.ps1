#Requires -Version 7.4
# What a person is told about a transfer over its life, on real pwsh against a private Azurite: the storage service's
# own words when it refuses the session, a warning when its agreement ends before its link does, and its status once
# the retention sweep has deleted its files.
#
# These tests need node on PATH and Azurite installed in tests/azurite (npm ci there, or run the xunit storage tests
# once, which install it). Without either they are skipped, and the Describe's name says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Transfer lifecycle against Azurite' -TestFileName 'TransferLifecycle.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $Today = (Get-Date).Date
    $Yesterday = $Today.AddDays(-1)
    $SetCommand = 'DataShareAdmin.Commands.SetDataShareAgreementCommand'
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
        $Azurite = Start-TestAzurite
        Connect-TestAzuriteStorage -Azurite $Azurite

        $null = Initialize-DataShareTestOrganisation -PassedAssessment

        function New-ReadyTransferAgreement {
            <# An active DirectTransfer agreement with one ready recipient, and one transfer whose link works 3 days. #>
            param([Parameter(Mandatory)] [string] $Id)

            $null = New-TestAgreement -Id $Id -AccessRoute DirectTransfer -ApprovalReference "DSAP-$Id" -StartsOn $Today.AddDays(-60) -EndsOn $Today.AddDays(200)
            $recipient = Add-DataShareRecipient -AgreementId $Id -Name 'Lee Life' -Email "lee.life.$($Id.ToLowerInvariant())@example.ac.uk" -ErrorAction Stop
            $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number ('0000005' + $Id.Substring($Id.Length - 5)) `
                -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
            $null = Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop
            $extract = Join-Path $TestDrive "$Id/pupils.csv"
            $null = New-Item -ItemType Directory -Path (Split-Path $extract -Parent) -Force
            Set-Content -LiteralPath $extract -Value "upn,ks2`nA123,105"
            New-DataShareTransfer -AgreementId $Id -Path $extract -ValidFor '3.00:00:00' -Confirm:$false -ErrorAction Stop
        }
    }

    AfterAll {
        Stop-TestAzurite -Azurite $Azurite
    }

    It 'passes on the storage service''s own message when it refuses the session, without the request dump' {
        $strict = Start-TestAzurite -CheckApiVersion
        try {
            $connectionString = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
            'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
            "BlobEndpoint=$($strict.BlobEndpoint);"

            # A runspace of its own, so this file's session stays connected to the Azurite that works.
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript({
                        param($Manifest, $ConnectionString)
                        Import-Module $Manifest -ErrorAction Stop
                        Connect-DataShareStorage -ConnectionString $ConnectionString -AllowHttpLoopback -ErrorAction SilentlyContinue -ErrorVariable problems
                        foreach ($problem in $problems) {
                            [pscustomobject]@{ Id = $problem.FullyQualifiedErrorId; Category = "$($problem.CategoryInfo.Category)"; Message = $problem.Exception.Message }
                        }
                    }).AddArgument($DataShareModuleManifest).AddArgument($connectionString)
                $problems = @($shell.Invoke())
            }
            finally {
                $shell.Dispose()
            }
        }
        finally {
            Stop-TestAzurite -Azurite $strict
        }

        $problems.Count | Should -Be 1
        $problems[0].Id | Should -Be 'StorageUnavailable,DataShareAdmin.Commands.ConnectDataShareStorageCommand'
        $problems[0].Category | Should -Be 'ResourceUnavailable'
        $problems[0].Message | Should -BeLike '*400 InvalidHeaderValue: The API version * is not supported by Azurite*'
        $problems[0].Message | Should -BeLike '*--skipApiVersionCheck*'
        $problems[0].Message | Should -Not -BeLike '*RequestId*'
        $problems[0].Message | Should -Not -BeLike '*Headers*'
    }

    It 'warns, naming the link and how to withdraw it, when the agreement now ends before the link does' {
        $transfer = New-ReadyTransferAgreement -Id 'TLC00001'

        Set-TestAgreementTerms -Id 'TLC00001' -EndsOn $Today.AddDays(1) -WhatIf -WarningVariable whatIfWarnings -WarningAction SilentlyContinue
        @($whatIfWarnings).Count | Should -Be 0 -Because '-WhatIf changes nothing, so there is nothing to warn of'
        (Get-DataShareAgreement -Id 'TLC00001').EndsOn | Should -Be $Today.AddDays(200)

        Set-TestAgreementTerms -Id 'TLC00001' -EndsOn $Today.AddDays(1) -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        (Get-DataShareAgreement -Id 'TLC00001').EndsOn | Should -Be $Today.AddDays(1)
        @($warnings).Count | Should -Be 1
        $text = "$($warnings[0])"
        $text | Should -BeLike "*transfer $($transfer.Id)'s link still works until $($transfer.ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd HH:mm')) UTC*"
        $text | Should -BeLike "*Revoke-DataShareTransfer $($transfer.Id)*"
        $text | Should -BeLike "*New-DataShareTransfer -FromTransfer $($transfer.Id)*"

        # Doing what it says withdraws the link, and then there is nothing more to warn of.
        $revoked = Revoke-DataShareTransfer -Id $transfer.Id -Confirm:$false -ErrorAction Stop
        $revoked.Status | Should -Be ([DataShareAdmin.TransferStatus]::Revoked)
        Set-TestAgreementTerms -Id 'TLC00001' -EndsOn $Today -WarningVariable after -WarningAction SilentlyContinue -ErrorAction Stop
        @($after).Count | Should -Be 0
    }

    It 'shows a transfer as Destroyed, not Active, once the sweep has deleted its files' {
        $transfer = New-ReadyTransferAgreement -Id 'TLC00002'

        # Ended a few days ago with nothing kept after: its container is due although its link has days to run.
        Set-TestAgreementTerms -Id 'TLC00002' -EndsOn $Today.AddDays(-3) -RetentionDays 0 -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        "$($warnings[0])" | Should -BeLike "*Agreement TLC00002 now ended on $($Today.AddDays(-3).ToString('yyyy-MM-dd'))*Revoke-DataShareTransfer $($transfer.Id)*"
        (Get-DataShareTransfer -Id $transfer.Id).Status | Should -Be ([DataShareAdmin.TransferStatus]::Active)

        $records = @(Invoke-DataShareRetentionSweep -HoldingId $transfer.HoldingId -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop)
        $records.Count | Should -Be 1
        $records[0].Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::Destroyed)

        (Get-DataShareTransfer -Id $transfer.Id).Status | Should -Be ([DataShareAdmin.TransferStatus]::Destroyed)
        @(Get-DataShareTransfer -AgreementId 'TLC00002' -Active).Count | Should -Be 0
        @(Get-DataShareTransfer -AgreementId 'TLC00002' -Destroyed).Id | Should -Be @($transfer.Id)
        (Get-DataShareTransfer -Id $transfer.Id | Out-String -Width 120) | Should -Match "$($transfer.Id)\s+TLC00002\s+Destroyed"
    }
}
