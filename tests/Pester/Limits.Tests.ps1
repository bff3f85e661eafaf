#Requires -Version 7.4
# Length limits on free-text fields, as a user meets them: one character over the limit is a non-terminating
# <Noun>FieldTooLong error (LimitsExceeded) naming the field and its limit, and nothing is written (the audit head
# does not move); exactly at the limit is stored. The engine's tests check every field on both backends, and a
# register with every field of every record at its limit at once; here each cmdlet that takes free text is tried.

BeforeDiscovery {
    $Cases = @(
        @{ Command = 'New-DataShareAgreement'; Field = 'Title'; Max = 300 }
        @{ Command = 'New-DataShareAgreement'; Field = 'Purpose'; Max = 4000 }
        @{ Command = 'New-DataShareAgreement'; Field = 'DataItem name'; Max = 100 }
        @{ Command = 'Set-DataShareAgreement'; Field = 'LegalGateway'; Max = 1000 }
        @{ Command = 'Approve-DataShareAgreement'; Field = 'Reference'; Max = 100 }
        @{ Command = 'New-DataShareOrganisation'; Field = 'Address'; Max = 500 }
        @{ Command = 'Set-DataShareOrganisation'; Field = 'ProtectionOfficerName'; Max = 200 }
        @{ Command = 'Add-DataShareSecurityAssessment'; Field = 'Reference'; Max = 100 }
        @{ Command = 'Add-DataShareRecipient'; Field = 'Name'; Max = 200 }
        @{ Command = 'Set-DataShareRecipient'; Field = 'Role'; Max = 200 }
        @{ Command = 'Remove-DataShareRecipient'; Field = 'Reason'; Max = 1000 }
        @{ Command = 'Add-DisclosureCertificate'; Field = 'HolderName'; Max = 200 }
        @{ Command = 'Set-DisclosureCertificate'; Field = 'SeenOriginalBy'; Max = 200 }
        @{ Command = 'Remove-DisclosureCertificate'; Field = 'Reason'; Max = 1000 }
        @{ Command = 'Register-DataShareHolding'; Field = 'Location'; Max = 2048 }
        @{ Command = 'Confirm-DataShareDestruction'; Field = 'Evidence'; Max = 2000 }
        @{ Command = 'Set-DataSharePolicy'; Field = 'DbsOrganisationName'; Max = 1000 }
    )

    $Records = @(
        @{ ErrorId = 'AgreementFieldTooLong'; Command = 'NewDataShareAgreementCommand' }
        @{ ErrorId = 'OrganisationFieldTooLong'; Command = 'NewDataShareOrganisationCommand' }
        @{ ErrorId = 'AssessmentFieldTooLong'; Command = 'AddDataShareSecurityAssessmentCommand' }
        @{ ErrorId = 'RecipientFieldTooLong'; Command = 'AddDataShareRecipientCommand' }
        @{ ErrorId = 'CertificateFieldTooLong'; Command = 'AddDisclosureCertificateCommand' }
        @{ ErrorId = 'HoldingFieldTooLong'; Command = 'RegisterDataShareHoldingCommand' }
        @{ ErrorId = 'DestructionConfirmationFieldTooLong'; Command = 'ConfirmDataShareDestructionCommand' }
        @{ ErrorId = 'PolicyFieldTooLong'; Command = 'SetDataSharePolicyCommand' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Agreement = New-TestAgreement -ApprovalReference 'DSAP-LIMITS'
    # Not approved: its terms change directly (an approved one's only by a variation).
    $Draft = New-TestAgreement
    $Unapproved = New-TestAgreement
    $Ended = New-TestAgreement -StartsOn (Get-Date).Date.AddDays(-400) -EndsOn (Get-Date).Date.AddDays(-10)
    $AlsoEnded = New-TestAgreement -StartsOn (Get-Date).Date.AddDays(-400) -EndsOn (Get-Date).Date.AddDays(-10)
    $Jo = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Jo Limit' -Email 'jo.limit@example.ac.uk' -ErrorAction Stop
    $Certificate = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '000000555001' -IssuedOn '2025-01-10' -ErrorAction Stop
    $Holdings = Join-Path $TestDrive 'holdings'
    $script:Serial = 555200

    function Get-Head {
        (Test-DataShareAuditLog -ErrorAction Stop).Head
    }

    function Get-Spare {
        <# Someone to remove, and a certificate to remove, made before the head is taken. #>
        $leaver = Get-DataShareRecipient -AgreementId $Agreement.Id | Where-Object Email -EQ 'leaver@example.ac.uk'
        if (-not $leaver) {
            $leaver = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Leaver' -Email 'leaver@example.ac.uk' -ErrorAction Stop
        }

        $spare = Get-DisclosureCertificate -RecipientId $Jo.Id | Where-Object Number -EQ '000000555002'
        if (-not $spare) {
            $spare = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '000000555002' -IssuedOn '2025-01-10' -ErrorAction Stop
        }

        [pscustomobject]@{ Leaver = $leaver; Certificate = $spare }
    }

    # How each case sets its field to $Text; each takes the common parameters, so -ErrorVariable collects its errors.
    $Runs = @{
        'New-DataShareAgreement/Title'                 = { [CmdletBinding()] param($Text) $p = Get-DataShareTestAgreementParameter -Title $Text; New-DataShareAgreement @p }
        'New-DataShareAgreement/Purpose'               = { [CmdletBinding()] param($Text) $p = Get-DataShareTestAgreementParameter -Purpose $Text; New-DataShareAgreement @p }
        'New-DataShareAgreement/DataItem name'         = { [CmdletBinding()] param($Text) $p = Get-DataShareTestAgreementParameter -DataItem "$($Text):B3"; New-DataShareAgreement @p }
        'Set-DataShareAgreement/LegalGateway'          = { [CmdletBinding()] param($Text) Set-DataShareAgreement -Id $Draft.Id -LegalGateway $Text -PassThru }
        'Approve-DataShareAgreement/Reference'         = { [CmdletBinding()] param($Text) Approve-DataShareAgreement @PanelTests -Id $Unapproved.Id -Reference $Text -ApprovedOn (Get-Date).Date.AddDays(-1) -PassThru }
        'New-DataShareOrganisation/Address'            = { [CmdletBinding()] param($Text) New-DataShareOrganisation -Name ('Org ' + [guid]::NewGuid()) -Address $Text }
        'Set-DataShareOrganisation/ProtectionOfficerName' = { [CmdletBinding()] param($Text) Set-DataShareOrganisation -Organisation $DataShareTestOrganisation -ProtectionOfficerName $Text -PassThru }
        'Add-DataShareSecurityAssessment/Reference'    = { [CmdletBinding()] param($Text) Add-DataShareSecurityAssessment -Organisation $DataShareTestOrganisation -AssessedOn '2025-06-01' -Outcome Passed -Reference $Text }
        'Add-DataShareRecipient/Name'                  = { [CmdletBinding()] param($Text) Add-DataShareRecipient -AgreementId $Agreement.Id -Name $Text -Email "$([guid]::NewGuid().ToString('N'))@example.ac.uk" }
        'Set-DataShareRecipient/Role'                  = { [CmdletBinding()] param($Text) Set-DataShareRecipient -Id $Jo.Id -Role $Text -PassThru }
        'Remove-DataShareRecipient/Reason'             = { [CmdletBinding()] param($Text) Remove-DataShareRecipient -Id $Spare.Leaver.Id -Reason $Text -Confirm:$false -PassThru }
        'Add-DisclosureCertificate/HolderName'         = { [CmdletBinding()] param($Text) $script:Serial++; Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number ('000000' + $script:Serial) -IssuedOn '2025-01-10' -HolderName $Text }
        'Set-DisclosureCertificate/SeenOriginalBy'     = { [CmdletBinding()] param($Text) Set-DisclosureCertificate -Id $Certificate.Id -SeenOriginalBy $Text -PassThru }
        'Remove-DisclosureCertificate/Reason'          = { [CmdletBinding()] param($Text) Remove-DisclosureCertificate -Id $Spare.Certificate.Id -Reason $Text -Confirm:$false -PassThru }
        'Register-DataShareHolding/Location'           = { [CmdletBinding()] param($Text) Register-DataShareHolding -AgreementId $Agreement.Id -Location ($Holdings + '/' + $Text.Substring($Holdings.Length + 1)) -AllowMissing -WarningAction SilentlyContinue }
        'Confirm-DataShareDestruction/Evidence'        = { [CmdletBinding()] param($Text) Confirm-DataShareDestruction -AgreementId $Ended.Id -ConfirmedBy 'DPO' -ConfirmedOn (Get-Date).Date.AddDays(-1) -Evidence $Text -Confirm:$false }
        'Set-DataSharePolicy/DbsOrganisationName'      = { [CmdletBinding()] param($Text) Set-DataSharePolicy -Name DbsOrganisationName -Value $Text -Confirm:$false -PassThru }
    }

    $TooLong = @{
        AgreementFieldTooLong               = { $p = Get-DataShareTestAgreementParameter -LawfulBasis ('b' * 501); New-DataShareAgreement @p -ErrorAction Stop }
        OrganisationFieldTooLong            = { New-DataShareOrganisation -Name ('N' * 201) -ErrorAction Stop }
        AssessmentFieldTooLong              = { Add-DataShareSecurityAssessment -Organisation $DataShareTestOrganisation -AssessedOn '2025-06-01' -Outcome Passed -Reference ('R' * 101) -ErrorAction Stop }
        RecipientFieldTooLong               = { Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Role Long' -Email 'role.long@example.ac.uk' -Role ('r' * 201) -ErrorAction Stop }
        CertificateFieldTooLong             = { Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '000000555009' -IssuedOn '2025-01-10' -SeenOriginalBy ('s' * 201) -SeenOriginalOn '2025-02-01' -ErrorAction Stop }
        HoldingFieldTooLong                 = { Register-DataShareHolding -AgreementId $Agreement.Id -Location ('/' + ('h' * 2048)) -ErrorAction Stop }
        DestructionConfirmationFieldTooLong = { Confirm-DataShareDestruction -AgreementId $AlsoEnded.Id -ConfirmedBy ('c' * 201) -ConfirmedOn (Get-Date).Date.AddDays(-1) -Confirm:$false -ErrorAction Stop }
        PolicyFieldTooLong                  = { Set-DataSharePolicy -Name DbsCheckerSurname -Value ('s' * 1001) -Confirm:$false -ErrorAction Stop }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Text limits' {
    It '<Command> -<Field>: <Max> characters are stored, one more is refused with a FieldTooLong error and nothing written' -ForEach $Cases {
        $Spare = Get-Spare
        $run = $Runs["$Command/$Field"]
        $head = Get-Head

        $null = & $run ('x' * ($Max + 1)) -ErrorAction SilentlyContinue -ErrorVariable problems

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Match '^[A-Za-z]+FieldTooLong,DataShareAdmin\.Commands\.'
        $problems[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $problems[0].Exception.Message | Should -Match ([regex]::Escape($Field))
        $problems[0].Exception.Message | Should -Match ([regex]::Escape(('{0:N0}' -f $Max)))
        Get-Head | Should -Be $head

        $stored = & $run ('x' * $Max) -ErrorAction Stop
        $stored | Should -Not -BeNullOrEmpty
        Get-Head | Should -Not -Be $head
    }

    It 'names the record in the error id: <ErrorId>' -ForEach $Records {
        $head = Get-Head
        { & $TooLong[$ErrorId] } | Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.$Command"
        Get-Head | Should -Be $head
    }

    It 'refuses a row of a certificate spreadsheet whose holder name is too long, naming the row, and imports the rest' {
        $csv = Join-Path $TestDrive 'long-names.csv'
        @(
            'Email,Issuer,Level,Number,IssuedOn,HolderName'
            "jo.limit@example.ac.uk,DBS,Basic,000000555101,2025-01-10,$('h' * 201)"
            'jo.limit@example.ac.uk,DBS,Basic,000000555102,2025-01-10,Jo Limit'
        ) | Set-Content -LiteralPath $csv

        $results = @(Import-DisclosureCertificate -Path $csv -ErrorAction SilentlyContinue -ErrorVariable problems)

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'CertificateFieldTooLong,DataShareAdmin.Commands.ImportDisclosureCertificateCommand'
        $problems[0].Exception.Message | Should -Match '^Row \d+: '
        @($results | Where-Object Number -EQ '000000555102').Count | Should -Be 1
        @(Get-DisclosureCertificate -RecipientId $Jo.Id | Where-Object Number -EQ '000000555101').Count | Should -Be 0
    }

    It 'refuses half of a surrogate pair with a FieldInvalid error rather than storing something else' {
        $head = Get-Head
        { Set-DataShareRecipient -Id $Jo.Id -Name ('Jo ' + [char]0xD83D) -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecipientFieldInvalid,DataShareAdmin.Commands.SetDataShareRecipientCommand'
        Get-Head | Should -Be $head
    }
}
