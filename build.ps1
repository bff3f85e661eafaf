#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, packages or cleans DataShareAdmin.

.DESCRIPTION
A thin wrapper: the real work (compiling, assembling the module folder, stamping the version, compiling help)
is done by MSBuild through `dotnet build`, so a machine without PowerShell builds the same module.

  Build    dotnet build DataShareAdmin.sln; the module is assembled in out/<Configuration>/DataShareAdmin.
  Test     Build, then the xunit suites (dotnet test), then the Pester tests in tests/Pester against the built
           module when Pester 5 or later is installed.
  Package  Build, then out/package/DataShareAdmin/<version>/ and out/package/DataShareAdmin.<version>.zip.
  Clean    dotnet clean, and removes out/<Configuration> and out/package.

.EXAMPLE
./build.ps1

Builds the Release module into out/Release/DataShareAdmin.

.EXAMPLE
./build.ps1 -Task Test -Configuration Debug

Builds the Debug configuration and runs the xunit and Pester tests against it.
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
$PesterTests = Join-Path $RepoRoot 'tests' 'Pester'

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
    Invoke-BuildTask
    Invoke-DotNet -ArgumentList 'test', $Solution, '-c', $Configuration, '--no-build', '--nologo'

    $pester = Get-Module -Name Pester -ListAvailable |
        Where-Object Version -GE ([version]'5.0') |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($null -eq $pester) {
        Write-Host 'Pester 5 or later is not installed, so the Pester tests were skipped (Install-PSResource Pester to run them).' -ForegroundColor Yellow
        return
    }

    # A child process: the tests import the module with -Force and point the session at throw-away registers, and on
    # Windows a loaded module would lock the DLLs the next build writes. The child leaves this session as it was.
    $resultPath = Join-Path $OutRoot 'TestResults' "Pester.$Configuration.xml"
    $null = New-Item -ItemType Directory -Path (Split-Path $resultPath -Parent) -Force
    $command = @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name $(ConvertTo-Literal $pester.Path) -Force
`$env:DATASHAREADMIN_TEST_MODULE = $(ConvertTo-Literal $ModuleManifest)
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = $(ConvertTo-Literal $PesterTests)
`$configuration.Run.Exit = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$configuration.TestResult.Enabled = `$true
`$configuration.TestResult.OutputFormat = 'NUnitXml'
`$configuration.TestResult.OutputPath = $(ConvertTo-Literal $resultPath)
Invoke-Pester -Configuration `$configuration
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($command))
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

    Write-Host "Pester $($pester.Version): $PesterTests against $ModuleManifest" -ForegroundColor Cyan
    & $pwsh -NoProfile -NonInteractive -EncodedCommand $encoded
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester tests failed (exit code $LASTEXITCODE); see the output above and $resultPath."
    }
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

function ConvertTo-Literal([string] $Text) {
    # A single-quoted PowerShell string for $Text, for the child process's command.
    "'" + $Text.Replace("'", "''") + "'"
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Package' { Invoke-PackageTask }
    'Clean' { Invoke-CleanTask }
}
