#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, packages or cleans DataShareAdmin.

.DESCRIPTION
A thin wrapper: the real work (compiling, assembling the module folder, stamping the version, compiling help)
is done by MSBuild through `dotnet build`, so a machine without PowerShell builds the same module.

  Build    dotnet build DataShareAdmin.sln; the module is assembled in out/<Configuration>/DataShareAdmin.
  Test     Build, then every test of the solution (dotnet test): the xunit suites and, through
           tests/DataShareAdmin.Pester.Tests, the Pester files in tests/Pester on the pinned pwsh (dotnet-tools.json)
           with Pester 5.9.1 from NuGet, against the built module.
  Package  Build, then out/package/DataShareAdmin/<version>/ and out/package/DataShareAdmin.<version>.zip.
  Clean    dotnet clean, and removes out/<Configuration> and out/package.

.EXAMPLE
./build.ps1

Builds the Release module into out/Release/DataShareAdmin.

.EXAMPLE
./build.ps1 -Task Test -Configuration Debug

Builds the Debug configuration and runs the xunit and Pester tests against it.

.EXAMPLE
dotnet tool restore; dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1 -Path tests/Pester/Retention.Tests.ps1

Runs one Pester file by hand against the Release build (see docs/testing.md).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# Exit codes are checked below, with a message that says which step failed.
$PSNativeCommandUseErrorActionPreference = $false

$RepoRoot = $PSScriptRoot
$Solution = Join-Path $RepoRoot 'DataShareAdmin.sln'
$OutRoot = Join-Path $RepoRoot 'out'
$ModuleDir = Join-Path $OutRoot $Configuration 'DataShareAdmin'
$ModuleManifest = Join-Path $ModuleDir 'DataShareAdmin.psd1'
$PackageRoot = Join-Path $OutRoot 'package'

function Invoke-DotNet {
    param(
        [Parameter(Mandatory)]
        [string[]] $ArgumentList
    )

    if (-not (Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'The .NET SDK (dotnet) is not on PATH. Install the .NET SDK (https://dot.net) and try again.'
    }

    Write-Host "dotnet $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & dotnet @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($ArgumentList[0]) failed with exit code $LASTEXITCODE."
    }
}

function Invoke-BuildTask {
    Invoke-DotNet -ArgumentList 'build', $Solution, '-c', $Configuration, '--nologo'
    if (-not (Test-Path -LiteralPath $ModuleManifest -PathType Leaf)) {
        throw "The build succeeded but did not assemble the module: $ModuleManifest is missing."
    }
}

function Invoke-TestTask {
    # The same route as README's test command: the solution's tests include DataShareAdmin.Pester.Tests, which runs
    # every Pester file on the pwsh pinned in dotnet-tools.json with Pester 5.9.1 from NuGet. Never the pwsh or the
    # Pester that happens to be installed here.
    Invoke-BuildTask
    Invoke-DotNet -ArgumentList 'test', $Solution, '-c', $Configuration, '--no-build', '--nologo'
}

function Invoke-PackageTask {
    Invoke-BuildTask

    $version = (Import-PowerShellDataFile -LiteralPath $ModuleManifest)['ModuleVersion']
    if ([string]::IsNullOrWhiteSpace($version)) {
        throw "$ModuleManifest has no ModuleVersion."
    }

    # Laid out as it is installed (DataShareAdmin/<version>/), so the zip unpacks straight into a Modules folder.
    $packageModuleRoot = Join-Path $PackageRoot 'DataShareAdmin'
    $packageDir = Join-Path $packageModuleRoot $version
    $zip = Join-Path $PackageRoot "DataShareAdmin.$version.zip"
    if (Test-Path -LiteralPath $packageModuleRoot) {
        Remove-Item -LiteralPath $packageModuleRoot -Recurse -Force
    }

    $null = New-Item -ItemType Directory -Path $packageDir -Force
    Copy-Item -Path (Join-Path $ModuleDir '*') -Destination $packageDir -Recurse -Force
    Compress-Archive -LiteralPath $packageModuleRoot -DestinationPath $zip -Force

    Write-Host "DataShareAdmin $version packaged: $packageDir and $zip" -ForegroundColor Green
}

function Invoke-CleanTask {
    Invoke-DotNet -ArgumentList 'clean', $Solution, '-c', $Configuration, '--nologo'
    foreach ($path in (Join-Path $OutRoot $Configuration), $PackageRoot) {
        if (Test-Path -LiteralPath $path) {
            Write-Host "Removing $path" -ForegroundColor Cyan
            Remove-Item -LiteralPath $path -Recurse -Force
        }
    }
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Package' { Invoke-PackageTask }
    'Clean' { Invoke-CleanTask }
}
