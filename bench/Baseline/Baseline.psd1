@{
    # The import-time yardstick for DataShareAdmin: one trivial binary cmdlet, nothing else. See docs/performance.md.
    ModuleVersion        = '1.0.0'
    GUID                 = '3d0c6a51-8e2f-4b7a-9c14-6f2e0b9d5a83'
    Author               = 'DataShareAdmin contributors'
    Description          = 'Benchmark baseline: a module of one trivial binary cmdlet.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    RootModule           = 'DataShareAdmin.Baseline.dll'
    CmdletsToExport      = @('Get-BaselineGreeting')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
}
