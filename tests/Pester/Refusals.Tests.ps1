#Requires -Version 7.4
# Refusals that need no storage or directory, each with its error id, its precise category and a message, and with
# nothing written: what the per-cmdlet files test by id alone. (Refusals against storage are in Transfers.Tests.ps1.)

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Yesterday = (Get-Date).Date.AddDays(-1)
    $Active = New-TestAgreement -Id 'REF0001' -ApprovalReference 'DSAP-REF1'
    $Jo = Add-DataShareRecipient -AgreementId $Active.Id -Name 'Jo Refused' -Email 'jo.refused@example.ac.uk' -ErrorAction Stop

    $CertificateFile = Join-Path $TestDrive 'certificates.csv'
    Set-Content -LiteralPath $CertificateFile -Encoding utf8 -Value @(
        'Email,Number,Issuer,Level,IssuedOn'
        'nobody.here@example.ac.uk,000000500001,DBS,Basic,2025-03-01'
    )
    $ThinFile = Join-Path $TestDrive 'thin.csv'
    Set-Content -LiteralPath $ThinFile -Encoding utf8 -Value @('Email,Number', 'jo.refused@example.ac.uk,000000500002')

    function Get-Refusal {
        <# The first error the script block writes or throws, with the preference at Stop so either is caught. #>
        param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)

        $ErrorActionPreference = 'Stop'
        try {
            $null = & $ScriptBlock
        }
        catch {
            return $_
        }

        return $null
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'A refusal names its problem with its own error id and category, and writes nothing' {
    It '<Cmdlet> refuses <Case> with <ErrorId> (<Category>)' -ForEach @(
        @{ Cmdlet = 'Set-DataShareAgreement'; Case = 'an access group that is not a GUID'; ErrorId = 'AgreementAccessGroupInvalid'; Category = 'InvalidArgument'
            Script = { Set-DataShareAgreement -Id REF0001 -AccessGroupId 'not-a-group' } }
        @{ Cmdlet = 'Set-DataShareAgreement'; Case = 'a malformed officer email'; ErrorId = 'AgreementOfficerEmailInvalid'; Category = 'InvalidArgument'
            Script = { Set-DataShareAgreement -Id REF0001 -OfficerEmail 'ada at council' } }
        @{ Cmdlet = 'Add-DisclosureCertificate'; Case = 'an issue date in the future'; ErrorId = 'CertificateIssueDateInvalid'; Category = 'InvalidArgument'
            Script = { Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number 001234567890 -IssuedOn (Get-Date).Date.AddDays(30) } }
        @{ Cmdlet = 'Add-DisclosureCertificate'; Case = 'an unknown issuer'; ErrorId = 'CertificateIssuerInvalid'; Category = 'InvalidArgument'
            Script = { Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer Police -Level Basic -Number 001234567890 -IssuedOn 2025-01-01 } }
        @{ Cmdlet = 'Add-DisclosureCertificate'; Case = 'an unknown level'; ErrorId = 'CertificateLevelInvalid'; Category = 'InvalidArgument'
            Script = { Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Platinum -Number 001234567890 -IssuedOn 2025-01-01 } }
        @{ Cmdlet = 'Import-DisclosureCertificate'; Case = 'a file that does not exist'; ErrorId = 'CertificateImportFileNotFound'; Category = 'ObjectNotFound'
            Script = { Import-DisclosureCertificate -Path (Join-Path $TestDrive 'absent.csv') } }
        @{ Cmdlet = 'Import-DisclosureCertificate'; Case = 'a file without the columns it needs'; ErrorId = 'CertificateImportColumnsMissing'; Category = 'InvalidData'
            Script = { Import-DisclosureCertificate -Path $ThinFile } }
        @{ Cmdlet = 'Import-DisclosureCertificate'; Case = 'a row for a person not in the register'; ErrorId = 'PersonNotFound'; Category = 'ObjectNotFound'
            Script = { Import-DisclosureCertificate -Path $CertificateFile } }
        @{ Cmdlet = 'Get-DataShareHolding'; Case = 'a holding id not in the register'; ErrorId = 'HoldingNotFound'; Category = 'ObjectNotFound'
            Script = { Get-DataShareHolding -Id HD-0000000000 } }
        @{ Cmdlet = 'Send-DataShareNotice'; Case = 'TransferIssued without a transfer'; ErrorId = 'NoticeKindNeedsTransfer'; Category = 'InvalidArgument'
            Script = { Send-DataShareNotice -Kind TransferIssued } }
        @{ Cmdlet = 'New-DataShareOrganisation'; Case = 'a malformed officer email'; ErrorId = 'OrganisationEmailInvalid'; Category = 'InvalidArgument'
            Script = { New-DataShareOrganisation -Name 'New Place' -ProtectionOfficerEmail 'dpo at example' } }
        @{ Cmdlet = 'Get-DataShareOrganisation'; Case = 'a recipient id given as an organisation id'; ErrorId = 'OrganisationIdInvalid'; Category = 'InvalidArgument'
            Script = { Get-DataShareOrganisation -OrganisationId 'RC-0000000000' } }
        @{ Cmdlet = 'Get-DataShareRecipient'; Case = 'a recipient id not in the register'; ErrorId = 'RecipientNotFound'; Category = 'ObjectNotFound'
            Script = { Get-DataShareRecipient -Id RC-0000000000 } }
        @{ Cmdlet = 'Remove-DataShareRecipient'; Case = 'a recipient id not in the register'; ErrorId = 'RecipientNotFound'; Category = 'ObjectNotFound'
            Script = { Remove-DataShareRecipient -Id RC-0000000000 -Confirm:$false } }
        @{ Cmdlet = 'Confirm-DataShareDestruction'; Case = 'an agreement that has not ended'; ErrorId = 'DestructionConfirmationTooEarly'; Category = 'InvalidOperation'
            Script = { Confirm-DataShareDestruction -AgreementId REF0001 -ConfirmedBy 'A. Officer' -ConfirmedOn $Yesterday -Confirm:$false } }
        @{ Cmdlet = 'Copy-DataShareRegister'; Case = 'the register it is connected to'; ErrorId = 'RegisterCopyToItself'; Category = 'InvalidArgument'
            Script = { Copy-DataShareRegister -Destination $RegisterPath -Confirm:$false } }
        @{ Cmdlet = 'Register-DataShareHolding'; Case = 'a file as a holding'; ErrorId = 'HoldingLocationNotFolder'; Category = 'InvalidArgument'
            Script = { Register-DataShareHolding -AgreementId REF0001 -Location $CertificateFile } }
        @{ Cmdlet = 'Register-DataShareHolding'; Case = 'an operating-system folder'; ErrorId = 'HoldingLocationProtected'; Category = 'InvalidArgument'
            Script = { Register-DataShareHolding -AgreementId REF0001 -Location '/etc' } }
        @{ Cmdlet = 'Register-DataShareHolding'; Case = 'a folder that is not there'; ErrorId = 'HoldingLocationNotFound'; Category = 'ObjectNotFound'
            Script = { Register-DataShareHolding -AgreementId REF0001 -Location (Join-Path $TestDrive 'no-such-extract') } }
        @{ Cmdlet = 'Register-DataShareHolding'; Case = 'a newline in the location'; ErrorId = 'HoldingLocationInvalid'; Category = 'InvalidArgument'
            Script = { Register-DataShareHolding -AgreementId REF0001 -Location "$TestDrive`n" } }
        @{ Cmdlet = 'Remove-DataShareHolding'; Case = 'a holding id not in the register'; ErrorId = 'HoldingNotFound'; Category = 'ObjectNotFound'
            Script = { Remove-DataShareHolding -Id HD-0000000000 -Reason 'mistake' -Confirm:$false } }
        @{ Cmdlet = 'Remove-DataShareHolding'; Case = 'a blank reason'; ErrorId = 'HoldingWithdrawReasonMissing'; Category = 'InvalidArgument'
            Script = { Remove-DataShareHolding -Id HD-0000000000 -Reason ' ' -Confirm:$false } }
    ) {
        $before = Get-DataShareTestState

        $refusal = Get-Refusal $Script

        Assert-DataShareError -ErrorRecord $refusal -ErrorId $ErrorId -Category $Category -Cmdlet $Cmdlet
        $after = Get-DataShareTestState
        $after.Agreements | Should -Be $before.Agreements
        $after.Recipients | Should -Be $before.Recipients
        $after.Organisations | Should -Be $before.Organisations
        $after.AuditHead | Should -Be $before.AuditHead
        @(Get-DisclosureCertificate -ErrorAction Stop) | Should -BeNullOrEmpty
        (Get-DataShareAgreement -Id REF0001 -ErrorAction Stop).Version | Should -Be $Active.Version
    }
}

Describe 'Connect-DataShareStorage refuses what it cannot use before any data moves' {
    It 'refuses <Case> with <ErrorId> (<Category>), without quoting what it was given' -ForEach @(
        @{ Case = 'plain http to a loopback emulator without -AllowHttpLoopback'; ErrorId = 'StorageEndpointInsecure'; Category = 'InvalidArgument'
            Parameters = @{ ConnectionString = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;' } }
        @{ Case = 'plain http to a host that is not loopback, even with -AllowHttpLoopback'; ErrorId = 'StorageEndpointInsecure'; Category = 'InvalidArgument'
            Parameters = @{ AccountUri = 'http://contosodata.blob.core.windows.net'; AllowHttpLoopback = $true } }
        @{ Case = 'an account URI with shared-key sign-in, which needs a connection string'; ErrorId = 'StorageAuthenticationInvalid'; Category = 'InvalidArgument'
            Parameters = @{ AccountUri = 'https://contosodata.blob.core.windows.net'; Authentication = 'SharedKey' } }
        @{ Case = 'a key that is not base64'; ErrorId = 'StorageConnectionStringInvalid'; Category = 'InvalidArgument'
            Parameters = @{ ConnectionString = 'AccountName=x;AccountKey=notbase64!!;BlobEndpoint=http://127.0.0.1:1/x'; AllowHttpLoopback = $true } }
        @{ Case = 'an account name without a key or endpoint'; ErrorId = 'StorageConnectionStringInvalid'; Category = 'InvalidArgument'
            Parameters = @{ ConnectionString = 'DefaultEndpointsProtocol=https;AccountName=onlyname'; AllowHttpLoopback = $true } }
        @{ Case = 'the name of an environment variable that is not set'; ErrorId = 'StorageConnectionStringInvalid'; Category = 'InvalidArgument'
            Parameters = @{ ConnectionString = 'NO_SUCH_VARIABLE_FOR_DATASHARE_TESTS'; AllowHttpLoopback = $true } }
        @{ Case = 'an account nothing answers for'; ErrorId = 'StorageUnavailable'; Category = 'ResourceUnavailable'
            Parameters = @{ ConnectionString = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;'; AllowHttpLoopback = $true } }
    ) {
        $refusal = Get-Refusal { Connect-DataShareStorage @Parameters }

        Assert-DataShareError -ErrorRecord $refusal -ErrorId $ErrorId -Category $Category -Cmdlet 'Connect-DataShareStorage'
        if ($Parameters.ContainsKey('ConnectionString') -and $Parameters.ConnectionString.Contains('=')) {
            $refusal.ToString() | Should -Not -BeLike "*$($Parameters.ConnectionString)*"
            $refusal.ToString() | Should -Not -BeLike '*notbase64*'
            $refusal.ToString() | Should -Not -BeLike '*Eby8vdM02xNOcqFlqUwJPLlm*'
        }
    }
}
