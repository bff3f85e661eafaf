#Requires -Version 7.4
# The release path a PowerShell user takes: the gallery package (.nupkg) of the built module, published to a feed,
# installed with Install-PSResource, imported by name, updated with Update-PSResource and uninstalled, with the
# register left where it lives. The feed is a temporary folder, so no network is used.
#
# PSResourceGet keeps its list of repositories, and installs for the current user, under the user's data folder
# (~/.local/share). Every PSResourceGet step therefore runs in a child pwsh whose HOME and XDG folders are in
# $TestDrive: the user's own repository list and modules are never touched, and the last test proves it.

BeforeDiscovery {
    # On Windows, Install-PSResource puts modules in the Documents folder, which a child process cannot be pointed
    # away from: the install is skipped there rather than run against the user's own modules.
    $InstallDescribeName = 'Install-PSResource, Update-PSResource and Uninstall-PSResource from a file feed'
    if ($IsWindows) {
        $InstallDescribeName += " (skipped on Windows: the CurrentUser scope is the user's Documents folder, which cannot be redirected)"
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $PackageScript = Join-Path $RepositoryRoot 'build/New-ModulePackage.ps1'
    $ManifestData = Import-PowerShellDataFile -LiteralPath $DataShareModuleManifest

    function Get-ChangelogSection {
        <#
        The lines of CHANGELOG.md under the heading '## <version>' up to the next '## ' heading, without the blank
        lines around them. What the gallery's release notes must be.
        #>
        param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Version)

        $lines = [System.IO.File]::ReadAllLines($Path)
        $start = [array]::FindIndex($lines, [Predicate[string]] { param($line) $line -match ('^##\s+' + [regex]::Escape($Version) + '(\s|$)') })
        if ($start -lt 0) {
            return $null
        }

        $section = [System.Collections.Generic.List[string]]::new()
        for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^##(?!#)'; $i++) {
            $section.Add($lines[$i])
        }

        ($section -join "`n").Trim()
    }

    function Get-PackageEntry {
        <# The file names inside a .nupkg (a zip), with '/' separators, without NuGet's own bookkeeping. #>
        param([Parameter(Mandatory)] [string] $Path)

        $archive = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            @($archive.Entries | Where-Object { $_.FullName -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|DataShareAdmin\.nuspec$)' } |
                ForEach-Object { [uri]::UnescapeDataString($_.FullName) })
        }
        finally {
            $archive.Dispose()
        }
    }

    function Get-ModuleFolderEntry {
        <# The files of a module folder, relative, with '/' separators. #>
        param([Parameter(Mandatory)] [string] $Path)

        $root = (Resolve-Path -LiteralPath $Path).ProviderPath.TrimEnd([System.IO.Path]::DirectorySeparatorChar) + [System.IO.Path]::DirectorySeparatorChar
        @(Get-ChildItem -LiteralPath $Path -File -Recurse | ForEach-Object { $_.FullName.Substring($root.Length).Replace('\', '/') })
    }

    # A home of its own for every PSResourceGet step: its repository list, its CurrentUser modules and its caches.
    $IsolatedHome = Join-Path $TestDrive 'home'
    $IsolatedData = Join-Path $IsolatedHome '.local/share'
    $IsolatedModules = Join-Path $IsolatedData 'powershell/Modules'
    $null = New-Item -ItemType Directory -Path $IsolatedData, (Join-Path $IsolatedHome '.config'), (Join-Path $IsolatedHome '.cache') -Force
    $IsolatedEnvironment = [ordered]@{
        HOME            = $IsolatedHome
        XDG_DATA_HOME   = $IsolatedData
        XDG_CONFIG_HOME = Join-Path $IsolatedHome '.config'
        XDG_CACHE_HOME  = Join-Path $IsolatedHome '.cache'
        # The installed modules and the built-in ones (PSResourceGet among them); pwsh adds its shared folder.
        PSModulePath    = $IsolatedModules + [System.IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
    }

    function Invoke-IsolatedPwsh {
        <#
        Runs the script in a fresh child pwsh with the isolated home and module path, after setting the given
        variables. The script writes its findings as one line 'RESULT <json>'; returns the exit code, the output and
        that result.
        #>
        param(
            [Parameter(Mandatory)] [string] $Script,
            [System.Collections.IDictionary] $Variable = @{}
        )

        $preamble = [System.Text.StringBuilder]::new()
        $null = $preamble.AppendLine("`$ErrorActionPreference = 'Stop'").AppendLine("`$ProgressPreference = 'SilentlyContinue'")
        foreach ($name in $Variable.Keys) {
            $null = $preamble.AppendLine("`$$name = '" + ([string]$Variable[$name]).Replace("'", "''") + "'")
        }

        $file = Join-Path $TestDrive ('step-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value ($preamble.ToString() + $Script) -Encoding utf8NoBOM

        $run = Invoke-DataShareTestPwsh -ArgumentList '-File', $file -Environment $IsolatedEnvironment

        $resultLine = @($run.Lines | Where-Object { $_.StartsWith('RESULT ', [System.StringComparison]::Ordinal) }) | Select-Object -Last 1
        [pscustomobject]@{
            ExitCode = $run.ExitCode
            Output   = $run.Output
            Result   = if ($resultLine) { $resultLine.Substring(7) | ConvertFrom-Json } else { $null }
        }
    }

    function Get-RealPSResourceGetState {
        <# The user's own repository list (its bytes, or that there is none) and their own DataShareAdmin modules. #>
        $data = [Environment]::GetFolderPath([Environment+SpecialFolder]::LocalApplicationData, [Environment+SpecialFolderOption]::DoNotVerify)
        $store = Join-Path $data 'PSResourceGet/PSResourceRepository.xml'
        $modules = Join-Path $data 'powershell/Modules/DataShareAdmin'
        [pscustomobject]@{
            Store   = if (Test-Path -LiteralPath $store) { (Get-FileHash -LiteralPath $store -Algorithm SHA256).Hash } else { "none at $store" }
            Modules = if (Test-Path -LiteralPath $modules) { @(Get-ChildItem -LiteralPath $modules -Recurse | ForEach-Object FullName) -join "`n" } else { "none at $modules" }
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'The manifest a gallery shows' {
    It 'has the tags users search for, the project and licence links, and runs on PowerShell 7.4+ Core only' {
        $psData = $ManifestData.PrivateData.PSData
        foreach ($tag in 'DataSharing', 'Retention', 'GDPR', 'FiveSafes', 'AzureStorage', 'Compliance', 'PSEdition_Core') {
            $psData.Tags | Should -Contain $tag
        }

        @($psData.Tags | Where-Object { $_ -match '\s' }) | Should -BeNullOrEmpty -Because 'a gallery tag is one word'
        ([uri]$psData.ProjectUri).Scheme | Should -Be 'https'
        ([uri]$psData.LicenseUri).Scheme | Should -Be 'https'
        $ManifestData.CompatiblePSEditions | Should -Be 'Core'
        $ManifestData.PowerShellVersion | Should -Be '7.4'
        # Left out until there is a page that serves updatable help: Update-Help would fail on a link that does not resolve.
        $ManifestData.ContainsKey('HelpInfoUri') | Should -BeFalse
    }

    It "takes its release notes from CHANGELOG.md's section for its version, at build" {
        $expected = Get-ChangelogSection -Path (Join-Path $RepositoryRoot 'CHANGELOG.md') -Version $ManifestData.ModuleVersion

        $expected | Should -Not -BeNullOrEmpty -Because "CHANGELOG.md has a '## $($ManifestData.ModuleVersion)' section"
        $ManifestData.PrivateData.PSData.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $expected
    }

    It 'keeps no second copy of the release notes in the source manifest' {
        $source = Import-PowerShellDataFile -LiteralPath (Join-Path $RepositoryRoot 'module/DataShareAdmin.psd1')

        $source.PrivateData.PSData.ReleaseNotes | Should -BeNullOrEmpty
    }
}

Describe 'Release notes stamped from a changelog' {
    BeforeAll {
        $Dotnet = if ($env:DOTNET_HOST_PATH -and (Test-Path -LiteralPath $env:DOTNET_HOST_PATH)) { $env:DOTNET_HOST_PATH } else { 'dotnet' }
        $Targets = Join-Path $RepositoryRoot 'build/Module.targets'

        function Invoke-Stamp {
            <# Runs only the build's manifest stamp, with this changelog and version, into a folder of its own. #>
            param([Parameter(Mandatory)] [string] $Changelog, [Parameter(Mandatory)] [string] $Version)

            $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $changelogPath = Join-Path $root 'CHANGELOG.md'
            $null = New-Item -ItemType Directory -Path $root
            [System.IO.File]::WriteAllText($changelogPath, $Changelog)
            $output = & $Dotnet msbuild $Targets -t:StampModuleManifest -nologo -v:m "-p:ModuleOutputRoot=$root/out/" `
                -p:Configuration=Release "-p:DataShareAdminVersion=$Version" "-p:ModuleChangelog=$changelogPath" 2>&1 | ForEach-Object { "$_" }
            [pscustomobject]@{
                ExitCode = $LASTEXITCODE
                Output   = $output -join "`n"
                Manifest = Join-Path $root 'out/Release/DataShareAdmin/DataShareAdmin.psd1'
            }
        }
    }

    It "writes the version's section whole, quotes and all, and not the next one" {
        $changelog = "# Changelog`r`n`r`n## 9.9.9 — unreleased`r`n`r`n- Sweeps don't stop at O'Brien’s holding.`r`n  A wrapped line.`r`n`r`n### Fixed`r`n`r`n- `$env:HOME is no longer read.`r`n`r`n## 9.9.8`r`n`r`n- Older.`r`n"

        $run = Invoke-Stamp -Changelog $changelog -Version '9.9.9'

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $stamped = Import-PowerShellDataFile -LiteralPath $run.Manifest
        $stamped.ModuleVersion | Should -Be '9.9.9'
        $stamped.PrivateData.PSData.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly ("- Sweeps don't stop at O'Brien’s holding.`n  A wrapped line.`n`n### Fixed`n`n- `$env:HOME is no longer read.")
    }

    It 'fails the build, naming the version, when the changelog has no section for it, and writes no manifest' {
        $run = Invoke-Stamp -Changelog "# Changelog`n`n## 9.9.8`n`n- Older.`n`n## 9.9.90`n`n- Not this one either.`n" -Version '9.9.9'

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike "*CHANGELOG.md has no '## 9.9.9' section*"
        Test-Path -LiteralPath $run.Manifest | Should -BeFalse
    }

    It 'fails the build when the section is empty' {
        $run = Invoke-Stamp -Changelog "# Changelog`n`n## 9.9.9`n`n## 9.9.8`n`n- Older.`n" -Version '9.9.9'

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike "*'## 9.9.9' section of*is empty*"
        Test-Path -LiteralPath $run.Manifest | Should -BeFalse
    }
}

Describe 'The gallery package' {
    BeforeAll {
        $Packages = Join-Path $TestDrive 'packages'
        $run = Invoke-IsolatedPwsh -Variable @{ PackageScript = $PackageScript; Module = $DataShareModuleDirectory; Out = $Packages } -Script @'
$made = & $PackageScript -ModuleDirectory $Module -OutputDirectory $Out
'RESULT ' + (@($made | ForEach-Object FullName) | ConvertTo-Json -Compress -AsArray)
'@
        $PackageRun = $run
        $Nupkg = Join-Path $Packages "DataShareAdmin.$($ManifestData.ModuleVersion).nupkg"
        $Zip = Join-Path $Packages "DataShareAdmin.$($ManifestData.ModuleVersion).zip"
    }

    It 'is made from the built module, beside the zip, and says where both are' {
        $PackageRun.ExitCode | Should -Be 0 -Because $PackageRun.Output
        @($PackageRun.Result) | Should -Be @($Nupkg, $Zip)
        Test-Path -LiteralPath $Nupkg -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath $Zip -PathType Leaf | Should -BeTrue
    }

    It 'holds every file of the module folder and nothing else of its own' {
        $inPackage = Get-PackageEntry -Path $Nupkg | Sort-Object
        $inFolder = Get-ModuleFolderEntry -Path $DataShareModuleDirectory | Sort-Object

        $inPackage | Should -Be $inFolder
    }

    It 'carries the manifest''s gallery metadata in its nuspec' {
        $archive = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
        try {
            $reader = [System.IO.StreamReader]::new($archive.GetEntry('DataShareAdmin.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally {
            $archive.Dispose()
        }

        $metadata = $nuspec.package.metadata
        $psData = $ManifestData.PrivateData.PSData
        $metadata.id | Should -Be 'DataShareAdmin'
        $metadata.version | Should -Be $ManifestData.ModuleVersion
        $metadata.projectUrl | Should -Be $psData.ProjectUri
        $metadata.licenseUrl | Should -Be $psData.LicenseUri
        $metadata.releaseNotes.Replace("`r`n", "`n") | Should -BeExactly $psData.ReleaseNotes.Replace("`r`n", "`n")
        foreach ($tag in $psData.Tags) {
            -split $metadata.tags | Should -Contain $tag
        }
    }

    It 'unpacks from the zip as DataShareAdmin/(version)/, ready for a Modules folder' {
        $archive = [System.IO.Compression.ZipFile]::OpenRead($Zip)
        try {
            $names = @($archive.Entries | Where-Object { $_.Name } | ForEach-Object { $_.FullName.Replace('\', '/') })
        }
        finally {
            $archive.Dispose()
        }

        $prefix = "DataShareAdmin/$($ManifestData.ModuleVersion)/"
        @($names | Where-Object { -not $_.StartsWith($prefix, [System.StringComparison]::Ordinal) }) | Should -BeNullOrEmpty
        $names.ForEach({ $_.Substring($prefix.Length) }) | Sort-Object | Should -Be (Get-ModuleFolderEntry -Path $DataShareModuleDirectory | Sort-Object)
    }

    It 'is refused, with nothing written, for a folder that is not a module' {
        $empty = Join-Path $TestDrive 'not-a-module'
        $out = Join-Path $TestDrive 'not-a-module-out'
        $null = New-Item -ItemType Directory -Path $empty

        $run = Invoke-IsolatedPwsh -Variable @{ PackageScript = $PackageScript; Module = $empty; Out = $out } -Script @'
& $PackageScript -ModuleDirectory $Module -OutputDirectory $Out
'@

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike '*DataShareAdmin.psd1*'
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'is refused, with nothing written, for an output folder inside the module folder, which would pack itself' {
        $module = Join-Path $TestDrive 'inside/DataShareAdmin'
        $null = New-Item -ItemType Directory -Path $module -Force
        Copy-Item -LiteralPath $DataShareModuleManifest -Destination $module
        $before = @(Get-ChildItem -LiteralPath $module -Recurse -Force).Count

        $run = Invoke-IsolatedPwsh -Variable @{ PackageScript = $PackageScript; Module = $module; Out = (Join-Path $module 'sub/../package') } -Script @'
& $PackageScript -ModuleDirectory $Module -OutputDirectory $Out
'@

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike '*inside the module folder*'
        @(Get-ChildItem -LiteralPath $module -Recurse -Force).Count | Should -Be $before
    }

    It 'is refused, with nothing written, for a module folder under another name, which would install as that name' {
        $other = Join-Path $TestDrive 'renamed/DataShareAdmin-copy'
        $out = Join-Path $TestDrive 'renamed-out'
        $null = New-Item -ItemType Directory -Path $other -Force
        Copy-Item -LiteralPath $DataShareModuleManifest -Destination $other

        $run = Invoke-IsolatedPwsh -Variable @{ PackageScript = $PackageScript; Module = $other; Out = $out } -Script @'
& $PackageScript -ModuleDirectory $Module -OutputDirectory $Out
'@

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike '*must be named DataShareAdmin*'
        Test-Path -LiteralPath $out | Should -BeFalse
    }
}

Describe $InstallDescribeName -Skip:$IsWindows {
    BeforeAll {
        $RealStateBefore = Get-RealPSResourceGetState
        $Feed = Join-Path $TestDrive 'feed'
        $null = New-Item -ItemType Directory -Path $Feed
        $FeedName = 'DataShareAdminTestFeed'
        $TourRegister = Join-Path $TestDrive 'data/register.db'
        $TourReport = Join-Path $TestDrive 'data/register.csv'
        $IsolatedEnvironment['DATASHAREADMIN_REGISTER'] = $TourRegister
        $Version = [version]$ManifestData.ModuleVersion
        $NextVersion = [version]::new($Version.Major, $Version.Minor, $Version.Build + 1)
        $AgreementId = 'PKG' + [guid]::NewGuid().ToString('N').Substring(0, 6).ToUpperInvariant()

        # The release after this one: the same module folder with the next version in a copy of its manifest.
        $NextModule = Join-Path $TestDrive 'next/DataShareAdmin'
        $null = New-Item -ItemType Directory -Path (Split-Path $NextModule -Parent)
        Copy-Item -LiteralPath $DataShareModuleDirectory -Destination $NextModule -Recurse
        $nextManifest = Join-Path $NextModule 'DataShareAdmin.psd1'
        $text = [System.IO.File]::ReadAllText($nextManifest)
        [System.IO.File]::WriteAllText($nextManifest, ($text -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion = '$NextVersion'"))

        # This release's package is the one the tests above made (made here when only this block runs). The next
        # one needs only its .nupkg, so Compress-PSResource makes it without the zip the script adds.
        $Packages = Join-Path $TestDrive 'packages'
        $Nupkg = Join-Path $Packages "DataShareAdmin.$Version.nupkg"
        $NextNupkg = Join-Path $Packages "DataShareAdmin.$NextVersion.nupkg"
        $made = Invoke-IsolatedPwsh -Variable @{ PackageScript = $PackageScript; Module = $DataShareModuleDirectory; Next = $NextModule; Out = $Packages; Nupkg = $Nupkg } -Script @'
if (-not (Test-Path -LiteralPath $Nupkg)) { $null = & $PackageScript -ModuleDirectory $Module -OutputDirectory $Out }
Compress-PSResource -Path $Next -DestinationPath $Out
'@
        if ($made.ExitCode -ne 0) {
            throw "Packaging failed: $($made.Output)"
        }

        # Pester has no order-dependent tests of its own: each step below records whether it ran, so a later step
        # that cannot mean anything after a failure says so instead of failing for an unrelated reason.
        $Steps = @{}
    }

    AfterAll {
        if (Test-Path -LiteralPath (Join-Path $IsolatedData 'PSResourceGet')) {
            $null = Invoke-IsolatedPwsh -Variable @{ Name = $FeedName } -Script @'
if (Get-PSResourceRepository -Name $Name -ErrorAction SilentlyContinue) { Unregister-PSResourceRepository -Name $Name }
'@
        }
    }

    It 'publishes the package to a file feed registered in the isolated home only' {
        $run = Invoke-IsolatedPwsh -Variable @{ Name = $FeedName; Feed = $Feed; Nupkg = $Nupkg } -Script @'
Register-PSResourceRepository -Name $Name -Uri $Feed -Trusted
# The gallery is not needed, and a search must not reach it.
Unregister-PSResourceRepository -Name PSGallery -ErrorAction SilentlyContinue
Publish-PSResource -NupkgPath $Nupkg -Repository $Name
$found = Find-PSResource -Name DataShareAdmin -Repository $Name
'RESULT ' + (@{
    Repositories = @(Get-PSResourceRepository | ForEach-Object Name)
    Version      = "$($found.Version)"
    Tags         = @($found.Tags)
    ProjectUri   = "$($found.ProjectUri)"
    LicenseUri   = "$($found.LicenseUri)"
    ReleaseNotes = $found.ReleaseNotes
} | ConvertTo-Json -Compress)
'@

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Result.Repositories | Should -Be @($FeedName)
        Test-Path -LiteralPath (Join-Path $Feed "DataShareAdmin.$Version.nupkg") | Should -BeTrue
        $run.Result.Version | Should -Be "$Version"
        $run.Result.Tags | Should -Contain 'FiveSafes'
        $run.Result.ProjectUri | Should -Be $ManifestData.PrivateData.PSData.ProjectUri
        $run.Result.LicenseUri | Should -Be $ManifestData.PrivateData.PSData.LicenseUri
        $run.Result.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $ManifestData.PrivateData.PSData.ReleaseNotes.Replace("`r`n", "`n")
        $Steps.Published = $true
    }

    It 'installs it with Install-PSResource into an empty module path' {
        if (-not $Steps.Published) { throw 'The package was not published (see the first test).' }

        $run = Invoke-IsolatedPwsh -Variable @{ Name = $FeedName } -Script @'
$before = @(Get-Module -ListAvailable -Name DataShareAdmin).Count
Install-PSResource -Name DataShareAdmin -Repository $Name -Scope CurrentUser
$installed = @(Get-InstalledPSResource -Name DataShareAdmin)
'RESULT ' + (@{
    Before    = $before
    Versions  = @($installed | ForEach-Object { "$($_.Version)" })
    Locations = @($installed | ForEach-Object InstalledLocation)
} | ConvertTo-Json -Compress)
'@

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Result.Before | Should -Be 0 -Because 'the module path starts empty, so an import by name can only find the install'
        $run.Result.Versions | Should -Be @("$Version")
        Test-Path -LiteralPath (Join-Path $IsolatedModules "DataShareAdmin/$Version/DataShareAdmin.psd1") | Should -BeTrue
        Get-ModuleFolderEntry -Path (Join-Path $IsolatedModules "DataShareAdmin/$Version") | Sort-Object |
            Should -Be (Get-ModuleFolderEntry -Path $DataShareModuleDirectory | Where-Object { $_ -ne 'DataShareAdmin.psd1' } | ForEach-Object { $_ } -End { 'DataShareAdmin.psd1'; 'PSGetModuleInfo.xml' } | Sort-Object)
        $Steps.Installed = $true
    }

    It 'imports by name in a fresh pwsh and runs a short tour against a register outside the module folder' {
        if (-not $Steps.Installed) { throw 'The module was not installed (see the test before).' }

        $run = Invoke-IsolatedPwsh -Variable @{ Common = (Join-Path $PSScriptRoot 'Common.ps1'); Register = $TourRegister; Report = $TourReport; AgreementId = $AgreementId } -Script @'
Import-Module DataShareAdmin
$module = Get-Module DataShareAdmin
. $Common -DiscoveryOnly
$null = New-Item -ItemType Directory -Path (Split-Path $Register -Parent) -Force
$connection = Connect-DataShareRegister -Path $Register -Create -PassThru
$null = New-DataShareOrganisation -Name $DataShareTestOrganisation
$parameters = Get-DataShareTestAgreementParameter -Id $AgreementId
$null = New-DataShareAgreement @parameters
Export-DataShareReport -Kind Register -Format Csv -Path $Report
'RESULT ' + (@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Register   = "$($connection.Path)"
    Agreements = @(Get-DataShareAgreement | ForEach-Object Id)
} | ConvertTo-Json -Compress)
'@

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Result.ModuleBase | Should -Be (Join-Path $IsolatedModules "DataShareAdmin/$Version")
        $run.Result.Version | Should -Be "$Version"
        $run.Result.Agreements | Should -Be @($AgreementId)
        (Import-Csv -LiteralPath $TourReport).reference | Should -Be @($AgreementId)
        Test-Path -LiteralPath $TourRegister -PathType Leaf | Should -BeTrue
        $Steps.Toured = $true
    }

    It 'moves to the next release with Update-PSResource, and the register still opens with its records' {
        if (-not $Steps.Toured) { throw 'The tour did not run (see the test before).' }

        $update = Invoke-IsolatedPwsh -Variable @{ Name = $FeedName; Nupkg = $NextNupkg } -Script @'
Publish-PSResource -NupkgPath $Nupkg -Repository $Name
Update-PSResource -Name DataShareAdmin -Repository $Name -Scope CurrentUser
'RESULT ' + (@{ Versions = @(Get-InstalledPSResource -Name DataShareAdmin | ForEach-Object { "$($_.Version)" } | Sort-Object) } | ConvertTo-Json -Compress)
'@
        $update.ExitCode | Should -Be 0 -Because $update.Output
        $update.Result.Versions | Should -Be @("$Version", "$NextVersion")

        $run = Invoke-IsolatedPwsh -Variable @{ Register = $TourRegister; AgreementId = $AgreementId } -Script @'
Import-Module DataShareAdmin
$module = Get-Module DataShareAdmin
Connect-DataShareRegister -Path $Register
'RESULT ' + (@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Agreement  = (Get-DataShareAgreement -Id $AgreementId).Id
    Intact     = (Test-DataShareAuditLog).IsIntact
} | ConvertTo-Json -Compress)
'@

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Result.Version | Should -Be "$NextVersion"
        $run.Result.ModuleBase | Should -Be (Join-Path $IsolatedModules "DataShareAdmin/$NextVersion")
        $run.Result.Agreement | Should -Be $AgreementId
        $run.Result.Intact | Should -BeTrue
        $Steps.Updated = $true
    }

    It 'uninstalls every version with Uninstall-PSResource and leaves the register in place, unchanged' {
        if (-not $Steps.Updated) { throw 'The update did not run (see the test before).' }
        $registerHash = (Get-FileHash -LiteralPath $TourRegister -Algorithm SHA256).Hash

        $run = Invoke-IsolatedPwsh -Script @'
Uninstall-PSResource -Name DataShareAdmin -Version '*' -Scope CurrentUser
'RESULT ' + (@{
    Installed = @(Get-InstalledPSResource -Name DataShareAdmin -ErrorAction SilentlyContinue).Count
    Available = @(Get-Module -ListAvailable -Name DataShareAdmin).Count
} | ConvertTo-Json -Compress)
'@

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Result.Installed | Should -Be 0
        $run.Result.Available | Should -Be 0
        Test-Path -LiteralPath (Join-Path $IsolatedModules 'DataShareAdmin/*') | Should -BeFalse
        (Get-FileHash -LiteralPath $TourRegister -Algorithm SHA256).Hash | Should -Be $registerHash
    }

    It "never touched the user's own repository list or modules" {
        $IsolatedEnvironment.HOME | Should -Not -Be $HOME -Because 'every PSResourceGet step ran in the isolated home'
        Test-Path -LiteralPath (Join-Path $IsolatedData 'PSResourceGet/PSResourceRepository.xml') | Should -BeTrue -Because 'the steps kept their repository list in the isolated home'

        $after = Get-RealPSResourceGetState

        $after.Store | Should -Be $RealStateBefore.Store
        $after.Modules | Should -Be $RealStateBefore.Modules
    }
}
