#Requires -Version 7.4
# Pipelines as PowerShell users expect them, on real pwsh: ids piped as text, objects with an AgreementId or Id bound
# by property name, the audit log filtered by several actions and by actor; and tab completion that offers ids (or
# nothing), never the file names PowerShell falls back to when a completer returns nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $First = New-TestAgreement -Id 'PIP00001' -ApprovalReference 'DSAP-PIP1'
    $Second = New-TestAgreement -Id 'PIP00002'
    $OtherOrganisation = Initialize-DataShareTestOrganisation -Name 'Pipeline Polytechnic'
    $Third = New-TestAgreement -Id 'PIP00003' -Organisation 'Pipeline Polytechnic'
    $Recipient = Add-DataShareRecipient -AgreementId 'PIP00002' -Name 'Pat Pipe' -Email 'pat.pipe@example.ac.uk' -ErrorAction Stop
    $OtherRecipient = Add-DataShareRecipient -AgreementId 'PIP00002' -Name 'Pip Pipe' -Email 'pip.pipe@example.ac.uk' -ErrorAction Stop
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Get-DataShareAgreement from the pipeline' {
    It 'takes ids piped as text' {
        @('PIP00001', 'pip00003' | Get-DataShareAgreement -ErrorAction Stop).Id | Should -Be @('PIP00001', 'PIP00003')
    }

    It 'takes the agreement of each object with an AgreementId, once, not its own Id' {
        $found = @($Recipient, $OtherRecipient | Get-DataShareAgreement -ErrorAction Stop)
        $found.Id | Should -Be @('PIP00002')
    }

    It 'takes objects with an Id, such as rows of a spreadsheet, and agreements themselves' {
        $rows = 'Id', 'PIP00001', 'PIP00003' | ConvertFrom-Csv
        @($rows | Get-DataShareAgreement -ErrorAction Stop).Id | Should -Be @('PIP00001', 'PIP00003')
        @(Get-DataShareAgreement -Id 'PIP00001', 'PIP00002' | Get-DataShareAgreement -Status Active -ErrorAction Stop).Id | Should -Be @('PIP00001')
    }

    It 'takes the agreements of a piped organisation' {
        @(Get-DataShareOrganisation -Name 'Pipeline Polytechnic' | Get-DataShareAgreement -ErrorAction Stop).Id | Should -Be @('PIP00003')
    }

    It 'reports an unknown piped id with AgreementNotFound and goes on' {
        $found = @('PIP00001', 'NOSUCH99', 'PIP00003' | Get-DataShareAgreement -ErrorAction SilentlyContinue -ErrorVariable err)
        $found.Id | Should -Be @('PIP00001', 'PIP00003')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'AgreementNotFound,DataShareAdmin.Commands.GetDataShareAgreementCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-DataShareOrganisation from the pipeline' {
    It 'takes names and ids piped as text' {
        @('Pipeline Polytechnic', $OtherOrganisation.Id | Get-DataShareOrganisation -ErrorAction Stop).Id | Should -Be @($OtherOrganisation.Id)
    }

    It 'takes the organisation of the agreement of each object with an AgreementId' {
        @($Recipient | Get-DataShareOrganisation -ErrorAction Stop).Name | Should -Be @($DataShareTestOrganisation)
        $transferLike = [pscustomobject]@{ Id = 'TR-0000000000'; AgreementId = 'PIP00003' }
        @($transferLike | Get-DataShareOrganisation -ErrorAction Stop).Id | Should -Be @($OtherOrganisation.Id)
    }

    It 'takes objects with an organisation Id, such as rows of a spreadsheet' {
        $rows = 'Id', $OtherOrganisation.Id | ConvertFrom-Csv
        @($rows | Get-DataShareOrganisation -ErrorAction Stop).Name | Should -Be @('Pipeline Polytechnic')
    }

    It 'still takes agreements and organisations by their OrganisationId' {
        @($Third | Get-DataShareOrganisation -ErrorAction Stop).Id | Should -Be @($OtherOrganisation.Id)
        @($OtherOrganisation | Get-DataShareOrganisation -ErrorAction Stop).Id | Should -Be @($OtherOrganisation.Id)
    }
}

Describe 'Get-DataShareAuditLog filters' {
    It 'takes several actions, with wildcards, and returns each entry once' {
        $entries = @(Get-DataShareAuditLog -Action 'Agreement.Create', 'Recipient.*', 'agreement.*' -ErrorAction Stop)
        $entries.Action | Sort-Object -Unique | Should -Be @('Agreement.Approve', 'Agreement.Create', 'Recipient.Add')
        @($entries.Sequence | Sort-Object -Unique).Count | Should -Be $entries.Count
        @(Get-DataShareAuditLog -Action 'Recipient.Add', 'Organisation.Create' -TargetId 'PIP00002' -ErrorAction Stop).Action |
            Should -Be @('Recipient.Add', 'Recipient.Add')
    }

    It 'filters by actor, with wildcards' {
        $me = (Get-DataShareAuditLog -Action 'Agreement.Create' -TargetId 'PIP00001')[0].Actor
        @(Get-DataShareAuditLog -Actor $me -TargetId 'PIP0000*' -ErrorAction Stop).Count | Should -BeGreaterThan 3
        @(Get-DataShareAuditLog -Actor ($me.Substring(0, 1) + '*') -Action 'Agreement.Create' -TargetId 'PIP00001' -ErrorAction Stop).Count | Should -Be 1
        @(Get-DataShareAuditLog -Actor 'nobody-of-that-name', 'nor-this*' -ErrorAction Stop).Count | Should -Be 0
    }

    It 'documents -Action as taking several values and -Actor' {
        $command = Get-Command Get-DataShareAuditLog
        $command.Parameters['Action'].ParameterType | Should -Be ([string[]])
        $command.Parameters['Actor'].ParameterType | Should -Be ([string[]])
        (Get-Help Get-DataShareAuditLog -Parameter Actor).description.Text | Should -Not -BeNullOrEmpty
    }
}

Describe 'Tab completion of ids' {
    BeforeAll {
        $Certificate = Add-DisclosureCertificate -RecipientId $Recipient.Id -Issuer DBS -Level Basic -Number '000000600001' -IssuedOn $Today.AddDays(-10) -ErrorAction Stop

        # A folder with a file in it: where PowerShell falls back to completing file names, this is what it offers.
        $Folder = Join-Path $TestDrive 'completion'
        $null = New-Item -ItemType Directory -Path $Folder -Force
        Set-Content -LiteralPath (Join-Path $Folder 'zz-a-file-not-an-id.txt') -Value 'x'

        function Get-Completion {
            <# What pressing Tab after the input offers, as the console does it, in the folder with the file. #>
            param([Parameter(Mandatory)] [string] $InputScript)
            Push-Location -LiteralPath $Folder
            try {
                @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches)
            }
            finally {
                Pop-Location
            }
        }

        $IdParameters = @(
            'Add-DataShareRecipient -AgreementId', 'Add-DisclosureCertificate -RecipientId', 'Approve-DataShareAgreement -Id',
            'Confirm-DataShareDestruction -AgreementId', 'Connect-DataShareDirectory -TenantId', 'Connect-DataShareDirectory -ClientId',
            'Connect-DataShareDirectory -CertificateThumbprint', 'Connect-DataShareStorage -ManagedIdentityClientId',
            'Export-DataShareReport -AgreementId', 'Get-DataShareAgreement -Id', 'Get-DataShareAgreement -AgreementId',
            'Get-DataShareAuditLog -Action', 'Get-DataShareAuditLog -Actor', 'Get-DataShareAuditLog -TargetId', 'Get-DataShareAuditLog',
            'Get-DataShareHolding -AgreementId', 'Get-DataShareHolding -Id', 'Get-DataShareOrganisation -Name', 'Get-DataShareOrganisation -OrganisationId',
            'Get-DataShareOrganisation -AgreementId', 'Get-DataSharePolicy -Name', 'Get-DataShareRecipient -AgreementId', 'Get-DataShareRecipient -Email',
            'Get-DataShareRecipient -Id', 'Get-DataShareTransfer -AgreementId', 'Get-DataShareTransfer -Id', 'Get-DisclosureCertificate -Id',
            'Get-DisclosureCertificate -Number', 'Get-DisclosureCertificate -RecipientId', 'Invoke-DataShareRetentionSweep -HoldingId',
            'New-DataShareAgreement -Id', 'New-DataShareAgreement -AccessGroupId', 'New-DataShareAgreement -Organisation', 'New-DataShareTransfer -AgreementId',
            'New-DataShareTransfer -FromTransfer', 'New-DataShareTransfer -RecipientId', 'Register-DataShareHolding -AgreementId',
            'Remove-DataShareRecipient -Id', 'Remove-DisclosureCertificate -Id', 'Resolve-DataShareRecipient -AgreementId',
            'Resolve-DataShareRecipient -RecipientId', 'Revoke-DataShareAccess -AgreementId', 'Revoke-DataShareTransfer -Id',
            'Send-DataShareNotice -AgreementId', 'Set-DataShareAgreement -Id', 'Set-DataShareAgreement -AccessGroupId',
            'Set-DataShareAgreement -Organisation', 'Set-DataShareOrganisation -Organisation', 'Set-DataSharePolicy -Name', 'Set-DataShareRecipient -Id',
            'Set-DisclosureCertificate -Id', 'Test-DataShareAuditLog -ExpectedHead', 'Test-DataShareRecipient -AgreementId',
            'Test-DataShareRecipient -RecipientId', 'Test-DisclosureCertificate -CertificateId', 'Test-DisclosureCertificate -RecipientId',
            'Add-DataShareSecurityAssessment -Organisation')
    }

    It 'never offers file names for <_>' -ForEach @(
        'Get-DataShareAuditLog -Action ', 'Get-DataShareAuditLog -TargetId ', 'Get-DataShareRecipient -Id ', 'Get-DisclosureCertificate -Id ',
        'Test-DisclosureCertificate -CertificateId ', 'New-DataShareAgreement -Id ', 'Get-DataShareAuditLog -Actor zz', 'Set-DataShareRecipient -Id zz') {
        $offered = Get-Completion $_
        @($offered | Where-Object { $_.ResultType -in 'ProviderItem', 'ProviderContainer' -or $_.CompletionText -like '*zz-a-file*' }).Count | Should -Be 0
    }

    It 'covers every id parameter of every cmdlet, none offering file names' {
        $missing = foreach ($line in $IdParameters) {
            $offered = Get-Completion "$line "
            if (@($offered | Where-Object { $_.ResultType -in 'ProviderItem', 'ProviderContainer' }).Count -gt 0) {
                $line
            }
        }

        @($missing) | Should -BeNullOrEmpty -Because 'an id is never a file name'
    }

    It 'offers recipient, certificate, organisation and audit ids from the register' {
        (Get-Completion 'Get-DataShareRecipient -Id ').CompletionText | Should -Contain $Recipient.Id
        (Get-Completion 'Set-DataShareRecipient -Id RC-').CompletionText | Should -Contain $Recipient.Id
        (Get-Completion 'Get-DataShareRecipient -Email pat').CompletionText | Should -Contain 'pat.pipe@example.ac.uk'
        (Get-Completion 'Test-DisclosureCertificate -CertificateId ').CompletionText | Should -Contain $Certificate.Id
        # Quoted: bare, PowerShell would read 000000600001 as a number and drop its zeros.
        (Get-Completion 'Get-DisclosureCertificate -Number 0000006').CompletionText | Should -Contain "'000000600001'"
        (Get-Completion 'Get-DataShareOrganisation -OrganisationId ').CompletionText | Should -Contain $OtherOrganisation.Id
        (Get-Completion 'Get-DataShareAuditLog -Action Recipient.').CompletionText | Should -Contain 'Recipient.Add'
        (Get-Completion 'Get-DataShareAuditLog -Action ').CompletionText | Should -Contain 'Transfer.Issue'
        (Get-Completion 'Get-DataShareAuditLog -TargetId PIP').CompletionText | Should -Contain 'PIP00002'
        (Get-Completion 'Get-DataShareAuditLog -TargetId RC-').CompletionText | Should -Contain $Recipient.Id
        $me = (Get-DataShareAuditLog -TargetId 'PIP00001' -Action 'Agreement.Create')[0].Actor
        (Get-Completion 'Get-DataShareAuditLog -Actor ').CompletionText | Should -Contain $me
    }

    It 'offers nothing, not file names, when the register cannot be read' {
        $garbage = Join-Path $TestDrive 'not-a-register.db'
        [System.IO.File]::WriteAllBytes($garbage, [byte[]](1..255))
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Register, $Folder)
                    $env:DATASHAREADMIN_REGISTER = $Register
                    Import-Module $Manifest -ErrorAction Stop
                    Set-Location -LiteralPath $Folder
                    foreach ($line in 'Get-DataShareRecipient -Id ', 'Get-DataShareAgreement -Id ', 'Get-DataShareAuditLog -Action ', 'Test-DisclosureCertificate -CertificateId ') {
                        foreach ($match in (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches) {
                            [pscustomobject]@{ Line = $line; Type = "$($match.ResultType)"; Text = $match.CompletionText }
                        }
                    }
                }).AddArgument($DataShareModuleManifest).AddArgument($garbage).AddArgument($Folder)
            $offered = @($shell.Invoke())
        }
        finally {
            $shell.Dispose()
        }

        @($offered | Where-Object { $_.Type -in 'ProviderItem', 'ProviderContainer' }).Line | Should -BeNullOrEmpty
    }
}
