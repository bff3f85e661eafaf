#Requires -Version 7.4
<#
.SYNOPSIS
Runs Pester files of tests/Pester, with the pinned Pester, against the module the build assembled.

.DESCRIPTION
The one way the Pester files are run: `dotnet test DataShareAdmin.sln` runs it once per file on the pwsh pinned in
dotnet-tools.json (tests/DataShareAdmin.Pester.Tests), and so does ./build.ps1 -Task Test. By hand, from the
repository root, after a build:

    dotnet tool restore
    dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1 -Path tests/Pester/Retention.Tests.ps1

It imports Pester from the NuGet packages folder, where restoring tests/DataShareAdmin.Pester.Tests put it (never a
Pester from PSModulePath, which may be another version), points the tests at out/<Configuration>/DataShareAdmin
unless DATASHAREADMIN_TEST_MODULE already names a module, and exits 0 only when every test ran and passed.

.PARAMETER Path
Test files or folders to run; by default every *.Tests.ps1 file beside this script.

.PARAMETER Configuration
The build whose module folder is tested when DATASHAREADMIN_TEST_MODULE is not set.

.PARAMETER PesterManifest
Pester.psd1 to import; by default pester/5.9.1/tools/Pester.psd1 in the NuGet packages folder.

.PARAMETER ResultPath
Where to write the results as NUnit XML; none when not given.

.PARAMETER FullName
Runs only the tests whose full name (Describe.Context.It) matches one of these wildcards.

.PARAMETER Verbosity
Pester's output verbosity.
#>
[CmdletBinding()]
param(
    [string[]] $Path = @($PSScriptRoot),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string] $PesterManifest,

    [string] $ResultPath,

    [string[]] $FullName,

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Normal'
)

# No Set-StrictMode here: it would reach into every test file, which Pester runs in scopes below this one.
$ErrorActionPreference = 'Stop'
$PesterVersion = [version]'5.9.1'
$RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent

if ([string]::IsNullOrEmpty($PesterManifest)) {
    $packages = $env:NUGET_PACKAGES
    if ([string]::IsNullOrEmpty($packages)) {
        $packages = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget' 'packages'
    }

    $PesterManifest = Join-Path $packages 'pester' "$PesterVersion" 'tools' 'Pester.psd1'
}

if (-not (Test-Path -LiteralPath $PesterManifest -PathType Leaf)) {
    throw "Pester $PesterVersion is not in the NuGet packages folder ($PesterManifest is missing). 'dotnet restore tests/DataShareAdmin.Pester.Tests' (or 'dotnet test DataShareAdmin.sln') downloads it."
}

# By path, so no other Pester on PSModulePath (Windows ships 3.4) is ever the one that runs.
Get-Module -Name Pester | Remove-Module -Force
$pester = Import-Module -Name $PesterManifest -Force -PassThru
if ($pester.Version -ne $PesterVersion) {
    throw "$PesterManifest is Pester $($pester.Version), not $PesterVersion."
}

if ([string]::IsNullOrWhiteSpace($env:DATASHAREADMIN_TEST_MODULE)) {
    $env:DATASHAREADMIN_TEST_MODULE = Join-Path $RepositoryRoot 'out' $Configuration 'DataShareAdmin' 'DataShareAdmin.psd1'
}

# Plain text: the output is read in CI logs and in xunit's failure messages, where colour codes are noise.
$PSStyle.OutputRendering = 'PlainText'

$pesterConfiguration = New-PesterConfiguration
$pesterConfiguration.Run.Path = $Path
$pesterConfiguration.Run.PassThru = $true
$pesterConfiguration.Output.Verbosity = $Verbosity
$pesterConfiguration.Output.RenderMode = 'Plaintext'
if (-not [string]::IsNullOrEmpty($ResultPath)) {
    $pesterConfiguration.TestResult.Enabled = $true
    $pesterConfiguration.TestResult.OutputFormat = 'NUnitXml'
    $pesterConfiguration.TestResult.OutputPath = $ResultPath
}

if ($FullName) {
    $pesterConfiguration.Filter.FullName = $FullName
}

$result = Invoke-Pester -Configuration $pesterConfiguration

# Pester's summary counts skipped tests but does not say why: a skip must never pass unnoticed.
foreach ($test in $result.Skipped) {
    $reason = if ($null -ne $test.ErrorRecord -and @($test.ErrorRecord).Count -gt 0) {
        @($test.ErrorRecord)[0].Exception.Message
    }
    else {
        'marked -Skip (see the name of its Describe or Context)'
    }

    Write-Host "Skipped: $($test.ExpandedPath): $reason"
}

Write-Host ("Pester {0} on PowerShell {1}: {2} tests, {3} passed, {4} failed, {5} skipped, {6} not run; {7} failed blocks, {8} failed containers." -f
    $pester.Version, $PSVersionTable.PSVersion, $result.TotalCount, $result.PassedCount, $result.FailedCount, $result.SkippedCount,
    $result.NotRunCount, $result.FailedBlocksCount, $result.FailedContainersCount)

if ($result.Result -ne 'Passed' -or $result.TotalCount -eq 0) {
    exit 1
}

exit 0
