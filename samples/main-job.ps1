<#
.SYNOPSIS
    The main job on embedded defaults: builds a register of agreements and recipients, checks the audit log and
    prints a summary. Run it through the host executable (no pwsh needed):

        dotnet run --project src/DataShareAdmin.Host -c Release -- -File samples/main-job.ps1

.PARAMETER RegisterPath
    The SQLite register to use. Default: out/main-job/register.db in the repository, started afresh each run so the
    output is the same every time (pass your own path to keep one).
.NOTES
    Uses only the engine's core cmdlets (no Join-Path, Select-Object, Sort-Object, Write-Error or Get-Date), so it runs in the hosted engine.
#>
[CmdletBinding()]
param(
    [string] $RegisterPath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'main-job', 'register.db')
)

$ErrorActionPreference = 'Stop'
$RegisterPath = [System.IO.Path]::GetFullPath($RegisterPath)
if ($PSBoundParameters.ContainsKey('RegisterPath') -eq $false) {
    foreach ($suffix in '', '-wal', '-shm') {
        if ([System.IO.File]::Exists($RegisterPath + $suffix)) {
            [System.IO.File]::Delete($RegisterPath + $suffix)
        }
    }
}

$register = Connect-DataShareRegister -Path $RegisterPath -PassThru
$host.UI.WriteLine("Register: $($register.Location) (schema $($register.SchemaVersion))")

$gateway = 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009'
$agreements = @(
    @{ Id = 'DS00752'; Organisation = 'University of Example'; Title = 'Attainment gaps in primary schools'
       Purpose = 'Research into attainment gaps between pupil groups'; LegalGateway = $gateway; LawfulBasis = 'Article 6(1)(e)'
       AccessRoute = 'DirectTransfer'; StartsOn = '2026-01-01'; EndsOn = '2026-12-31'; RetentionDays = 30
       DataItem = 'KS2 attainment:B3', 'FSM eligibility:C4' }
    @{ Id = 'DS00901'; Organisation = 'Example Research Trust'; Title = 'Children in need outcomes'
       Purpose = 'Evaluation of outcomes for children in need'; LegalGateway = 's.83 Children Act 1989'
       LawfulBasis = 'Article 6(1)(e); Article 9(2)(g)'; StartsOn = '2026-03-01'; EndsOn = '2027-02-28'
       DataItem = @{ Name = 'CIN episodes'; Sensitivity = 'D'; IdentificationRisk = 5 } }
    @{ Id = 'DS01033'; Organisation = 'Northshire County Council'; Title = 'School place planning'
       Purpose = 'Forecasting demand for school places'; LegalGateway = 's.114 Education Act 2005'
       LawfulBasis = 'Article 6(1)(e)'; StartsOn = '2027-01-01'; EndsOn = '2027-12-31'
       DataItem = 'Pupil postcode district:B2' }
)
foreach ($agreement in $agreements) {
    if (-not (Get-DataShareAgreement -Id $agreement.Id -ErrorAction SilentlyContinue)) {
        New-DataShareAgreement @agreement | Out-Null
    }
}

Approve-DataShareAgreement -Id DS00752 -Reference 'DSAP-2025-118' -ApprovedOn 2025-12-10 -ErrorAction SilentlyContinue
Approve-DataShareAgreement -Id DS00901 -Reference 'DSAP-2026-007' -ApprovedOn 2026-02-11 -ErrorAction SilentlyContinue

$people = @(
    @{ AgreementId = 'DS00752'; Name = 'Jo Bloggs'; Email = 'jo.bloggs@example.ac.uk'; Role = 'Principal investigator' }
    @{ AgreementId = 'DS00752'; Name = 'Sam Smith'; Email = 'sam.smith@example.ac.uk'; Role = 'Analyst' }
    @{ AgreementId = 'DS00901'; Name = 'Jo Bloggs'; Email = 'Jo.Bloggs@example.ac.uk'; Role = 'Analyst' }
    @{ AgreementId = 'DS01033'; Name = 'Priya Patel'; Email = 'priya.patel@northshire.gov.uk'; Role = 'Planning officer' }
)
foreach ($person in $people) {
    $existing = Get-DataShareRecipient -AgreementId $person.AgreementId -Email $person.Email
    if (-not $existing) {
        $existing = Add-DataShareRecipient @person
    }
    Set-DataShareRecipient -Id $existing.Id -DeclarationSignedOn 2026-01-05 -TrainingCompletedOn 2025-11-20
}

# Safe people: each person's disclosure certificate, recorded once for the person whatever their agreements.
$certificates = @(
    @{ Email = 'jo.bloggs@example.ac.uk'; Issuer = 'DBS'; Level = 'Enhanced'; Number = '001234567890'; IssuedOn = '2025-03-01' }
    @{ Email = 'sam.smith@example.ac.uk'; Issuer = 'DisclosureScotland'; Level = 'Level 1'; Number = '1234567890123456'; IssuedOn = '2024-05-20' }
)
foreach ($certificate in $certificates) {
    if (-not (Get-DisclosureCertificate -RecipientId $certificate.Email -Number $certificate.Number)) {
        Add-DisclosureCertificate -RecipientId $certificate.Email -Issuer $certificate.Issuer -Level $certificate.Level `
            -Number $certificate.Number -IssuedOn $certificate.IssuedOn | Out-Null
    }
}

$host.UI.WriteLine('')
$host.UI.WriteLine('Agreements as of 2026-06-01:')
Get-DataShareAgreement -AsOf 2026-06-01 | Out-Default

$host.UI.WriteLine('Recipients of agreements active on 2026-06-01:')
Get-DataShareAgreement -Status Active -AsOf 2026-06-01 | Get-DataShareRecipient | Out-Default

$host.UI.WriteLine('Safe-people check of everyone on an active agreement, as of 2026-06-01:')
$readiness = @(Get-DataShareAgreement -Status Active -AsOf 2026-06-01 | Test-DataShareRecipient -AsOf 2026-06-01)
$readiness | Out-Default
$readiness | Where-Object { -not $_.IsReady } | ForEach-Object {
    $reasons = $_.Checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Name): $($_.Reason)" }
    $host.UI.WriteLine("Not ready: $($_.Email) on $($_.AgreementId) - $($reasons -join '; ')")
}
$host.UI.WriteLine('')

$audit = Test-DataShareAuditLog
$host.UI.WriteLine("Audit log: $($audit.EntryCount) entries, intact: $($audit.IsIntact). Record this head elsewhere: $($audit.Head)")
if (-not $audit.IsIntact) {
    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
        [System.InvalidOperationException]::new("The audit log is not intact: $($audit.Problem)"), 'AuditLogBroken', 'InvalidData', $audit))
}
