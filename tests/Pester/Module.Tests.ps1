#Requires -Version 7.4
# The module as shipped: manifest, exports, help, re-import and the engine's private load context.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    # One help test per cmdlet the manifest exports. Not built yet: no help tests, and BeforeAll says why.
    $ExportedCmdletNames = @()
    if ($null -ne $DataShareModuleManifest) {
        $ExportedCmdletNames = @((Import-PowerShellDataFile -LiteralPath $DataShareModuleManifest).CmdletsToExport)
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $ManifestData = Import-PowerShellDataFile -LiteralPath $DataShareModuleManifest
    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        $tested = Test-ModuleManifest -Path $DataShareModuleManifest -ErrorAction Stop
        $tested.Name | Should -Be 'DataShareAdmin'
        $tested.Version | Should -Be ([version]$ManifestData.ModuleVersion)
    }

    It 'carries the version from Directory.Build.props' {
        # Only this repository's own build (out/<Configuration>/DataShareAdmin, however it was chosen) carries the version
        # of this Directory.Build.props; a module from elsewhere given in DATASHAREADMIN_TEST_MODULE may not.
        $repositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
        $props = Join-Path $repositoryRoot 'Directory.Build.props'
        $outFolder = [System.IO.Path]::GetFullPath((Join-Path $repositoryRoot 'out')) + [System.IO.Path]::DirectorySeparatorChar
        if (-not $DataShareModuleManifest.StartsWith($outFolder, [System.StringComparison]::Ordinal)) {
            Set-ItResult -Skipped -Because "the module under test ($DataShareModuleManifest) is not this repository's build"
            return
        }

        $version = ([xml](Get-Content -LiteralPath $props -Raw)).Project.PropertyGroup |
            ForEach-Object { $_.DataShareAdminVersion } |
            Where-Object { $_ } |
            Select-Object -First 1
        $ManifestData.ModuleVersion | Should -Be $version
    }

    It 'requires PowerShell 7.4 on Core' {
        $ManifestData.PowerShellVersion | Should -Be '7.4'
        $ManifestData.CompatiblePSEditions | Should -Be 'Core'
    }

    It 'lists its exports by name, with no wildcards, no functions and no aliases' {
        @($ManifestData.CmdletsToExport).Count | Should -BeGreaterThan 0
        @($ManifestData.CmdletsToExport | Where-Object { $_ -match '[*?]' }) | Should -BeNullOrEmpty
        @($ManifestData.FunctionsToExport).Count | Should -Be 0
        @($ManifestData.AliasesToExport).Count | Should -Be 0
    }
}

Describe 'The module folder' {
    It 'has no types file: a transfer''s link hides its own signature' {
        Join-Path $DataShareModuleDirectory 'DataShareAdmin.types.ps1xml' | Should -Not -Exist
        (Import-PowerShellDataFile -LiteralPath (Join-Path $DataShareModuleDirectory 'DataShareAdmin.psd1')).ContainsKey('TypesToProcess') | Should -BeFalse
    }

    It 'has <_> beside the manifest' -ForEach @(
        'DataShareAdmin.dll'
        'DataShareAdmin.Abstractions.dll'
        'DataShareAdmin.Loader.dll'
        'DataShareAdmin.format.ps1xml'
        'en-US/DataShareAdmin.dll-Help.xml'
        'Dependencies/DataShareAdmin.Core.dll'
        'Dependencies/Microsoft.Data.Sqlite.dll'
    ) {
        Join-Path $DataShareModuleDirectory $_ | Should -Exist
    }

    It 'does not have <_>, which would load outside the private context' -ForEach @(
        'DataShareAdmin.Core.dll'
        'Microsoft.Data.Sqlite.dll'
        'Dependencies/DataShareAdmin.Abstractions.dll'
    ) {
        Join-Path $DataShareModuleDirectory $_ | Should -Not -Exist
    }

    It 'has exactly the cmdlets, the shared types and the loader beside the manifest: every other assembly is in Dependencies' {
        @(Get-ChildItem -LiteralPath $DataShareModuleDirectory -Filter '*.dll' -File | ForEach-Object Name | Sort-Object) |
            Should -Be @('DataShareAdmin.Abstractions.dll', 'DataShareAdmin.dll', 'DataShareAdmin.Loader.dll')
    }

    It 'ships the native SQLite library for this platform under Dependencies/runtimes' {
        $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
        $native = Join-Path $DataShareModuleDirectory 'Dependencies' 'runtimes' $rid 'native'
        @(Get-ChildItem -LiteralPath $native -Filter '*e_sqlite3*' -File -ErrorAction SilentlyContinue) | Should -Not -BeNullOrEmpty -Because "$native must hold it"
    }

    It 'has cmdlets that reference the engine and the shared types but none of the engine''s third-party assemblies' {
        $stream = [System.IO.File]::OpenRead((Join-Path $DataShareModuleDirectory 'DataShareAdmin.dll'))
        try {
            $reader = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($reader)
            $references = @(foreach ($handle in $metadata.AssemblyReferences) {
                    $metadata.GetString($metadata.GetAssemblyReference($handle).Name)
                })
        }
        finally {
            $stream.Dispose()
        }

        $references | Should -Contain 'DataShareAdmin.Core'
        $references | Should -Contain 'DataShareAdmin.Abstractions'
        foreach ($prefix in 'Microsoft.Data.Sqlite', 'SQLitePCLRaw', 'Azure.', 'Microsoft.Graph', 'Microsoft.Identity') {
            @($references | Where-Object { $_.StartsWith($prefix, [System.StringComparison]::Ordinal) }) | Should -BeNullOrEmpty -Because "the cmdlets must not bind to $prefix"
        }
    }
}

Describe 'Exports' {
    BeforeAll {
        $Module = Get-Module -Name DataShareAdmin
    }

    It 'is imported once' {
        @($Module).Count | Should -Be 1
        $Module.ModuleBase | Should -Be $DataShareModuleDirectory
    }

    It 'exports exactly the cmdlets in CmdletsToExport' {
        $exported = @($Module.ExportedCmdlets.Keys | Sort-Object) -join ', '
        $listed = @($ManifestData.CmdletsToExport | Sort-Object) -join ', '
        $exported | Should -Be $listed
    }

    It 'exports no functions and no aliases' {
        $Module.ExportedFunctions.Count | Should -Be 0
        $Module.ExportedAliases.Count | Should -Be 0
    }

    It 'carries the manifest''s version in the cmdlets'' assembly' {
        $version = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $DataShareModuleDirectory 'DataShareAdmin.dll')).Version
        [version]::new($version.Major, $version.Minor, $version.Build) | Should -Be ([version]$ManifestData.ModuleVersion)
    }

    It '<_> uses an approved verb and declares its output type' -ForEach $ExportedCmdletNames {
        $command = Get-Command -Name $_ -Module DataShareAdmin -CommandType Cmdlet -ErrorAction Stop
        (Get-Verb).Verb | Should -Contain $command.Verb
        @($command.OutputType).Count | Should -BeGreaterThan 0
    }
}

Describe 'Help' {
    It '<_> has help with a synopsis and at least one example' -ForEach $ExportedCmdletNames {
        $name = $_
        $help = Get-Help -Name $name -Full -ErrorAction Stop
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without compiled help PowerShell makes a synopsis up from the syntax, which starts with the cmdlet name.
        $help.Synopsis.Trim() | Should -Not -BeLike "$name *" -Because 'the synopsis should come from the MAML help, not the syntax'

        $examples = @((Get-Help -Name $name -Examples -ErrorAction Stop).examples.example | Where-Object { $null -ne $_ })
        $examples.Count | Should -BeGreaterOrEqual 1
        ($examples[0].code | Out-String).Trim() | Should -Not -BeNullOrEmpty
        ($examples[0].code | Out-String) | Should -BeLike "*$name*" -Because 'the first example shows the cmdlet itself'
    }

    It '<_> has every parameter and parameter set documented on its page in docs/en-US, and none it does not have' -ForEach $ExportedCmdletNames {
        $name = $_
        $page = (Get-Content -LiteralPath (Join-Path $RepositoryRoot 'docs' 'en-US' "$name.md") -Raw) -replace "`r`n", "`n"
        $command = Get-Command -Name $name -Module DataShareAdmin -ErrorAction Stop
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $page | Should -Match ([regex]::Escape("### -$parameter") + '\n') -Because "$name.md must document -$parameter"
        }

        foreach ($set in $command.ParameterSets.Name | Where-Object { $_ -ne '__AllParameterSets' }) {
            $page | Should -Match ([regex]::Escape("### $set")) -Because "$name.md must show the $set parameter set"
        }

        foreach ($documented in [regex]::Matches($page, '(?m)^### -(\S+)\s*$') | ForEach-Object { $_.Groups[1].Value }) {
            $command.Parameters.ContainsKey($documented) | Should -BeTrue -Because "$name.md documents -$documented, which $name does not have"
        }
    }

    It 'ships about_DataShareAdmin' {
        (Get-Help -Name about_DataShareAdmin -ErrorAction Stop | Out-String) | Should -BeLike '*hash chain*'
    }
}

Describe 'Import-Module -Force' {
    It 'works twice in one session and the cmdlets still work' {
        Import-Module $DataShareModuleManifest -Force -ErrorAction Stop
        Import-Module $DataShareModuleManifest -Force -ErrorAction Stop

        @(Get-Module -Name DataShareAdmin).Count | Should -Be 1
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $agreement = New-TestAgreement
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Id | Should -Be $agreement.Id
    }
}

Describe 'Assembly isolation' {
    BeforeAll {
        # Make sure the engine and SQLite are loaded: a cmdlet that opens the register loads both.
        $null = Get-DataShareAgreement -ErrorAction Stop
        $Default = [System.Runtime.Loader.AssemblyLoadContext]::Default

        function Get-LoadedAssembly([string] $Name) {
            @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $Name })
        }
    }

    It 'loads the engine (DataShareAdmin.Core) once, in a load context of its own' {
        $core = Get-LoadedAssembly 'DataShareAdmin.Core'
        $core.Count | Should -Be 1 -Because 'Import-Module -Force must not load a second engine'
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core[0])
        [object]::ReferenceEquals($context, $Default) | Should -BeFalse -Because 'the engine must not load in the default context'
        $context.Name | Should -Be 'DataShareAdmin'
    }

    It 'loads <_> outside the default context' -ForEach @('Microsoft.Data.Sqlite', 'SQLitePCLRaw.core') {
        $loaded = Get-LoadedAssembly $_
        $loaded.Count | Should -BeGreaterThan 0
        foreach ($assembly in $loaded) {
            $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly)
            [object]::ReferenceEquals($context, $Default) | Should -BeFalse -Because "$($assembly.Location) must load in the module's private context"
        }
    }

    It 'shares DataShareAdmin.Abstractions once, in the default context, so the cmdlets and the engine agree on its types' {
        $abstractions = Get-LoadedAssembly 'DataShareAdmin.Abstractions'
        $abstractions.Count | Should -Be 1
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($abstractions[0])
        [object]::ReferenceEquals($context, $Default) | Should -BeTrue
    }
}

Describe 'README.md' {
    It 'names no file outside the repository, and every file it links to is in it' {
        $readme = Get-Content -LiteralPath (Join-Path $RepositoryRoot 'README.md') -Raw

        $readme | Should -Not -Match '\.\./' -Because 'a clone has nothing beside the repository'
        $links = [regex]::Matches($readme, '\]\(([^)#]+)(#[^)]*)?\)') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -notmatch '^[a-z]+:' }
        @($links) | Should -Not -BeNullOrEmpty
        foreach ($link in $links) {
            Join-Path $RepositoryRoot $link | Should -Exist -Because "README.md links to $link"
        }
    }
}

