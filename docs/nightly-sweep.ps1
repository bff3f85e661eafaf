<#
.SYNOPSIS
A nightly retention sweep for DataShareAdmin, to run unattended: deletes every holding that is due today, verifies it
is gone, prints the destruction records and exits with a code the scheduler can act on.

.DESCRIPTION
Connects the register and (when a blob holding may be due) the storage account, runs
Invoke-DataShareRetentionSweep -Confirm:$false, prints one line per destruction record and a summary, and exits with:

    0   success: everything due was destroyed and verified gone, or nothing was due
    1   errors: a holding could not be planned (HoldingPlanFailed: its agreement is missing or unreadable; every
        other holding is still swept) or swept (storage not connected, or on another endpoint with the same account
        name; storage failing, including a listing answered 404 that is not proved to mean "gone"; a folder holding
        that is a link: SweepHoldingUnsafe), a sweep left objects behind (outcome Incomplete, including objects it
        would not delete because their names could lead outside the holding), a folder holding was not there
        (outcome NotFound: nothing deleted or claimed destroyed), directory access could not all be
        taken away, or the register, storage or directory could not be connected. Read the errors on standard error.
    4   at least one holding is Blocked by a legal hold or an immutability policy (and there were no errors). It
        stays due, and every sweep reports it until the hold is lifted: take it to whoever placed the hold.
    5   another sweep was running against the same register (SweepAlreadyRunning): this one did nothing. Normal
        when a sweep is still going from the night before; it is picked up again next time.
    6   the sweep is larger than policy allows (SweepLimitExceeded, SweepMaxHoldings or SweepMaxGiB): nothing was
        deleted. Check Get-DataShareRetentionPlan, then have an officer run the sweep with -Force.

When errors and blocked holdings happen in the same run, the code is 1.

It uses only PowerShell's core cmdlets and .NET, so it runs in DataShareAdmin.Host (which has no
Microsoft.PowerShell.Utility or Management module: no Write-Host, Write-Output, Get-Date, Select-Object, Join-Path)
as well as in pwsh:

    dotnet DataShareAdmin.Host.dll -NonInteractive -File nightly-sweep.ps1 -RegisterPath /srv/datashare/register.db -StorageConnectionString DATASHARE_STORAGE
    dotnet DataShareAdmin.Host.dll -NonInteractive -File nightly-sweep.ps1 -RegisterPath D:\DataShare\register.db -AccountUri https://contosodata.blob.core.windows.net
    pwsh -NoProfile -NonInteractive -File nightly-sweep.ps1 -RegisterPath /srv/datashare/register.db -StorageConnectionString DATASHARE_STORAGE

See docs/retention.md for cron, Windows Task Scheduler and Azure Automation examples.

.PARAMETER RegisterPath
The register file. Without it, the register is found as every command finds it: DATASHAREADMIN_REGISTER, then the
machine configuration file (see about_DataShareAdmin). A scheduled job should name it. It must be there: a path, variable
or configuration that names no register stops the job with exit code 1 and RegisterNotFound (nothing is created).

.PARAMETER StorageConnectionString
The storage account's connection string, or (better) the name of an environment variable that holds it, such as
DATASHARE_STORAGE. Passed to Connect-DataShareStorage -ConnectionString.

.PARAMETER AccountUri
The storage account's blob endpoint, for Microsoft Entra sign-in (a managed identity by default) instead of a key.

.PARAMETER Authentication
With -AccountUri: ManagedIdentity (the default; on an Azure VM, an Arc-enabled server or an Automation hybrid
worker), Environment (a service principal in AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET) or Default.

.PARAMETER ManagedIdentityClientId
With -AccountUri: the client id of a user-assigned managed identity.

.PARAMETER AllowHttpLoopback
Allow plain http to a local emulator (Azurite) on 127.0.0.1, for trying the job out.

.PARAMETER DirectoryTenantId
Connect to the directory (Microsoft Graph) with the machine's managed identity, so the sweep takes an ended
agreement's access away (its access groups; guests' sign-in where policy DirectoryBlockGuestSignIn says so) before
deleting its data, and each destruction record says what was removed. The identity needs the application permissions
User.Read.All, GroupMember.ReadWrite.All and (for blocking sign-in) User.EnableDisableAccount.All.

.PARAMETER DirectoryClientId
With -DirectoryTenantId: a user-assigned managed identity's client id.

.NOTES
Without -StorageConnectionString or -AccountUri no storage is connected: local-folder holdings are swept, and each due
blob holding is reported with SweepStorageNotConnected (exit code 1).
#>
[CmdletBinding(DefaultParameterSetName = 'ConnectionString')]
param(
    [string] $RegisterPath,

    [Parameter(ParameterSetName = 'ConnectionString')]
    [string] $StorageConnectionString,

    [Parameter(Mandatory, ParameterSetName = 'AccountUri')]
    [uri] $AccountUri,

    [Parameter(ParameterSetName = 'AccountUri')]
    [ValidateSet('ManagedIdentity', 'Environment', 'Default')]
    [string] $Authentication = 'ManagedIdentity',

    [Parameter(ParameterSetName = 'AccountUri')]
    [string] $ManagedIdentityClientId,

    [switch] $AllowHttpLoopback,

    [string] $DirectoryTenantId,

    [string] $DirectoryClientId
)

# Stop on anything unexpected in this script itself; the sweep's own per-holding errors are collected below.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# Lines and problems go through PowerShell's streams, never straight to $host.UI: that way they reach a transcript
# (Start-Transcript), a host that reads the streams (DataShareAdmin.Host, Azure Automation, a job's runspace) and
# -InformationVariable/-ErrorVariable. Write-Host and Write-Error are not in the hosted engine, so the script's own
# $PSCmdlet writes what they would.
function Write-Line {
    param([string] $Text)
    # The information stream, tagged PSHOST as Write-Host tags it: every host shows it whatever InformationPreference.
    $message = [System.Management.Automation.HostInformationMessage]@{ Message = ('{0:yyyy-MM-dd HH:mm:ss}Z {1}' -f [DateTime]::UtcNow, $Text); NoNewLine = $false }
    $PSCmdlet.WriteInformation($message, [string[]] @('PSHOST'))
}

function Write-Problem {
    [CmdletBinding()]
    param([string] $Text)
    # The error stream, as a non-terminating error: the script's own 'Stop' must not turn a problem it reports into a
    # stop before its exit code is set.
    $ErrorActionPreference = 'Continue'
    $exception = [System.Exception]::new(('{0:yyyy-MM-dd HH:mm:ss}Z {1}' -f [DateTime]::UtcNow, $Text))
    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NightlySweepProblem', [System.Management.Automation.ErrorCategory]::NotSpecified, $null))
}

function Format-Size {
    param([long] $Bytes)
    if ($Bytes -ge 1GB) { return '{0:0.##} GiB' -f ($Bytes / 1GB) }
    if ($Bytes -ge 1MB) { return '{0:0.##} MiB' -f ($Bytes / 1MB) }
    if ($Bytes -ge 1KB) { return '{0:0.##} KiB' -f ($Bytes / 1KB) }
    return "$Bytes bytes"
}

# 1. The register. It must be there already: a mistyped -RegisterPath, DATASHAREADMIN_REGISTER or machine
#    configuration stops here with RegisterNotFound (the module never makes a register it was not asked to make, so a
#    typo cannot turn into a new, empty register with nothing due that the job sweeps "successfully" every night).
try {
    if ($RegisterPath) {
        $register = Connect-DataShareRegister -Path $RegisterPath -PassThru
    }
    else {
        $register = Connect-DataShareRegister -PassThru
    }
}
catch {
    Write-Problem "Could not open the register: $($_.Exception.Message) ($($_.FullyQualifiedErrorId))"
    exit 1
}

Write-Line "Retention sweep on $([Environment]::MachineName) against the register $($register.Location)."

# 2. Storage, when asked for.
try {
    if ($PSCmdlet.ParameterSetName -eq 'AccountUri') {
        $storage = @{ AccountUri = $AccountUri; Authentication = $Authentication; AllowHttpLoopback = $AllowHttpLoopback }
        if ($ManagedIdentityClientId) {
            $storage.ManagedIdentityClientId = $ManagedIdentityClientId
        }

        Connect-DataShareStorage @storage
        Write-Line "Connected to storage $AccountUri ($Authentication)."
    }
    elseif ($StorageConnectionString) {
        Connect-DataShareStorage -ConnectionString $StorageConnectionString -AllowHttpLoopback:$AllowHttpLoopback
        Write-Line 'Connected to storage with a connection string.'
    }
    else {
        Write-Line 'No storage connected: only local-folder holdings can be swept.'
    }

    if ($DirectoryTenantId) {
        $directory = @{ ManagedIdentity = $true; TenantId = $DirectoryTenantId }
        if ($DirectoryClientId) {
            $directory.ClientId = $DirectoryClientId
        }

        $connecting = 'the directory'
        Connect-DataShareDirectory @directory
        Write-Line "Connected to the directory of tenant $($DirectoryTenantId): ended agreements lose their access first."
    }
}
catch {
    Write-Problem "Could not connect to $(if ($connecting) { $connecting } else { 'storage' }): $($_.Exception.Message) ($($_.FullyQualifiedErrorId))"
    exit 1
}

# 3. The sweep. Per-holding problems are non-terminating errors: they are written as they happen (to standard error)
#    and collected in $sweepErrors, and the other holdings go on. A sweep already running, or one over the policy's
#    limits, stops the whole command with a terminating error, before anything is deleted.
$sweepErrors = @()
$records = @()
try {
    $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Continue -ErrorVariable sweepErrors)
}
catch {
    $id = "$($_.FullyQualifiedErrorId)"
    if ($id -like 'SweepAlreadyRunning,*') {
        Write-Line "Another retention sweep is running against this register; this run did nothing. $($_.Exception.Message)"
        exit 5
    }

    if ($id -like 'SweepLimitExceeded,*') {
        Write-Problem "Over the policy's limits; nothing was deleted. $($_.Exception.Message)"
        exit 6
    }

    Write-Problem "The sweep stopped: $($_.Exception.Message) ($id)"
    exit 1
}

# 4. What was done.
$destroyed = 0
$blocked = 0
$incomplete = 0
$notFound = 0
$accessProblems = 0
foreach ($record in $records) {
    switch ("$($record.Outcome)") {
        'Destroyed' { $destroyed++ }
        'Blocked' { $blocked++ }
        'NotFound' { $notFound++ }
        default { $incomplete++ }
    }

    $line = '{0} {1} {2} {3}: {4} object(s), {5} deleted, {6} remaining, verified {7}, soft delete {8}' -f $record.Id,
    $record.AgreementId, $record.HoldingId, $record.Outcome, $record.ObjectsDeleted, (Format-Size $record.BytesDeleted),
    $record.ObjectsRemaining, $record.Verified, $record.SoftDelete
    if ($null -ne $record.RecoverableUntil) {
        $line += (' (recoverable by the account owner until {0:yyyy-MM-dd HH:mm}Z)' -f $record.RecoverableUntil.UtcDateTime)
    }

    $line += " at $($record.Location)"
    if ($record.Reason) {
        $line += ". $($record.Reason)"
    }

    if ($record.AccessRemoved) {
        $line += ". Access removed: $($record.AccessRemoved)"
        if ($record.AccessRemoved -match '\bfailed\b|^Not revoked') {
            $accessProblems++
        }
    }

    Write-Line $line
}

$errorCount = @($sweepErrors).Count
Write-Line ("Done: {0} destroyed, {1} blocked, {2} incomplete, {3} error(s)." -f $destroyed, $blocked, $incomplete, $errorCount)

if ($errorCount -gt 0 -or $incomplete -gt 0 -or $notFound -gt 0 -or $accessProblems -gt 0) {
    if ($notFound -gt 0) {
        Write-Problem "$notFound folder holding(s) were not found (outcome NotFound): nothing was deleted and nothing is claimed destroyed. Find where the data is, or withdraw a mistaken holding with Remove-DataShareHolding."
    }

    if ($incomplete -gt 0) {
        Write-Problem "$incomplete holding(s) were left incomplete (see each record's Reason); they stay due and the next sweep goes on."
    }

    if ($accessProblems -gt 0) {
        Write-Problem "Directory access could not all be taken away for $accessProblems record(s) (see Access removed); run Revoke-DataShareAccess for those agreements."
    }

    exit 1
}

if ($blocked -gt 0) {
    exit 4
}

if ($records.Count -eq 0) {
    Write-Line 'Nothing was due.'
}

exit 0
