# Helpers for the Pester files that issue transfers (Transfers.Tests.ps1, Uploads.Tests.ps1). Dot-source it in the
# file's BeforeAll after Common.ps1; it only defines functions, and expects $TestDrive and $Yesterday.

function Get-TransferState {
    [pscustomobject]@{
        Transfers  = @(Get-DataShareTransfer -ErrorAction Stop).Count
        AuditCount = @(Get-DataShareAuditLog -ErrorAction Stop).Count
    }
}

function Add-ReadyRecipient {
    <# A recipient who passes every safe-people check today and for well over a year. #>
    param(
        [Parameter(Mandatory)] [string] $AgreementId,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $Email,
        [string] $CertificateNumber
    )

    $recipient = Add-DataShareRecipient -AgreementId $AgreementId -Name $Name -Email $Email -ErrorAction Stop
    if ($CertificateNumber) {
        $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number $CertificateNumber `
            -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
    }

    Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop
    $recipient
}

function New-TestFile {
    <# A file of the given size with random content (so every block differs), under $TestDrive. #>
    param(
        [Parameter(Mandatory)] [string] $RelativePath,
        [Parameter(Mandatory)] [int] $Size
    )

    $path = Join-Path $TestDrive $RelativePath
    $null = New-Item -ItemType Directory -Path (Split-Path $path -Parent) -Force
    $bytes = [byte[]]::new($Size)
    [System.Random]::new($Size).NextBytes($bytes)
    [System.IO.File]::WriteAllBytes($path, $bytes)
    $path
}

function Get-Sha256 {
    param([Parameter(Mandatory)] [string] $Path)
    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
}
