@{
    # The version is stamped from Directory.Build.props at build time: change it there, not here.
    ModuleVersion        = '0.1.0'
    GUID                 = 'b7f4e0a2-5c1d-4e8b-9a3f-2d6c8e1f4a70'
    Author               = 'DataShareAdmin contributors'
    CompanyName          = 'DataShareAdmin'
    Copyright            = '(c) DataShareAdmin contributors. MIT licence.'
    Description          = 'Runs the administrative side of sharing sensitive personal data with approved organisations: agreements, safe people, time-limited transfers, retention sweeps and a tamper-evident audit log.'

    # PowerShell 7.4+ only: the engine loads in a private AssemblyLoadContext, which Windows PowerShell 5.1 does not have.
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')

    RootModule           = 'DataShareAdmin.dll'
    # Loaded before the root module: installs the private load context for the engine and its dependencies.
    NestedModules        = @('DataShareAdmin.Loader.dll')
    # No TypesToProcess: a transfer's link is a DataShareLink that prints without its signature, so no property set
    # needs to hide it (and reading a types file cost about 17 ms of CPU at every import).
    FormatsToProcess     = @('DataShareAdmin.format.ps1xml')

    CmdletsToExport      = @(
        'Connect-DataShareRegister'
        'Copy-DataShareRegister'
        'Test-DataShareOutput'
        'Request-DataShareOutputRelease'
        'Approve-DataShareOutputRelease'
        'Revoke-DataShareOutputRelease'
        'Get-DataShareOutputRelease'
        'New-DataShareAgreement'
        'Get-DataShareAgreement'
        'Set-DataShareAgreement'
        'Approve-DataShareAgreement'
        'Suspend-DataShareAgreement'
        'Resume-DataShareAgreement'
        'Request-DataShareVariation'
        'Approve-DataShareVariation'
        'Deny-DataShareVariation'
        'Close-DataShareVariation'
        'Get-DataShareVariation'
        'Deny-DataShareAgreement'
        'Close-DataShareAgreement'
        'New-DataShareOrganisation'
        'Get-DataShareOrganisation'
        'Set-DataShareOrganisation'
        'Add-DataShareSecurityAssessment'
        'Set-DataShareDpia'
        'Get-DataShareDpia'
        'Add-DataShareReview'
        'Get-DataShareReview'
        'Connect-DataShareDirectory'
        'Resolve-DataShareRecipient'
        'Revoke-DataShareAccess'
        'Send-DataShareNotice'
        'Add-DataShareRecipient'
        'Get-DataShareRecipient'
        'Set-DataShareRecipient'
        'Remove-DataShareRecipient'
        'Get-DataShareAuditLog'
        'Test-DataShareAuditLog'
        'Add-DisclosureCertificate'
        'Get-DisclosureCertificate'
        'Set-DisclosureCertificate'
        'Remove-DisclosureCertificate'
        'Import-DisclosureCertificate'
        'Test-DisclosureCertificate'
        'Test-DataShareRecipient'
        'Get-DataSharePolicy'
        'Set-DataSharePolicy'
        'Connect-DataShareStorage'
        'New-DataShareTransfer'
        'Get-DataShareTransfer'
        'Revoke-DataShareTransfer'
        'Register-DataShareHolding'
        'Get-DataShareHolding'
        'Remove-DataShareHolding'
        'Add-DataShareRetentionHold'
        'Get-DataShareRetentionHold'
        'Remove-DataShareRetentionHold'
        'New-DataShareIncident'
        'Get-DataShareIncident'
        'Set-DataShareIncident'
        'Add-DataShareLegalGateway'
        'Get-DataShareLegalGateway'
        'Remove-DataShareLegalGateway'
        'Get-DataShareRetentionPlan'
        'Invoke-DataShareRetentionSweep'
        'Confirm-DataShareDestruction'
        'Find-DataShareOrphan'
        'Export-DataShareReport'
        'Export-DataShareEvidence'
        'Export-DataSharePersonData'
        'Test-DataShareEvidence'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            # What a gallery shows and users search. There is no HelpInfoUri: no page serves updatable help yet,
            # and Update-Help fails on a link that does not resolve.
            Tags         = @('DataSharing', 'DataProtection', 'GDPR', 'FiveSafes', 'Retention', 'Compliance', 'Audit', 'AzureStorage', 'AzureBlob', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/datashareadmin/DataShareAdmin'
            # The section of CHANGELOG.md for ModuleVersion, filled in at build (build/Module.targets); empty in the source.
            ReleaseNotes = ''
        }
    }
}
