<#
.SYNOPSIS
    The main job on embedded defaults: builds a register of agreements and recipients, checks who is cleared, issues
    a time-limited transfer of an extract from a local Azurite (printing its link to the terminal only), ends an
    agreement and runs a retention sweep that deletes its copies and prints the destruction records, writes the HTML
    register report and prints its path, checks an output table with a failing cell, writes its protected copy and
    records its release approved by a second OS account (as root on Linux; elsewhere it shows that approval needs one),
    checks the audit log and prints a summary. Run it through the host executable (no pwsh needed):

        dotnet run --project src/DataShareAdmin.Host -c Release -- -File samples/main-job.ps1

.PARAMETER StorageConnectionString
    The storage account for the transfer (a connection string, or the name of an environment variable holding one).
    Default: a local Azurite, installed and started by this script and stopped at the end.
.PARAMETER RegisterPath
    The SQLite register to use. Default: out/main-job/register.db in the repository, started afresh each run so the
    output is the same every time (pass your own path to keep one).
.NOTES
    Uses only the engine's core cmdlets (no Join-Path, Select-Object, Sort-Object, Write-Error or Get-Date), so it runs in the hosted engine.
#>
[CmdletBinding()]
param(
    [string] $RegisterPath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'main-job', 'register.db'),
    [string] $StorageConnectionString
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

# A register is never made by mistake: connecting to one that is not there fails loudly, and the session stays
# unconnected (every later command would fail with RegisterNotConnected) until a connect succeeds.
try {
    Connect-DataShareRegister -Path ([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'no-such-register.db'))
}
catch {
    $host.UI.WriteLine("Connecting to a register that is not there fails: $($_.FullyQualifiedErrorId)")
}

# -Create: a register is made only when asked (the first run makes it; a later run with your own -RegisterPath opens it).
$register = Connect-DataShareRegister -Path $RegisterPath -Create -PassThru
$host.UI.WriteLine("Register: $($register.Location) (schema $($register.SchemaVersion))")

# Recipient organisations, with their data protection officers and information security assessments. Data goes to an
# organisation directly only while its latest assessment has passed and is current.
$today = [DateTime]::UtcNow.Date
$organisations = @(
    @{ Name = 'University of Example'; Address = '1 College Road, Exampleton EX1 2AB'; ProtectionOfficerName = 'Dee Pioh'; ProtectionOfficerEmail = 'dpo@example.ac.uk' }
    @{ Name = 'Example Research Trust'; Address = '14 Harbour Street, Northport NP3 4CD'; ProtectionOfficerName = 'Ray Count'; ProtectionOfficerEmail = 'privacy@example-trust.org' }
    @{ Name = 'Northshire County Council'; Address = 'County Hall, Northshire NS1 1AA'; ProtectionOfficerEmail = 'dpo@northshire.gov.uk' }
)
foreach ($organisation in $organisations) {
    if (-not (Get-DataShareOrganisation -Name $organisation.Name -ErrorAction SilentlyContinue)) {
        New-DataShareOrganisation @organisation | Out-Null
    }
}
$assessments = @(
    @{ Organisation = 'University of Example'; AssessedOn = '2025-12-01'; ValidUntil = $today.AddDays(365); Outcome = 'Passed'; Reference = 'ISQ-UOE-1' }
    @{ Organisation = 'Example Research Trust'; AssessedOn = '2026-02-01'; ValidUntil = $today.AddDays(200); Outcome = 'Passed'; Reference = 'ISQ-ERT-1' }
)
foreach ($assessment in $assessments) {
    $recorded = (Get-DataShareOrganisation -Name $assessment.Organisation).Assessments | Where-Object { $_.Reference -eq $assessment.Reference }
    if (-not $recorded) {
        Add-DataShareSecurityAssessment @assessment | Out-Null
    }
}

$gateway = 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009'
# Every approval records the panel's four tests, each with a short note.
$panelTests = @{
    Legal         = 'Prescribed persons regulations; Article 6(1)(e)'
    Ethical       = 'University ethics committee approval seen'
    Proportionate = 'Only the items the research question needs'
    Secure        = 'Accredited environment; named recipients only'
}
$agreements = @(
    @{ Id = 'DS00752'; Organisation = 'University of Example'; Title = 'Attainment gaps in primary schools'
       Purpose = 'Research into attainment gaps between pupil groups'; LegalGateway = $gateway; LawfulBasis = 'Article 6(1)(e)'
       AccessRoute = 'DirectTransfer'; StartsOn = '2026-01-01'; EndsOn = '2026-12-31'; RetentionDays = 30
       DirectTransferJustification = 'Linkage with the university''s own cohort study, which the secure research service cannot host.'
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

Approve-DataShareAgreement @panelTests -Id DS00752 -Reference 'DSAP-2025-118' -ApprovedOn 2025-12-10 -ErrorAction SilentlyContinue
Approve-DataShareAgreement @panelTests -Id DS00901 -Reference 'DSAP-2026-007' -ApprovedOn 2026-02-11 -ErrorAction SilentlyContinue

# What the public register shows: sectors, the public fields of a share, and a request the panel refused.
Set-DataShareOrganisation -Organisation 'University of Example' -Sector University
Set-DataShareOrganisation -Organisation 'Example Research Trust' -Sector Charity
Set-DataShareOrganisation -Organisation 'Northshire County Council' -Sector LocalAuthority
Set-DataShareAgreement -Id DS00752 -LaySummary 'How the gap in attainment between disadvantaged pupils and others changes through primary school.' `
    -PublicBenefit 'Evidence for where catch-up support helps most.' -FunderOrCommissioner 'Economic and Social Research Council' `
    -Frequency OneOff -Dataset 'National Pupil Database' -YearsCovered '2015/16 to 2022/23' -RecordsShared 48000 -OnwardSharing $false `
    -Approval 'UOE-REC-2025-031'
Set-DataShareAgreement -Id DS00901 -LaySummary 'Whether support for children in need changes their later outcomes.' -Frequency Regular -FrequencyPeriod 'annually' -SrsProjectId 'SRS-2026-014'
if (-not (Get-DataShareAgreement -Id DS01040 -ErrorAction SilentlyContinue)) {
    New-DataShareAgreement -Id DS01040 -Organisation 'Example Research Trust' -Title 'Named pupil records for tracing' -Purpose 'Tracing former pupils for a survey' `
        -LegalGateway $gateway -LawfulBasis 'Article 6(1)(e)' -AccessRoute DirectTransfer -StartsOn 2026-04-01 -EndsOn 2026-09-30 -DataItem 'Pupil name:A1' | Out-Null
    Deny-DataShareAgreement -Id DS01040 -FailedTest Proportionate -Proportionate 'Named records asked for where a survey through schools answers the question' -Reason 'Named records are not needed for the purpose: the survey can be run through the schools.' -RefusedOn 2026-03-20
}

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
$host.UI.WriteLine('Recipient organisations and their security assessments:')
Get-DataShareOrganisation | Out-Default

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

# A transfer: an extract for an agreement active today, to a recipient cleared today and on the link's last day.
# Dates are relative to today, so this part works whenever the job runs.
if (-not (Get-DataShareAgreement -Id DS01100 -ErrorAction SilentlyContinue)) {
    New-DataShareAgreement -Id DS01100 -Organisation 'University of Example' -Title 'Reading recovery follow-up' `
        -Purpose 'Follow-up of pupils in a reading recovery programme' -LegalGateway $gateway -LawfulBasis 'Article 6(1)(e)' `
        -AccessRoute DirectTransfer -StartsOn $today.AddDays(-30) -EndsOn $today.AddDays(335) -RetentionDays 30 `
        -DirectTransferJustification 'The analysis needs the university''s licensed reading-assessment software.' `
        -DataItem 'KS2 reading score:B3', 'School URN:A1' | Out-Null
    Approve-DataShareAgreement @panelTests -Id DS01100 -Reference 'DSAP-2026-131' -ApprovedOn $today.AddDays(-35) | Out-Null
    # A DirectTransfer agreement gets no transfers without a DPIA.
    Set-DataShareDpia -AgreementId DS01100 -Reference 'DPIA-2026-131' -SignedOffOn $today.AddDays(-36) -SignedOffBy 'Data Protection Officer' `
        -ResidualRisk Low -Mitigations 'Pseudonymised extract; named recipients only; links expire within 3 days' `
        -PublicSummary 'Reading scores of pupils in a reading recovery programme, pseudonymised, for a follow-up study.' | Out-Null
    Add-DataShareRecipient -AgreementId DS01100 -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -Role 'Principal investigator' |
        Set-DataShareRecipient -DeclarationSignedOn $today.AddDays(-20) -TrainingCompletedOn $today.AddDays(-60)
}

$extract = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'extract'))
[System.IO.Directory]::CreateDirectory($extract) | Out-Null
$rows = [System.Text.StringBuilder]::new("pupil_ref,school_urn,ks2_reading`n")
$random = [System.Random]::new(752)
for ($i = 1; $i -le 5000; $i++) { [void]$rows.Append("P$($i.ToString('000000')),$($random.Next(100000, 150000)),$($random.Next(80, 121))`n") }
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($extract, 'reading_recovery.csv'), $rows.ToString())
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($extract, 'README.txt'), "Extract for DS01100. Delete when the agreement ends.`n")

$azurite = $null
try {
    if ([string]::IsNullOrWhiteSpace($StorageConnectionString)) {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'LocalAzurite.ps1'))
        $azurite = Start-LocalAzurite
        $host.UI.WriteLine("Started a local Azurite at $($azurite.BlobEndpoint)")
        Connect-DataShareStorage -ConnectionString $azurite.ConnectionString -AllowHttpLoopback
    }
    else {
        Connect-DataShareStorage -ConnectionString $StorageConnectionString
    }

    $transfer = New-DataShareTransfer -AgreementId DS01100 -Path $extract -ValidFor ([TimeSpan]::FromDays(3))
    $host.UI.WriteLine('')
    $host.UI.WriteLine('Transfer issued (the table never shows the link):')
    $transfer | Out-Default
    $transfer.Files | Out-Default

    # The link is a bearer token, shown once: to this terminal, never to a log, the register or the audit log.
    $host.UI.WriteLine("Link for the recipients, valid until $($transfer.ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd HH:mm')) UTC (shown once):")
    $host.UI.WriteLine("  $($transfer.Uri.Reveal().AbsoluteUri)")
    $host.UI.WriteLine($transfer.Note)

    # Check the link works: download the extract through it and compare the hash recorded at upload.
    $file = $transfer.Files | Where-Object { $_.Name -eq 'reading_recovery.csv' }
    $http = [System.Net.Http.HttpClient]::new()
    try {
        $bytes = $http.GetByteArrayAsync($file.Uri.Reveal()).GetAwaiter().GetResult()
    }
    finally {
        $http.Dispose()
    }
    $sha = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
    if ($sha -ne $file.Sha256) {
        throw "The downloaded file's SHA-256 ($sha) differs from the one recorded at upload ($($file.Sha256))."
    }
    $host.UI.WriteLine("Downloaded $($file.Name) through the link: $($bytes.Length) bytes, SHA-256 matches the register.")
    $holding = Get-DataShareHolding -Id $transfer.HoldingId
    $host.UI.WriteLine("The container is holding $($holding.Id), due for deletion on $($holding.DueOn.ToString('yyyy-MM-dd')) (the link's last day, plus the grace days).")

    # Retention: an agreement ends, and every copy the organisation controls goes the same day.
    $host.UI.WriteLine('')
    $host.UI.WriteLine('Retention: agreement DS00990 ends; its transfer container and an analyst''s working copy are swept.')
    if (-not (Get-DataShareAgreement -Id DS00990 -ErrorAction SilentlyContinue)) {
        New-DataShareAgreement -Id DS00990 -Organisation 'Example Research Trust' -Title 'Exclusions follow-up' `
            -Purpose 'Follow-up of pupils excluded from school' -LegalGateway $gateway -LawfulBasis 'Article 6(1)(e)' `
            -AccessRoute DirectTransfer -StartsOn $today.AddDays(-60) -EndsOn $today.AddDays(120) -RetentionDays 0 `
            -DirectTransferJustification 'Matched to the trust''s own case files, which cannot leave its premises.' `
            -DataItem 'Exclusion episodes:C4' | Out-Null
        Approve-DataShareAgreement @panelTests -Id DS00990 -Reference 'DSAP-2026-088' -ApprovedOn $today.AddDays(-65) | Out-Null
        Set-DataShareDpia -AgreementId DS00990 -Reference 'DPIA-2026-088' -SignedOffOn $today.AddDays(-66) -SignedOffBy 'Data Protection Officer' `
            -ResidualRisk Medium -Mitigations 'Matched on the trust''s premises; the extract holds exclusion counts only' | Out-Null
        Add-DataShareRecipient -AgreementId DS00990 -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -Role 'Analyst' |
            Set-DataShareRecipient -DeclarationSignedOn $today.AddDays(-20) -TrainingCompletedOn $today.AddDays(-60)
    }
    $exclusions = New-DataShareTransfer -AgreementId DS00990 -Path ([System.IO.Path]::Combine($extract, 'README.txt')) -ValidFor ([TimeSpan]::FromDays(2))
    $working = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'working-copy-DS00990')
    [System.IO.Directory]::CreateDirectory($working) | Out-Null
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($working, 'exclusions.csv'), "pupil_ref,episodes`nP000001,2`n")
    Register-DataShareHolding -AgreementId DS00990 -Location $working | Out-Null

    # A holding is a folder that is there and is safe to delete: a file or a system folder is refused, nothing written.
    foreach ($wrong in [System.IO.Path]::Combine($working, 'exclusions.csv'), '/etc') {
        try {
            Register-DataShareHolding -AgreementId DS00990 -Location $wrong | Out-Null
        }
        catch {
            $host.UI.WriteLine("Registering $wrong as a holding is refused: $($_.FullyQualifiedErrorId.Split(',')[0]) ($($_.CategoryInfo.Category))")
        }
    }

    # A holding registered by mistake (a mistyped path, allowed as missing) is withdrawn: kept, audited, never swept.
    $typo = Register-DataShareHolding -AgreementId DS00990 -Location ($working + '-typo') -AllowMissing -WarningAction SilentlyContinue
    $withdrawn = $typo | Remove-DataShareHolding -Reason 'Mistyped path: the working copy is in working-copy-DS00990' -Confirm:$false
    $host.UI.WriteLine("Holding $($withdrawn.Id) withdrawn: $($withdrawn.State) (registered as $($typo.LocationCheck)); the sweep skips it.")

    # The agreement ends early (yesterday, no retention days): both holdings fall due today. Once approved, its end
    # moves only by a variation the panel approves (a termination).
    if ((Get-DataShareAgreement -Id DS00990).EndsOn -ne $today.AddDays(-1)) {
        Request-DataShareVariation -AgreementId DS00990 -EndsOn $today.AddDays(-1) -Reason 'The trust closed the project early.' |
            Approve-DataShareVariation -Reference 'DSAP-2026-140' | Out-Null
    }
    $host.UI.WriteLine('Retention plan for today:')
    Get-DataShareRetentionPlan | Out-Default
    # A dry run first: -WhatIf says what the sweep would delete, takes no lock and changes nothing.
    $host.UI.WriteLine('Dry run (-WhatIf):')
    Get-DataShareRetentionPlan | Where-Object { $_.AgreementId -eq 'DS00990' } | Invoke-DataShareRetentionSweep -WhatIf
    if (-not [System.IO.Directory]::Exists($working)) {
        throw 'The dry run deleted the working copy of DS00990.'
    }
    $records = @(Get-DataShareRetentionPlan | Where-Object { $_.AgreementId -eq 'DS00990' } | Invoke-DataShareRetentionSweep -Confirm:$false)
    $host.UI.WriteLine('Destruction records:')
    $records | Out-Default
    foreach ($record in $records) {
        $host.UI.WriteLine("  $($record.HoldingId) $($record.Location): $($record.Outcome), $($record.ObjectsDeleted) object(s), $($record.BytesDeleted) bytes, verified $($record.Verified), soft delete $($record.SoftDelete), by $($record.Operator) at $($record.FinishedAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss')) UTC")
    }
    if (@($records | Where-Object { -not $_.Verified }).Count -gt 0) {
        throw 'A holding of DS00990 was not verified gone.'
    }
    $gone = [System.IO.Directory]::Exists($working) -eq $false
    $http = [System.Net.Http.HttpClient]::new()
    try {
        $status = [int]$http.GetAsync($exclusions.Files[0].Uri).GetAwaiter().GetResult().StatusCode
    }
    finally {
        $http.Dispose()
    }
    $host.UI.WriteLine("Working copy gone: $gone. The transfer's link now answers HTTP $status.")

    # No untracked copies: every container this register's transfers made is still in a held holding or was
    # verified gone, so the storage holds no orphan the sweep would never delete.
    $orphans = @(Find-DataShareOrphan)
    $host.UI.WriteLine("Orphans in storage (copies no holding accounts for): $($orphans.Count).")
    if ($orphans.Count -gt 0) {
        $orphans | Format-List | Out-Default
        throw 'Storage holds copies that no holding accounts for.'
    }
    $retentionReport = Export-DataShareReport -Kind Retention -Format Html -IncludeOrphans -Path ([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'retention.html')) -Force -PassThru
    $host.UI.WriteLine("Retention report, orphans included: $($retentionReport.FullName)")

    Confirm-DataShareDestruction -AgreementId DS00990 -ConfirmedBy 'Data protection officer, Example Research Trust' -ConfirmedOn $today -Evidence 'Email of today' | Out-Null
    $host.UI.WriteLine("DS00990 is now $((Get-DataShareAgreement -Id DS00990).Status).")

    # A hold past the end: DS00995 ended yesterday, but its analysts' copy is the subject of a complaint under
    # investigation. An approved hold with a reason and a last day keeps it out of the sweep; the plan says why.
    if (-not (Get-DataShareAgreement -Id DS00995 -ErrorAction SilentlyContinue)) {
        New-DataShareAgreement -Id DS00995 -Organisation 'Example Research Trust' -Title 'Attendance and exclusions' `
            -Purpose 'Attendance patterns before exclusion' -LegalGateway $gateway -LawfulBasis 'Article 6(1)(e)' `
            -AccessRoute SecureResearchService -StartsOn $today.AddDays(-120) -EndsOn $today.AddDays(-1) -RetentionDays 0 `
            -DataItem 'Attendance sessions:B3' | Out-Null
        Approve-DataShareAgreement @panelTests -Id DS00995 -Reference 'DSAP-2026-091' -ApprovedOn $today.AddDays(-125) | Out-Null
    }
    $inquiry = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'working-copy-DS00995')
    [System.IO.Directory]::CreateDirectory($inquiry) | Out-Null
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($inquiry, 'attendance.csv'), "pupil_ref,sessions`nP000002,310`n")
    $kept = @(Get-DataShareHolding -AgreementId DS00995 | Where-Object State -EQ Held)[0]
    if (-not $kept) {
        $kept = Register-DataShareHolding -AgreementId DS00995 -Location $inquiry
    }
    $hold = $kept | Add-DataShareRetentionHold -Reason 'Complaint C-2231 under investigation' -ApprovedBy 'Data protection officer' -Until $today.AddDays(90) -Confirm:$false
    $host.UI.WriteLine("Holding $($hold.HoldingId) of DS00995 is held until $($hold.Until.ToString('yyyy-MM-dd')): $($hold.Reason), approved by $($hold.ApprovedBy).")
    $planned = Get-DataShareRetentionPlan | Where-Object AgreementId -EQ DS00995
    $planned | Out-Default
    $swept = @($planned | Where-Object State -EQ Due | Invoke-DataShareRetentionSweep -Confirm:$false)
    if ($swept.Count -ne 0 -or -not [System.IO.Directory]::Exists($inquiry)) {
        throw 'The sweep touched a held holding of DS00995.'
    }

    # The auditor's copy: one evidence pack for DS00990 (its transfer, readiness on the transfer day, the sweep's
    # destruction records, the confirmation and its audit entries), checked offline. It holds personal data.
    $pack = Export-DataShareEvidence -AgreementId DS00990 -Path ([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'DS00990-evidence.zip')) -Force -PassThru
    $evidence = Test-DataShareEvidence -Path $pack.FullName
    $host.UI.WriteLine("Evidence pack for DS00990 (contains personal data): $($pack.FullName); valid: $($evidence.IsValid), $($evidence.AuditEntries) audit entries, head $($evidence.AuditHead).")
    if (-not $evidence.IsValid) {
        throw "The evidence pack for DS00990 does not verify: $($evidence.Problems)"
    }

    # A shared register for a team on several machines: copy this register into Azure Table Storage (here the local
    # Azurite's table service), then work on the copy as a colleague on another machine would.
    if ($azurite) {
        $host.UI.WriteLine('')
        $host.UI.WriteLine('Shared register: copying this register into Azure Table Storage (the local Azurite).')
        $copy = Copy-DataShareRegister -DestinationConnectionString $azurite.ConnectionString -RegisterName mainjob -Confirm:$false
        $host.UI.WriteLine("Copied $($copy.Agreements) agreement(s), $($copy.Recipients) recipient(s), $($copy.Holdings) holding(s) and $($copy.AuditEntries) audit entries; verified against the original's head: $($copy.Verified).")
        $shared = Connect-DataShareRegister -ConnectionString $azurite.ConnectionString -RegisterName mainjob -PassThru
        Set-DataShareAgreement -Id DS00901 -OfficerName 'Ada Officer' -OfficerEmail 'ada.officer@example.gov.uk'
        $sharedAudit = Test-DataShareAuditLog
        $host.UI.WriteLine("On the shared register ($($shared.Location)): $(@(Get-DataShareAgreement).Count) agreements; DS00901's officer is now $((Get-DataShareAgreement -Id DS00901).OfficerName); audit log $($sharedAudit.EntryCount) entries, intact: $($sharedAudit.IsIntact).")
        Connect-DataShareRegister -Path $RegisterPath
    }
}
finally {
    if ($azurite) {
        Stop-LocalAzurite -Azurite $azurite
    }
}
$host.UI.WriteLine('')

# Safe outputs: an analyst's table under DS01100 is checked against the agreement's disclosure rules before it leaves.
# One cell (4 pupils) is under the threshold; the protected copy suppresses it and whatever would give it away, and
# that copy is what is released. A release needs a second person: the requester may never approve their own.
$outputFolder = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'outputs')
$null = [System.IO.Directory]::CreateDirectory($outputFolder)
$table = [System.IO.Path]::Combine($outputFolder, 'fsm-by-school.csv')
[System.IO.File]::WriteAllText($table, "School,FSM,Count`nNorth Primary,Yes,24`nNorth Primary,No,131`nNorth Primary,Total,155`nSouth Primary,Yes,4`nSouth Primary,No,97`nSouth Primary,Total,101`n")
$checkedOutput = @(Test-DataShareOutput -AgreementId DS01100 -Path $table)
$checked = @($checkedOutput | Where-Object { $null -ne $_.Cell })
$fileSummary = @($checkedOutput | Where-Object { $null -eq $_.Cell })[0]
$host.UI.WriteLine("Output check of $table (DS01100), one verdict per cell:")
foreach ($cell in $checked) {
    $host.UI.WriteLine("  $($cell.Cell): $($cell.Verdict) - $($cell.Reason)")
}
$host.UI.WriteLine("  File: $($fileSummary.Verdict), $($fileSummary.Cells) cells, $($fileSummary.Failed) failing, rules: $($fileSummary.RuleCounts)")
if (@($checked | Where-Object { $_.Verdict -eq 'Fail' }).Count -eq 0) {
    throw 'The output table was meant to have a failing cell.'
}
$protected = [System.IO.Path]::Combine($outputFolder, 'fsm-by-school-protected.csv')
$null = Test-DataShareOutput -AgreementId DS01100 -Path $table -Protect -Destination $protected -Force
$recheck = @(Test-DataShareOutput -AgreementId DS01100 -Path $protected -Summary)
$host.UI.WriteLine("Protected copy: $protected; its own check: $($recheck[0].Verdict), $($recheck[0].Failed) failing, $($recheck[0].Suppressed) suppressed.")
$host.UI.WriteLine([System.IO.File]::ReadAllText($protected).TrimEnd())

$release = Request-DataShareOutputRelease -AgreementId DS01100 -Path $protected -Purpose 'FSM take-up by school, for the annual report'
$host.UI.WriteLine("Release $($release.Id) requested by $($release.RequestedBy): $($release.State), verdict $($release.Verdict).")
try {
    $null = Approve-DataShareOutputRelease -Id $release.Id
    throw 'The requester approved their own release.'
}
catch {
    if ($_.FullyQualifiedErrorId -notlike 'OutputReleaseApproverIsRequester*') { throw }
    $host.UI.WriteLine("Approval by the requester ($($release.RequestedBy)) is refused: $($_.FullyQualifiedErrorId)")
}

# The second person is a real second OS account, never a name typed in: the audit log records whoever runs the
# approval. As root on Linux the job approves as 'nobody', through the host executable run by runuser, on this register
# (its folder and files opened to nobody's group for that one command and closed again).
$runuser = @(Get-Command -Name runuser -CommandType Application -ErrorAction SilentlyContinue)[0]
$asRoot = $IsLinux -and [System.Environment]::UserName -eq 'root' -and $runuser -and $RegisterPath.EndsWith('.db')
if ($asRoot) {
    $registerFolder = [System.IO.Path]::GetDirectoryName($RegisterPath)
    $approverHome = [System.IO.Path]::Combine($registerFolder, 'approver-home')
    $null = [System.IO.Directory]::CreateDirectory($approverHome)
    $shared = @($registerFolder) + @(foreach ($suffix in '', '-wal', '-shm') { if ([System.IO.File]::Exists($RegisterPath + $suffix)) { $RegisterPath + $suffix } })
    & chown 'nobody:' $approverHome
    & chgrp nogroup $shared
    & chmod g+rw $shared
    & chmod g+x $registerFolder
    try {
        $hostProcess = [System.Environment]::ProcessPath
        # The host as it was started: its own executable (dotnet run), or dotnet with the host's dll.
        $hostCommand = [System.Collections.Generic.List[string]]::new()
        $hostCommand.Add($hostProcess)
        if ([System.IO.Path]::GetFileNameWithoutExtension($hostProcess) -eq 'dotnet') {
            $hostCommand.Add([System.Reflection.Assembly]::GetEntryAssembly().Location)
        }
        $module = [System.IO.Path]::Combine((Get-Module DataShareAdmin).ModuleBase, 'DataShareAdmin.psd1')
        $command = "Connect-DataShareRegister -Path '$RegisterPath'; `$a = Approve-DataShareOutputRelease -Id $($release.Id); 'Approved by ' + `$a.ApprovedBy + ': ' + `$a.State"
        $approval = & $runuser.Source -u nobody -- env "HOME=$approverHome" @hostCommand -Module $module -NonInteractive -Command $command 2>&1
        foreach ($line in @($approval)) { $host.UI.WriteLine("  [as nobody] $line") }
        if ($LASTEXITCODE -ne 0) { throw "The second person's approval failed (exit code $LASTEXITCODE)." }
    }
    finally {
        $existing = @($registerFolder) + @(foreach ($suffix in '', '-wal', '-shm') { if ([System.IO.File]::Exists($RegisterPath + $suffix)) { $RegisterPath + $suffix } })
        & chown 'root:root' $existing
        & chmod g-w $existing
    }
}
else {
    $host.UI.WriteLine("Release $($release.Id) stays Requested: approval needs a second account. Run, signed in as someone other than $($release.RequestedBy): Approve-DataShareOutputRelease -Id $($release.Id)")
}
$final = Get-DataShareOutputRelease -Id $release.Id
$host.UI.WriteLine("Release $($final.Id) of $(@($final.Files).Count) file(s) under $($final.AgreementId): $($final.State), verdict $($final.Verdict); requested by $($final.RequestedBy), approved by $(if ($final.ApprovedBy) { $final.ApprovedBy } else { '(no one yet)' }).")
if ($asRoot -and $final.State -ne 'Approved') {
    throw "Release $($final.Id) was not approved by the second account."
}
$host.UI.WriteLine('')

# DPIA and periodic review (ICO data sharing code; Code of Practice for Statistics T6.5): a revised DPIA is kept
# beside the first, and a review sets when the next falls due. An overdue review stops new transfers.
Set-DataShareDpia -AgreementId DS01100 -Reference 'DPIA-2026-131b' -SignedOffOn $today -SignedOffBy 'Data Protection Officer' `
    -ResidualRisk Low -Mitigations 'As revision 1, plus school identifiers removed from the extract' | Out-Null
$review = Add-DataShareReview -AgreementId DS01100 -Reviewer 'Data share officer' -Outcome Continue -Notes 'Follow-up still under way; outputs checked.'
$schedule = Get-DataShareReview -AgreementId DS01100 -Schedule
$host.UI.WriteLine("Reviewed DS01100 on $($review.ReviewedOn.ToString('yyyy-MM-dd')) ($($review.Outcome)); DPIA $($schedule.DpiaReference) of $(@(Get-DataShareDpia -AgreementId DS01100 -AllRevisions).Count) revision(s); next review due $($schedule.NextReviewDue.ToString('yyyy-MM-dd')), overdue: $($schedule.IsOverdue).")

# Incidents: a breach under DS01100 is logged and suspends the agreement at once, so no new transfer goes; the ICO's
# 72 hours run from discovery, and the notification is recorded against the incident.
$incident = New-DataShareIncident -AgreementId DS01100 -Kind Breach -Severity High -Reportable -Suspend -Confirm:$false `
    -Summary 'Transfer link forwarded to a colleague not on the agreement' -DiscoveredAt ([DateTime]::UtcNow.AddHours(-2))
$host.UI.WriteLine("Incident $($incident.Id) under $($incident.AgreementId): ICO $($incident.IcoState), due by $($incident.IcoDueBy.UtcDateTime.ToString('yyyy-MM-dd HH:mm')) UTC; the agreement is now $((Get-DataShareAgreement -Id DS01100).Status).")
$refused = $null
try {
    New-DataShareTransfer -AgreementId DS01100 -Path $extract -ValidFor ([TimeSpan]::FromDays(1)) | Out-Null
}
catch {
    $refused = $_
}
if ($null -eq $refused -or $refused.FullyQualifiedErrorId -notlike 'TransferAgreementNotActive,*') {
    throw "A transfer under suspended agreement DS01100 was not refused as TransferAgreementNotActive: $refused"
}
$host.UI.WriteLine("A new transfer under DS01100 is refused: $($refused.FullyQualifiedErrorId.Split(',')[0]) ($($refused.CategoryInfo.Category))")
$incident = Set-DataShareIncident -Id $incident.Id -IcoNotifiedAt ([DateTime]::UtcNow) -IcoReference 'IC-000123-A1B2' -Confirm:$false
Get-DataShareIncident -AgreementId DS01100 | Out-Default
$incidentReport = Export-DataShareReport -Kind Incidents -Format Csv -Path ([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($RegisterPath), 'incidents.csv')) -Force -PassThru
$host.UI.WriteLine("Incident $($incident.Id): ICO $($incident.IcoState) ($($incident.IcoReference)); incidents report for scripts: $($incidentReport.FullName)")
$host.UI.WriteLine('')

# Variations: an approved agreement's terms change only with the panel's approval, each approval a new version of
# its terms. DS00752 is extended by six months (Set-DataShareAgreement -EndsOn would be refused).
if ((Get-DataShareAgreement -Id DS00752).EndsOn -lt [datetime]'2027-06-30') {
    $extension = Request-DataShareVariation -AgreementId DS00752 -EndsOn 2027-06-30 -Reason 'The 2026 Key Stage 2 results arrive late.'
    $host.UI.WriteLine("Variation $($extension.Id) of DS00752 requested ($($extension.Kind)): $($extension.Changes)")
    $extension | Approve-DataShareVariation -Reference 'DSAP-2026-231' | Out-Null
}
$host.UI.WriteLine('History of DS00752''s terms:')
Get-DataShareAgreement -Id DS00752 -History | Out-Default

# The panel's decision, recorded as it was made, from a gateway in the register's catalogue; and separation of duties:
# with RequireSeparateApprover on (the Table register's default) the account that created a request cannot approve it.
# Here the policy is then turned off for this one-officer register, and the self-approval is allowed but flagged.
$catalogue = @(Get-DataShareLegalGateway)
$host.UI.WriteLine("Legal gateway catalogue: $($catalogue.Count) gateways, e.g. '$((Get-DataShareLegalGateway -Name 'Children Act*').Name)'.")
if (-not (Get-DataShareAgreement -Id DS01200 -ErrorAction SilentlyContinue)) {
    New-DataShareAgreement -Id DS01200 -Organisation 'University of Example' -Title 'Children in alternative provision' -Purpose 'Outcomes of pupils in alternative provision' `
        -LegalGateway 'education (information about children in alternative provision) regulations 2007' -LawfulBasis 'Article 6(1)(e)' `
        -StartsOn 2026-05-01 -EndsOn 2027-04-30 -DataItem 'AP placement:B3' -Category DsapResearch | Out-Null
}
Set-DataSharePolicy -Name RequireSeparateApprover -Value true -Confirm:$false
try {
    Approve-DataShareAgreement @panelTests -Id DS01200 -Reference 'DSAP-2026-140' -ApprovedOn $today.AddDays(-1) -ErrorAction Stop
    throw 'The creator approved their own request while the policy forbids it.'
}
catch {
    if ($_.FullyQualifiedErrorId -notlike 'AgreementApproverIsRequester*') { throw }
    $host.UI.WriteLine("Approval of DS01200 by its creator is refused while RequireSeparateApprover is on: $($_.FullyQualifiedErrorId)")
}
Set-DataSharePolicy -Name RequireSeparateApprover -Default -Confirm:$false
$principles = @{ SectorBenefit = 'Evidence for local authorities commissioning alternative provision'; SizeableBenefit = 'Every authority in England'; SecondaryResearch = 'NotApplicable' }
$decided = Approve-DataShareAgreement @panelTests -Id DS01200 -Reference 'DSAP-2026-140' -ApprovedOn $today.AddDays(-1) -ApprovedBy ChiefStatistician `
    -Principle $principles -Condition 'No linkage to other datasets', 'Outputs checked before release' -PassThru
$host.UI.WriteLine("DS01200 ($($decided.LegalGateway)): $($decided.Decision); self-approved (flagged in reports): $($decided.SelfApproved)")
$host.UI.WriteLine('')

# Compliance reports: one page for people, and a CSV for scripts.
$reports = [System.IO.Path]::GetDirectoryName($RegisterPath)
$html = Export-DataShareReport -Kind Register -Format Html -Path ([System.IO.Path]::Combine($reports, 'register-report.html')) -Force -PassThru
$csv = Export-DataShareReport -Kind SafePeople -Format Csv -Path ([System.IO.Path]::Combine($reports, 'safe-people.csv')) -Force -PassThru
$organisationReport = Export-DataShareReport -Kind Organisations -Format Html -Path ([System.IO.Path]::Combine($reports, 'organisations.html')) -Force -PassThru
$publicRegister = Export-DataShareReport -Kind PublicRegister -Format Html -Path ([System.IO.Path]::Combine($reports, 'public-register.html')) -Force -PassThru
$publicJson = Export-DataShareReport -Kind PublicRegister -Format Json -Since 2026-01-01 -Path ([System.IO.Path]::Combine($reports, 'public-register.json')) -Force -PassThru
$host.UI.WriteLine("Register of external data shares (open it in a browser): $($html.FullName)")
$host.UI.WriteLine("Public register, no personal data (publish it): $($publicRegister.FullName); for scripts, with changes since 2026-01-01: $($publicJson.FullName)")
$host.UI.WriteLine("Organisations and their security assessments: $($organisationReport.FullName)")
$host.UI.WriteLine("Safe-people report for scripts: $($csv.FullName)")
$host.UI.WriteLine('')

$audit = Test-DataShareAuditLog
$host.UI.WriteLine("Audit log: $($audit.EntryCount) entries, intact: $($audit.IsIntact). Record this head elsewhere: $($audit.Head)")
if (-not $audit.IsIntact) {
    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
        [System.InvalidOperationException]::new("The audit log is not intact: $($audit.Problem)"), 'AuditLogBroken', 'InvalidData', $audit))
}
