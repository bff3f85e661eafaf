#Requires -Version 7.4
# Importing the module loads no engine: DataShareAdmin.Core, the Azure SDK, Microsoft Graph and SQLite load, in the
# module's private load context, only when a command first needs them. Each case starts a fresh pwsh, because a
# process that has already run a command has them loaded for good.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # What the engine brings: none of these may be loaded by Import-Module, in any load context.
    $EnginePatterns = @('DataShareAdmin.Core', 'Azure.*', 'Microsoft.Graph*', 'Microsoft.Kiota*', 'Microsoft.Data.Sqlite', 'SQLitePCL*')

    function Invoke-LoadedAssemblyReport {
        <#
        .SYNOPSIS
        In a fresh pwsh: imports the built module, runs $After, and lists every assembly loaded in the process (each
        load context, the module's private one included) as "LOADED <context>|<name>", plus "CONTEXT <name>" for
        every load context.
        #>
        param(
            [string] $After = ''
        )

        $quoted = "'" + $DataShareModuleManifest.Replace("'", "''") + "'"
        $command = @"
`$ErrorActionPreference = 'Stop'
Import-Module $quoted
$After
foreach (`$context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
    'CONTEXT ' + `$context.Name
    foreach (`$assembly in `$context.Assemblies) { 'LOADED ' + `$context.Name + '|' + `$assembly.GetName().Name }
}
foreach (`$assembly in [AppDomain]::CurrentDomain.GetAssemblies()) { 'LOADED domain|' + `$assembly.GetName().Name }
"@
        $run = Invoke-DataShareTestPwsh -ArgumentList '-Command', $command
        $run.ExitCode | Should -Be 0 -Because $run.Output
        [pscustomobject]@{
            Contexts = @($run.Lines | Where-Object { $_ -like 'CONTEXT *' } | ForEach-Object { $_.Substring(8) })
            Loaded   = @($run.Lines | Where-Object { $_ -like 'LOADED *' } | ForEach-Object { $_.Substring(7) })
        }
    }

    function Get-EngineAssembly([string[]] $Loaded) {
        @($Loaded | Where-Object {
                $name = $_.Split('|', 2)[1]
                @($EnginePatterns | Where-Object { $name -like $_ }).Count -gt 0
            })
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Importing the module' {
    It 'loads no engine, Azure, Graph or SQLite assembly' {
        $report = Invoke-LoadedAssemblyReport

        # The import did run the loader: the module's private context is there (empty until the first command).
        $report.Contexts | Should -Contain 'DataShareAdmin'
        $report.Loaded | Should -Contain 'domain|DataShareAdmin'
        Get-EngineAssembly $report.Loaded | Should -BeNullOrEmpty
    }

    It 'loads none of them either when the cmdlets and their parameters are listed' {
        # Get-Command and the parameter metadata reflect over every cmdlet class: the engine's types must not be on them.
        $report = Invoke-LoadedAssemblyReport -After @'
$null = Get-Command -Module DataShareAdmin | ForEach-Object { $_.Parameters.Values.ParameterType }
$null = Get-Command -Module DataShareAdmin -Syntax
'@

        Get-EngineAssembly $report.Loaded | Should -BeNullOrEmpty
    }

    It 'loads the engine and SQLite in the private context at the first command that opens a register (the check sees them)' {
        $register = (Join-Path $TestDrive 'import-first-call.db').Replace("'", "''")
        $report = Invoke-LoadedAssemblyReport -After "Connect-DataShareRegister -Path '$register' -Create; `$null = Get-DataSharePolicy"

        $engine = Get-EngineAssembly $report.Loaded
        $engine | Should -Contain 'DataShareAdmin|DataShareAdmin.Core'
        $engine | Should -Contain 'DataShareAdmin|Microsoft.Data.Sqlite'
        $engine | Where-Object { $_ -like 'Default|*' } | Should -BeNullOrEmpty -Because 'the engine loads only in the private context'
    }
}
