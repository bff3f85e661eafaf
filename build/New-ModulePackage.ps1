#Requires -Version 7.4
<#
.SYNOPSIS
Packs a built DataShareAdmin module folder as the gallery package (.nupkg) and the release zip.

.DESCRIPTION
build.ps1 -Task Package runs this on out/<Configuration>/DataShareAdmin after building; the package tests run it on
the same folder. It writes, in the output folder:

  DataShareAdmin.<version>.nupkg  made by PSResourceGet's Compress-PSResource: what Publish-PSResource sends to a
                                  gallery or a feed, and what Install-PSResource installs
  DataShareAdmin/<version>/       the module laid out as it is installed
  DataShareAdmin.<version>.zip    that folder zipped, for copying into a Modules folder by hand

and returns the .nupkg and the .zip. Compress-PSResource needs PSResourceGet 1.1 or later (pwsh 7.6 ships 1.2); the
pinned pwsh has it: dotnet tool restore; dotnet pwsh -NoProfile -File build.ps1 -Task Package.

.EXAMPLE
./build/New-ModulePackage.ps1 -ModuleDirectory out/Release/DataShareAdmin -OutputDirectory out/package
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    # The built module folder, named DataShareAdmin, holding DataShareAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModuleDirectory,

    [Parameter(Mandatory)]
    [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$moduleName = 'DataShareAdmin'
$manifest = Join-Path $ModuleDirectory "$moduleName.psd1"
if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
    throw "$ModuleDirectory is not a built $moduleName module: $manifest is missing. Build it first (dotnet build DataShareAdmin.sln -c Release)."
}

$ModuleDirectory = (Resolve-Path -LiteralPath $ModuleDirectory).ProviderPath.TrimEnd('/', '\')
if ((Split-Path $ModuleDirectory -Leaf) -ne $moduleName) {
    throw "The module folder must be named $moduleName for the package to install under that name: $ModuleDirectory."
}

$version = (Import-PowerShellDataFile -LiteralPath $manifest)['ModuleVersion']
if ([string]::IsNullOrWhiteSpace($version)) {
    throw "$manifest has no ModuleVersion."
}

if (-not (Get-Command -Name Compress-PSResource -ErrorAction SilentlyContinue)) {
    throw ('Making the gallery package needs Compress-PSResource (Microsoft.PowerShell.PSResourceGet 1.1 or later, shipped with ' +
        "pwsh 7.6), which this pwsh $($PSVersionTable.PSVersion) does not have. Run it on the pinned pwsh: " +
        'dotnet tool restore; dotnet pwsh -NoProfile -File build.ps1 -Task Package')
}

# Compared before anything is made: a package written into the folder it packs would hold itself.
$OutputDirectory = [System.IO.Path]::GetFullPath($OutputDirectory, (Get-Location -PSProvider FileSystem).ProviderPath).TrimEnd('/', '\')
$separator = [System.IO.Path]::DirectorySeparatorChar
if (($OutputDirectory + $separator).StartsWith($ModuleDirectory + $separator, [System.StringComparison]::OrdinalIgnoreCase)) {
    throw "The output folder $OutputDirectory is inside the module folder ${ModuleDirectory}: choose one outside it (out/package by default)."
}

$null = New-Item -ItemType Directory -Path $OutputDirectory -Force
$OutputDirectory = (Resolve-Path -LiteralPath $OutputDirectory).ProviderPath
$nupkg = Join-Path $OutputDirectory "$moduleName.$version.nupkg"
$zip = Join-Path $OutputDirectory "$moduleName.$version.zip"
$installedRoot = Join-Path $OutputDirectory $moduleName
foreach ($old in $nupkg, $zip, $installedRoot) {
    if (Test-Path -LiteralPath $old) {
        Remove-Item -LiteralPath $old -Recurse -Force
    }
}

# Relative names with '/' separators, as a zip stores them.
$prefix = $ModuleDirectory + [System.IO.Path]::DirectorySeparatorChar
$moduleFiles = @(Get-ChildItem -LiteralPath $ModuleDirectory -File -Recurse | ForEach-Object { $_.FullName.Substring($prefix.Length).Replace('\', '/') })

Compress-PSResource -Path $ModuleDirectory -DestinationPath $OutputDirectory
if (-not (Test-Path -LiteralPath $nupkg -PathType Leaf)) {
    throw "Compress-PSResource did not write $nupkg."
}

# The build's own list of shipped files is checked on the folder; this checks that the package holds all of it.
$archive = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
try {
    $packed = [System.Collections.Generic.HashSet[string]]::new([string[]]@($archive.Entries | ForEach-Object { [uri]::UnescapeDataString($_.FullName) }))
}
finally {
    $archive.Dispose()
}

$missing = @($moduleFiles | Where-Object { -not $packed.Contains($_) })
if ($missing.Count -gt 0) {
    Remove-Item -LiteralPath $nupkg -Force
    throw "The package of $ModuleDirectory left out $($missing -join ', '); nothing was written."
}

# The zip unpacks as DataShareAdmin/<version>/, straight into a Modules folder.
$installed = Join-Path $installedRoot $version
$null = New-Item -ItemType Directory -Path $installed -Force
Copy-Item -Path (Join-Path $ModuleDirectory '*') -Destination $installed -Recurse -Force
# ZipFile rather than Compress-Archive: the same zip, in a third of the time for the module's 80 MiB.
[System.IO.Compression.ZipFile]::CreateFromDirectory($installedRoot, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)

Get-Item -LiteralPath $nupkg, $zip
