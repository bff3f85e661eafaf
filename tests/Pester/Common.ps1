# Shared set-up for the Pester tests of the *built* DataShareAdmin module.
#
# Dot-source it in a test file's top-level BeforeAll:
#     BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }
# It imports the module folder the build assembled (never the source folders, so a packaging mistake fails a
# test), and points the session at a fresh register in the file's $TestDrive, so no test touches a real register.
#
# In BeforeDiscovery, dot-source it with -DiscoveryOnly: that only defines the functions and finds the manifest
# (there is no $TestDrive during discovery). Call Restore-DataShareTestEnvironment in the file's AfterAll.
param(
    [switch] $DiscoveryOnly
)

function Get-DataShareTestModuleManifest {
    <#
    .SYNOPSIS
    The built module's manifest: $env:DATASHAREADMIN_TEST_MODULE (a manifest or a module folder) when set, else
    out/Release/DataShareAdmin, else out/Debug/DataShareAdmin. $null when none is there.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $candidates = [System.Collections.Generic.List[string]]::new()
    if (-not [string]::IsNullOrWhiteSpace($env:DATASHAREADMIN_TEST_MODULE)) {
        $fromEnvironment = $env:DATASHAREADMIN_TEST_MODULE
        if (Test-Path -LiteralPath $fromEnvironment -PathType Container) {
            $fromEnvironment = Join-Path $fromEnvironment 'DataShareAdmin.psd1'
        }

        # An explicit choice is never silently replaced by another build.
        $candidates.Add($fromEnvironment)
    }
    else {
        $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
        foreach ($configuration in 'Release', 'Debug') {
            $candidates.Add((Join-Path $repoRoot "out/$configuration/DataShareAdmin/DataShareAdmin.psd1"))
        }
    }

    foreach ($candidate in $candidates) {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) {
            return (Resolve-Path -LiteralPath $candidate).ProviderPath
        }
    }

    return $null
}

# The organisation the test agreements name unless told otherwise. New-DataShareAgreement takes only organisations
# already in the register: New-TestAgreement adds it on first use (Initialize-DataShareTestOrganisation); a test that
# splats Get-DataShareTestAgreementParameter into New-DataShareAgreement itself must make sure it is there first.
$DataShareTestOrganisation = 'University of Exampleton'

# The reason a DirectTransfer agreement made by these helpers gives for not using the secure research service.
$DataShareTestJustification = 'The recipient must link the records to its own case files, which cannot be brought into the secure research service.'

function Get-DataShareTestAgreementParameter {
    <#
    .SYNOPSIS
    A splattable hashtable for New-DataShareAgreement with sensible defaults; any parameter given overrides its
    default. By default the agreement started 30 days ago and ends in a year, so it is open for recipients today.
    A DirectTransfer agreement gets a DirectTransferJustification unless one is given (give '' for none).
    The organisation is not created here: see Initialize-DataShareTestOrganisation.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [string] $Id,
        [string] $Organisation = $DataShareTestOrganisation,
        [string] $Title = 'Attainment and attendance of pupils in the North West',
        [string] $Purpose = 'Research into the link between attendance and attainment at key stage 2.',
        [string] $LegalGateway = 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009',
        [string] $LawfulBasis = 'UK GDPR Article 6(1)(e) public task',
        [string] $AccessRoute = 'SecureResearchService',
        [string] $DirectTransferJustification,
        [datetime] $StartsOn = (Get-Date).Date.AddDays(-30),
        [datetime] $EndsOn = (Get-Date).Date.AddDays(365),
        [int] $RetentionDays = 30,
        [object[]] $DataItem = @('KS2 attainment:B3', 'Attendance:C2')
    )

    if ([string]::IsNullOrEmpty($Id)) {
        $Id = New-DataShareTestId
    }

    $parameters = @{
        Id            = $Id
        Organisation  = $Organisation
        Title         = $Title
        Purpose       = $Purpose
        LegalGateway  = $LegalGateway
        LawfulBasis   = $LawfulBasis
        AccessRoute   = $AccessRoute
        StartsOn      = $StartsOn
        EndsOn        = $EndsOn
        RetentionDays = $RetentionDays
        DataItem      = $DataItem
    }

    if ($PSBoundParameters.ContainsKey('DirectTransferJustification')) {
        $parameters.DirectTransferJustification = $DirectTransferJustification
    }
    elseif ($AccessRoute -eq 'DirectTransfer') {
        # Approve-DataShareAgreement refuses a DirectTransfer agreement without one.
        $parameters.DirectTransferJustification = $DataShareTestJustification
    }

    $parameters
}

function Initialize-DataShareTestOrganisation {
    <#
    .SYNOPSIS
    The organisation of this name in the connected register, added with New-DataShareOrganisation when it is not
    there yet. With -PassedAssessment it also gets a passed security assessment made yesterday (current for the
    policy's 12 months) unless its standing is already Current, so data may go to it directly.
    #>
    [CmdletBinding()]
    [OutputType('DataShareAdmin.DataShareOrganisation')]
    param(
        [string] $Name = $DataShareTestOrganisation,
        [switch] $PassedAssessment
    )

    $trimmed = $Name.Trim()

    # Listed rather than looked up by -Name, so a name with wildcard characters is never taken for a pattern.
    # An id (OR-...) names the organisation too, as it does for New-DataShareAgreement -Organisation.
    $organisation = @(Get-DataShareOrganisation -ErrorAction Stop) | Where-Object { $_.Name -eq $trimmed -or $_.Id -eq $trimmed } |
        Select-Object -First 1
    if ($null -eq $organisation) {
        $organisation = New-DataShareOrganisation -Name $trimmed -ErrorAction Stop
    }

    if ($PassedAssessment -and $organisation.AssessmentStatus -ne [DataShareAdmin.AssessmentState]::Current) {
        # Yesterday here is never in the future in the register's zone (Europe/London), wherever the machine is.
        $reference = 'ISQ-TEST-' + [guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
        $null = Add-DataShareSecurityAssessment -Organisation $organisation.Id -AssessedOn (Get-Date).Date.AddDays(-1) `
            -Outcome Passed -Reference $reference -ErrorAction Stop
        $organisation = Get-DataShareOrganisation -OrganisationId $organisation.Id -ErrorAction Stop
    }

    $organisation
}

function New-DataShareTestId {
    <#
    .SYNOPSIS
    A fresh agreement id in the panel's format (letters and digits), e.g. T3F9A01BC.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string] $Prefix = 'T'
    )

    $Prefix + [guid]::NewGuid().ToString('N').Substring(0, 8).ToUpperInvariant()
}

function New-TestAgreement {
    <#
    .SYNOPSIS
    Creates an agreement with sensible defaults (see Get-DataShareTestAgreementParameter) and returns it, adding its
    organisation to the register first if it is not there (an Organisation.Create audit entry the first time).
    With -ApprovalReference it is approved too (yesterday unless -ApprovedOn says otherwise), so with the default
    dates it is Active today. A DirectTransfer agreement gets a justification unless -DirectTransferJustification
    says otherwise; its organisation gets no security assessment here (Initialize-DataShareTestOrganisation
    -PassedAssessment, or Add-DataShareSecurityAssessment, before a transfer).
    #>
    [CmdletBinding()]
    [OutputType('DataShareAdmin.DataShareAgreement')]
    param(
        [string] $Id,
        [string] $Organisation,
        [string] $Title,
        [string] $Purpose,
        [string] $LegalGateway,
        [string] $LawfulBasis,
        [string] $AccessRoute,
        [string] $DirectTransferJustification,
        [datetime] $StartsOn,
        [datetime] $EndsOn,
        [int] $RetentionDays,
        [object[]] $DataItem,
        [string] $ApprovalReference,
        [datetime] $ApprovedOn,
        # Leaves an approved DirectTransfer agreement without a DPIA (it then gets no transfers).
        [switch] $NoDpia
    )

    $overrides = @{}
    foreach ($name in 'Id', 'Organisation', 'Title', 'Purpose', 'LegalGateway', 'LawfulBasis', 'AccessRoute',
        'DirectTransferJustification', 'StartsOn', 'EndsOn', 'RetentionDays', 'DataItem') {
        if ($PSBoundParameters.ContainsKey($name)) {
            $overrides[$name] = $PSBoundParameters[$name]
        }
    }

    $parameters = Get-DataShareTestAgreementParameter @overrides

    # The organisation must be in the register before an agreement can name it.
    $null = Initialize-DataShareTestOrganisation -Name $parameters.Organisation
    $agreement = New-DataShareAgreement @parameters -ErrorAction Stop
    if (-not $PSBoundParameters.ContainsKey('ApprovalReference')) {
        return $agreement
    }

    if (-not $PSBoundParameters.ContainsKey('ApprovedOn')) {
        # Yesterday here is never in the future in the register's zone (Europe/London), wherever the machine is.
        $ApprovedOn = (Get-Date).Date.AddDays(-1)
    }

    $approved = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference $ApprovalReference -ApprovedOn $ApprovedOn -PassThru -ErrorAction Stop

    # A DirectTransfer agreement gets no transfers without a DPIA: record one, signed off on the day of approval.
    if ($approved.AccessRoute -eq 'DirectTransfer' -and -not $NoDpia) {
        $null = Set-DataShareDpia -AgreementId $agreement.Id -Reference "DPIA-$($agreement.Id)" -SignedOffOn $ApprovedOn `
            -SignedOffBy 'Data Protection Officer' -ResidualRisk Low -Mitigations 'Pseudonymised extract; named recipients only' -ErrorAction Stop
    }

    $approved
}

function Get-DataShareTestState {
    <#
    .SYNOPSIS
    What the register holds, to show that a failed or -WhatIf command wrote nothing.
    #>
    [CmdletBinding()]
    param()

    $organisations = @(Get-DataShareOrganisation -ErrorAction Stop)
    [pscustomobject]@{
        Agreements    = @(Get-DataShareAgreement -ErrorAction Stop).Count
        Recipients    = @(Get-DataShareRecipient -IncludeRemoved -ErrorAction Stop).Count
        Organisations = $organisations.Count
        Assessments   = @($organisations | ForEach-Object { $_.Assessments }).Count
        AuditCount    = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        AuditHead     = (Test-DataShareAuditLog -ErrorAction Stop).Head
    }
}

function Get-DataShareTestPwsh {
    <#
    .SYNOPSIS
    How to start a child pwsh the way this one was started: the executable, and the arguments that must come first.
    Never the pwsh on PATH, which may be another version or none at all.
    .DESCRIPTION
    A pwsh started as itself has [Environment]::ProcessPath pointing at it. A pwsh run as a dotnet tool (dotnet pwsh,
    as the repository's test command runs it) is the dotnet host running $PSHOME/pwsh.dll: the child is started the
    same way. Throws when this is neither, e.g. a host that embeds PowerShell.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()

    $process = [System.Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') {
        return [pscustomobject]@{ FilePath = $process; Prefix = @() }
    }

    $entry = Join-Path $PSHOME 'pwsh.dll'
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet' -and (Test-Path -LiteralPath $entry -PathType Leaf)) {
        return [pscustomobject]@{ FilePath = $process; Prefix = @($entry) }
    }

    throw "These tests run in '$process', which is neither pwsh nor the dotnet host running $entry, so no child pwsh can be started the same way."
}

function Invoke-DataShareTestPwsh {
    <#
    .SYNOPSIS
    Runs a child pwsh (see Get-DataShareTestPwsh) with these arguments, after -NoProfile -NonInteractive, and returns
    its exit code and everything it printed, standard error included, as one string. -Environment sets variables
    for the child only (this process gets its own values back afterwards).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [string[]] $ArgumentList,

        [System.Collections.IDictionary] $Environment = @{}
    )

    $pwsh = Get-DataShareTestPwsh
    $prefix = @($pwsh.Prefix)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, [string]$Environment[$name])
    }

    try {
        $lines = @(& $pwsh.FilePath @prefix -NoProfile -NonInteractive @ArgumentList 2>&1 | ForEach-Object { "$_" })
    }
    finally {
        foreach ($name in $saved.Keys) {
            [Environment]::SetEnvironmentVariable($name, $saved[$name])
        }
    }

    [pscustomobject]@{
        ExitCode = $LASTEXITCODE
        Lines    = $lines
        Output   = $lines -join "`n"
    }
}

function Invoke-DataShareTestRunspace {
    <#
    .SYNOPSIS
    Runs a script block in a runspace of its own that has imported the module under test and connected a register,
    and returns every stream it wrote, as records: Output, Error, Warning, Verbose, Debug, Information and Progress.
    .DESCRIPTION
    For what a test cannot see in its own session: progress records (PowerShell cannot redirect them), a run stopped
    part-way (-StopAfterFirstProgress), and connections that must not outlive the test. The script block's param()
    block takes -ArgumentList.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [scriptblock] $ScriptBlock,

        [object[]] $ArgumentList = @(),

        [string] $Register = $RegisterPath,

        # Stops the run once it has written its first progress record; waits at most this long for one.
        [timespan] $StopAfterFirstProgress = [timespan]::Zero
    )

    $shell = [powershell]::Create()
    try {
        $null = $shell.AddScript({
                param($Manifest, $Register)
                Import-Module $Manifest -ErrorAction Stop
                Connect-DataShareRegister -Path $Register -ErrorAction Stop
            }).AddArgument($DataShareModuleManifest).AddArgument($Register)
        $null = $shell.AddStatement().AddScript($ScriptBlock.ToString())
        foreach ($argument in $ArgumentList) {
            $null = $shell.AddArgument($argument)
        }

        $stopped = $false
        if ($StopAfterFirstProgress -gt [timespan]::Zero) {
            $handle = $shell.BeginInvoke()
            $deadline = [datetime]::UtcNow + $StopAfterFirstProgress
            while ($shell.Streams.Progress.Count -eq 0 -and -not $handle.IsCompleted -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }

            $stopped = $shell.Streams.Progress.Count -gt 0 -and -not $handle.IsCompleted
            $shell.Stop()
            $output = @()
            try {
                $output = @($shell.EndInvoke($handle))
            }
            catch [System.Management.Automation.PipelineStoppedException] {
                # What stopping the run is expected to do.
            }
        }
        else {
            $output = @($shell.Invoke())
        }

        [pscustomobject]@{
            Output      = $output
            Error       = @($shell.Streams.Error)
            Warning     = @($shell.Streams.Warning)
            Verbose     = @($shell.Streams.Verbose)
            Debug       = @($shell.Streams.Debug)
            Information = @($shell.Streams.Information)
            Progress    = @($shell.Streams.Progress)
            Stopped     = $stopped
        }
    }
    finally {
        $shell.Dispose()
    }
}

function Assert-DataShareError {
    <#
    .SYNOPSIS
    The error record has this id (of this cmdlet), this category and a message that says something.
    #>
    param(
        [Parameter(Mandatory)] [AllowNull()] $ErrorRecord,
        [Parameter(Mandatory)] [string] $ErrorId,
        [Parameter(Mandatory)] [System.Management.Automation.ErrorCategory] $Category,
        [Parameter(Mandatory)] [string] $Cmdlet
    )

    $ErrorRecord | Should -Not -BeNullOrEmpty -Because "$Cmdlet should have written $ErrorId"
    $command = 'DataShareAdmin.Commands.' + ($Cmdlet -replace '-', '') + 'Command'
    $ErrorRecord.FullyQualifiedErrorId | Should -Be "$ErrorId,$command"
    $ErrorRecord.CategoryInfo.Category | Should -Be $Category
    $ErrorRecord.Exception.Message | Should -Not -BeNullOrEmpty
}

function Restore-DataShareTestEnvironment {
    <#
    .SYNOPSIS
    Puts DATASHAREADMIN_REGISTER back as it was before this file's set-up changed it.
    #>
    [CmdletBinding()]
    param()

    $saved = Get-Variable -Name DataSharePreviousRegisterVariable -ErrorAction SilentlyContinue
    if ($null -ne $saved) {
        $env:DATASHAREADMIN_REGISTER = $saved.Value
    }
}

# The panel's four tests, each with a note: every approval records them (splat: Approve-DataShareAgreement @PanelTests).
$PanelTests = @{
    Legal         = 'Gateway and lawful basis confirmed'
    Ethical       = 'Ethics approval seen'
    Proportionate = 'Items limited to the research question'
    Secure        = 'Held in an accredited environment'
}

$DataShareModuleManifest = Get-DataShareTestModuleManifest
if ($DiscoveryOnly) {
    return
}

if ($null -eq $DataShareModuleManifest) {
    $searched = if ($env:DATASHAREADMIN_TEST_MODULE) {
        "DATASHAREADMIN_TEST_MODULE = '$env:DATASHAREADMIN_TEST_MODULE'"
    }
    else {
        'out/Release/DataShareAdmin and out/Debug/DataShareAdmin'
    }

    throw "The DataShareAdmin module has not been built (looked in $searched). Run ./build.ps1 (or dotnet build DataShareAdmin.sln -c Release) first, or set DATASHAREADMIN_TEST_MODULE to a built DataShareAdmin.psd1."
}

$DataShareModuleDirectory = Split-Path $DataShareModuleManifest -Parent
Import-Module $DataShareModuleManifest -Force -ErrorAction Stop

# A fresh register for this test file: -Path for this session, and the environment variable too, so anything that
# falls back to the usual search (a new runspace, a cmdlet run before Connect) still never finds the user's register.
$RegisterPath = Join-Path $TestDrive 'register.db'
$DataSharePreviousRegisterVariable = $env:DATASHAREADMIN_REGISTER
$env:DATASHAREADMIN_REGISTER = $RegisterPath
# Made here on purpose: nothing makes a register without being asked (-Create).
Connect-DataShareRegister -Path $RegisterPath -Create -ErrorAction Stop

function Set-TestAgreementTerms {
    <#
    .SYNOPSIS
    Changes an agreement's material terms as an officer must: directly (Set-DataShareAgreement) before approval, by a
    variation requested and approved today after it (Request- and Approve-DataShareVariation). Other parameters of
    Set-DataShareAgreement pass through when the agreement is not approved.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] [string] $Id,
        [datetime] $StartsOn,
        [datetime] $EndsOn,
        [int] $RetentionDays,
        [string] $Purpose,
        [string] $AccessRoute,
        [string] $DirectTransferJustification
    )

    $terms = @{}
    foreach ($name in 'StartsOn', 'EndsOn', 'RetentionDays', 'Purpose', 'AccessRoute', 'DirectTransferJustification') {
        if ($PSBoundParameters.ContainsKey($name)) { $terms[$name] = $PSBoundParameters[$name] }
    }

    if (-not (Get-DataShareAgreement -Id $Id -ErrorAction Stop).ApprovedOn) {
        Set-DataShareAgreement -Id $Id @terms -Confirm:$false -ErrorAction Stop
        return
    }

    $variation = Request-DataShareVariation -AgreementId $Id @terms -Reason 'Varied by the test.' -Confirm:$false -ErrorAction Stop
    if ($variation) {
        $null = Approve-DataShareVariation -Id $variation.Id -Reference 'DSAP-TEST-VARIED' -Confirm:$false -ErrorAction Stop
    }
}
