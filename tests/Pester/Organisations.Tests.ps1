#Requires -Version 7.4
# New-, Get-, Set-DataShareOrganisation and Add-DataShareSecurityAssessment against a fresh register in $TestDrive:
# organisations as records agreements point at (a rename follows them), security assessments and which one decides,
# every bad input with its error id and nothing written, the justification a direct transfer needs before approval,
# the Organisation check of Test-DataShareRecipient, and the Organisations report.
#
# "Today" for the module is judged in Europe/London. Assessments here are made on fixed past days, or yesterday in the
# machine's calendar (never in the future in London's), and standings are judged -AsOf fixed days where it matters.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $Yesterday = $Today.AddDays(-1)
    $OrganisationIdPattern = '^OR-[0-9A-HJKMNP-TV-Z]{10}$'
    $AssessmentIdPattern = '^SA-[0-9A-HJKMNP-TV-Z]{10}$'
    $NewCommand = 'DataShareAdmin.Commands.NewDataShareOrganisationCommand'
    $GetCommand = 'DataShareAdmin.Commands.GetDataShareOrganisationCommand'
    $SetCommand = 'DataShareAdmin.Commands.SetDataShareOrganisationCommand'
    $AddCommand = 'DataShareAdmin.Commands.AddDataShareSecurityAssessmentCommand'

    function Get-Organisation {
        <# The organisation as the register holds it now (by name or id). #>
        param([Parameter(Mandatory)] [string] $Name, [datetime] $AsOf)

        if ($PSBoundParameters.ContainsKey('AsOf')) {
            return Get-DataShareOrganisation -Name $Name -AsOf $AsOf -ErrorAction Stop
        }

        Get-DataShareOrganisation -Name $Name -ErrorAction Stop
    }

    function Assert-NothingWritten {
        <# The register holds what it held before: no organisation, assessment, agreement or audit entry was added. #>
        param([Parameter(Mandatory)] $Before)

        $after = Get-DataShareTestState
        $after.Organisations | Should -Be $Before.Organisations -Because 'a rejected or previewed change adds no organisation'
        $after.Assessments | Should -Be $Before.Assessments -Because 'nor an assessment'
        $after.Agreements | Should -Be $Before.Agreements
        $after.AuditCount | Should -Be $Before.AuditCount -Because 'nothing was changed, so nothing is audited'
        $after.AuditHead | Should -Be $Before.AuditHead
    }

    function Add-ReadyRecipient {
        <# A recipient who passes the certificate, declaration and training checks today and for over a year. #>
        param(
            [Parameter(Mandatory)] [string] $AgreementId,
            [Parameter(Mandatory)] [string] $Email,
            [string] $CertificateNumber
        )

        $recipient = Add-DataShareRecipient -AgreementId $AgreementId -Name 'Rae Ready' -Email $Email -ErrorAction Stop
        if ($CertificateNumber) {
            $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number $CertificateNumber `
                -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
        }

        Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop
        $recipient
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'New-DataShareOrganisation' {
    It 'records an organisation and returns it' {
        $created = New-DataShareOrganisation -Name 'Northbridge University' -Address 'Registry, 1 College Road, Northbridge NB1 2AB' `
            -ProtectionOfficerName 'Dr Ada Lovell' -ProtectionOfficerEmail 'dpo@northbridge.ac.uk' -ErrorAction Stop

        $created | Should -BeOfType ([DataShareAdmin.DataShareOrganisation])
        $created.Id | Should -Match $OrganisationIdPattern
        $created.OrganisationId | Should -Be $created.Id
        $created.Name | Should -BeExactly 'Northbridge University'
        $created.Address | Should -Be 'Registry, 1 College Road, Northbridge NB1 2AB'
        $created.ProtectionOfficerName | Should -Be 'Dr Ada Lovell'
        $created.ProtectionOfficerEmail | Should -Be 'dpo@northbridge.ac.uk'
        @($created.Assessments).Count | Should -Be 0
        $created.AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::None)
        $created.AssessmentValidUntil | Should -BeNullOrEmpty
        @($created.AgreementIds).Count | Should -Be 0
        $created.CreatedBy | Should -Not -BeNullOrEmpty

        $stored = Get-DataShareOrganisation -OrganisationId $created.Id -ErrorAction Stop
        $stored.Name | Should -BeExactly 'Northbridge University'
        $stored.ProtectionOfficerEmail | Should -Be 'dpo@northbridge.ac.uk'
    }

    It 'trims the values, and records none for white space' {
        $created = New-DataShareOrganisation -Name '  Trimmed Trust  ' -Address '   ' -ProtectionOfficerName ' Sam Okafor ' -ProtectionOfficerEmail ' ' -ErrorAction Stop

        $created.Name | Should -BeExactly 'Trimmed Trust'
        $created.Address | Should -BeNullOrEmpty
        $created.ProtectionOfficerName | Should -BeExactly 'Sam Okafor'
        $created.ProtectionOfficerEmail | Should -BeNullOrEmpty
    }

    It 'refuses a second organisation of the same name, in any case, with OrganisationExists and writes nothing' {
        $before = Get-DataShareTestState

        { New-DataShareOrganisation -Name ' NORTHBRIDGE university ' -ErrorAction Stop } |
            Should -Throw -ErrorId "OrganisationExists,$NewCommand" -ExpectedMessage "*'Northbridge University'*"

        Assert-NothingWritten -Before $before
    }

    It 'rejects <Case> with <ErrorId> and writes nothing' -ForEach @(
        @{ Case = 'a name of white space'; ErrorId = 'OrganisationNameInvalid'; Parameters = @{ Name = '   ' } }
        @{ Case = 'a name with a tab'; ErrorId = 'OrganisationNameInvalid'; Parameters = @{ Name = "Tabbed`tTrust" } }
        @{ Case = 'a name with a line break'; ErrorId = 'OrganisationNameInvalid'; Parameters = @{ Name = "Broken`nTrust" } }
        @{ Case = 'a name of 201 characters'; ErrorId = 'OrganisationFieldTooLong'; Parameters = @{ Name = 'N' * 201 } }
        @{ Case = 'a malformed officer email'; ErrorId = 'OrganisationEmailInvalid'; Parameters = @{ Name = 'Email Trust'; ProtectionOfficerEmail = 'not-an-email' } }
        @{ Case = 'an officer email with a space'; ErrorId = 'OrganisationEmailInvalid'; Parameters = @{ Name = 'Email Trust'; ProtectionOfficerEmail = 'dpo @example.org' } }
    ) {
        $before = Get-DataShareTestState

        { New-DataShareOrganisation @Parameters -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$NewCommand"

        Assert-NothingWritten -Before $before
    }

    It 'accepts a name of 200 characters' {
        $long = 'L' * 200
        (New-DataShareOrganisation -Name $long -ErrorAction Stop).Name | Should -BeExactly $long
    }

    It 'refuses an empty name when PowerShell binds it' {
        $before = Get-DataShareTestState

        { New-DataShareOrganisation -Name '' -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,$NewCommand"

        Assert-NothingWritten -Before $before
    }

    It 'creates organisations from CSV rows by property name, and goes on after a row that fails' {
        $csv = Join-Path $TestDrive 'organisations.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @(
            'Name,Address,ProtectionOfficerName,ProtectionOfficerEmail'
            'Westmere Research Trust,"4 Harbour Street, Westmere WM2 9QT",Sam Okafor,dpo@westmere.org.uk'
            'Northbridge University,Somewhere else,,'
            'Northshire County Council,County Hall,,information.governance@northshire.gov.uk'
        )

        $created = @(Import-Csv -LiteralPath $csv | New-DataShareOrganisation -ErrorAction SilentlyContinue -ErrorVariable problems)

        $created.Name | Should -Be @('Westmere Research Trust', 'Northshire County Council')
        $created[0].Address | Should -Be '4 Harbour Street, Westmere WM2 9QT'
        $created[1].ProtectionOfficerName | Should -BeNullOrEmpty
        $created[1].ProtectionOfficerEmail | Should -Be 'information.governance@northshire.gov.uk'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "OrganisationExists,$NewCommand"
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
        (Get-Organisation 'Northbridge University').Address | Should -Not -Be 'Somewhere else' -Because 'the existing organisation is not changed'
    }

    It '-WhatIf checks the values but writes nothing' {
        $before = Get-DataShareTestState

        $output = New-DataShareOrganisation -Name 'What If College' -WhatIf
        $output | Should -BeNullOrEmpty
        { New-DataShareOrganisation -Name 'northbridge university' -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId "OrganisationExists,$NewCommand"

        Assert-NothingWritten -Before $before
        { Get-DataShareOrganisation -Name 'What If College' -ErrorAction Stop } | Should -Throw -ErrorId "OrganisationNotFound,$GetCommand"
    }
}

Describe 'Get-DataShareOrganisation' {
    BeforeAll {
        $Alpha = Initialize-DataShareTestOrganisation -Name 'Getter Alpha University'
        $Beta = Initialize-DataShareTestOrganisation -Name 'Getter Beta Council'
        $AlphaOne = New-TestAgreement -Organisation 'Getter Alpha University'
        $AlphaTwo = New-TestAgreement -Organisation 'Getter Alpha University'
        $BetaOne = New-TestAgreement -Organisation 'Getter Beta Council'
    }

    It 'lists every organisation in name order' {
        $all = @(Get-DataShareOrganisation -ErrorAction Stop)
        $all.Count | Should -BeGreaterOrEqual 2
        $all.Name | Should -Contain 'Getter Alpha University'
        [string[]] $sorted = $all.Name
        [Array]::Sort($sorted, [StringComparer]::OrdinalIgnoreCase)
        ($all.Name -join '|') | Should -Be ($sorted -join '|')
    }

    It 'finds an organisation by its exact name in any case' {
        $found = @(Get-DataShareOrganisation -Name ' getter ALPHA university ' -ErrorAction Stop)
        $found.Count | Should -Be 1
        $found[0].Id | Should -Be $Alpha.Id
    }

    It 'finds organisations by wildcard (<Pattern>)' -ForEach @(
        @{ Pattern = 'Getter *'; Expected = @('Getter Alpha University', 'Getter Beta Council') }
        @{ Pattern = '*council'; Expected = @('Getter Beta Council') }
        @{ Pattern = 'getter ?lpha*'; Expected = @('Getter Alpha University') }
    ) {
        $found = @(Get-DataShareOrganisation -Name $Pattern -ErrorAction Stop | Where-Object Name -Like 'Getter *')
        ($found.Name | Sort-Object) -join '|' | Should -Be ($Expected -join '|')
    }

    It 'finds an organisation by its id given to -Name' {
        (Get-DataShareOrganisation -Name $Alpha.Id.ToLowerInvariant() -ErrorAction Stop).Name | Should -Be 'Getter Alpha University'
    }

    It 'lists the agreements that point at the organisation' {
        $found = Get-DataShareOrganisation -Name 'Getter Alpha University' -ErrorAction Stop
        ($found.AgreementIds | Sort-Object) -join ',' | Should -Be ((@($AlphaOne.Id, $AlphaTwo.Id) | Sort-Object) -join ',')
    }

    It 'reports OrganisationNotFound for an unknown name and goes on with the next' {
        $found = @(Get-DataShareOrganisation -Name 'No Such Trust', 'Getter Beta Council' -ErrorAction SilentlyContinue -ErrorVariable problems)

        $found.Name | Should -Be 'Getter Beta Council'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "OrganisationNotFound,$GetCommand"
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
    }

    It 'returns nothing, without an error, when a wildcard matches nothing' {
        $found = @(Get-DataShareOrganisation -Name 'No Such*' -ErrorAction Stop -ErrorVariable problems)
        $found.Count | Should -Be 0
        $problems.Count | Should -Be 0
    }

    It 'gets organisations by -OrganisationId' {
        $found = @(Get-DataShareOrganisation -OrganisationId $Beta.Id, " $($Alpha.Id.ToLowerInvariant()) " -ErrorAction Stop)
        $found.Id | Should -Be @($Beta.Id, $Alpha.Id)
    }

    It 'reports <ErrorId> for <Case> given to -OrganisationId' -ForEach @(
        @{ Case = 'a name'; Value = 'Getter Alpha University'; ErrorId = 'OrganisationIdInvalid' }
        @{ Case = 'an id of the wrong kind'; Value = 'RC-D00EA38EJY'; ErrorId = 'OrganisationIdInvalid' }
        @{ Case = 'an id not in the register'; Value = 'OR-0000000000'; ErrorId = 'OrganisationNotFound' }
    ) {
        { Get-DataShareOrganisation -OrganisationId $Value -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$GetCommand"
    }

    It 'gets the organisation of each piped agreement, once' {
        $found = @(Get-DataShareAgreement -Id $AlphaOne.Id, $AlphaTwo.Id, $BetaOne.Id -ErrorAction Stop | Get-DataShareOrganisation -ErrorAction Stop)
        $found.Id | Should -Be @($Alpha.Id, $Beta.Id)
    }

    It 'takes piped organisations and judges them again -AsOf' {
        $again = @(Get-DataShareOrganisation -Name 'Getter *' -ErrorAction Stop | Get-DataShareOrganisation -AsOf '2025-01-01' -ErrorAction Stop)
        $again.Count | Should -BeGreaterOrEqual 2
        $again | ForEach-Object { $_.StatusAsOf | Should -Be ([datetime]'2025-01-01') }
    }
}

Describe 'Set-DataShareOrganisation' {
    BeforeAll {
        $null = New-DataShareOrganisation -Name 'Exampleton City Council' -Address 'Town Hall' -ProtectionOfficerName 'Pat Doe' `
            -ProtectionOfficerEmail 'dpo@exampleton.gov.uk' -ErrorAction Stop
        $Council = Get-Organisation 'Exampleton City Council'
        $CouncilAgreement = New-TestAgreement -Organisation 'Exampleton City Council' -AccessRoute DirectTransfer
        $null = New-DataShareOrganisation -Name 'Taken Name Trust' -ErrorAction Stop
    }

    It 'changes the fields given and leaves the rest' {
        $changed = Set-DataShareOrganisation 'Exampleton City Council' -Address ' Civic Centre, Exampleton EX1 1AA ' -PassThru -ErrorAction Stop

        $changed.Address | Should -BeExactly 'Civic Centre, Exampleton EX1 1AA'
        $changed.ProtectionOfficerName | Should -Be 'Pat Doe'
        $changed.ProtectionOfficerEmail | Should -Be 'dpo@exampleton.gov.uk'
        $changed.Version | Should -Be ($Council.Version + 1)
        (Get-Organisation $Council.Id).Address | Should -BeExactly 'Civic Centre, Exampleton EX1 1AA'

        $entry = Get-DataShareAuditLog -TargetId $Council.Id -ErrorAction Stop | Select-Object -Last 1
        $entry.Action | Should -Be 'Organisation.Update'
        $entry.Details['Address'] | Should -Be 'Town Hall -> Civic Centre, Exampleton EX1 1AA'
    }

    It 'writes nothing without -PassThru' {
        $output = Set-DataShareOrganisation -Organisation $Council.Id -ProtectionOfficerName 'Tom Reyes' -ErrorAction Stop
        $output | Should -BeNullOrEmpty
        (Get-Organisation $Council.Id).ProtectionOfficerName | Should -Be 'Tom Reyes'
    }

    It 'clears a field with an empty string' {
        Set-DataShareOrganisation -Organisation $Council.Id -ProtectionOfficerName '' -ErrorAction Stop
        (Get-Organisation $Council.Id).ProtectionOfficerName | Should -BeNullOrEmpty
        $entry = Get-DataShareAuditLog -TargetId $Council.Id -ErrorAction Stop | Select-Object -Last 1
        $entry.Details['ProtectionOfficerName'] | Should -Be 'Tom Reyes -> (none)'
    }

    It 'renames the organisation, and its agreements follow without changes of their own' {
        $agreementBefore = Get-DataShareAgreement -Id $CouncilAgreement.Id -ErrorAction Stop
        $count = @(Get-DataShareAuditLog -ErrorAction Stop).Count

        $renamed = Set-DataShareOrganisation 'Exampleton City Council' -NewName 'Exampleton Borough Council' -PassThru -ErrorAction Stop

        $renamed.Id | Should -Be $Council.Id
        $renamed.Name | Should -BeExactly 'Exampleton Borough Council'
        $renamed.AgreementIds | Should -Contain $CouncilAgreement.Id
        $agreementAfter = Get-DataShareAgreement -Id $CouncilAgreement.Id -ErrorAction Stop
        $agreementAfter.Organisation | Should -BeExactly 'Exampleton Borough Council'
        $agreementAfter.OrganisationId | Should -Be $Council.Id
        $agreementAfter.Version | Should -Be $agreementBefore.Version -Because 'the agreement points at the organisation; it was not changed'
        @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be ($count + 1) -Because 'one Organisation.Update entry, none for the agreement'
        @(Get-DataShareAuditLog -TargetId $CouncilAgreement.Id -Action 'Agreement.Update' -ErrorAction Stop).Count | Should -Be 0
        { Get-DataShareOrganisation -Name 'Exampleton City Council' -ErrorAction Stop } | Should -Throw -ErrorId "OrganisationNotFound,$GetCommand"

        # Agreements must now name the organisation by its new name (or its id).
        $oldName = Get-DataShareTestAgreementParameter -Organisation 'Exampleton City Council'
        { New-DataShareAgreement @oldName -ErrorAction Stop } |
            Should -Throw -ErrorId 'OrganisationNotFound,DataShareAdmin.Commands.NewDataShareAgreementCommand'
    }

    It 'allows a change of case only' {
        Set-DataShareOrganisation $Council.Id -NewName 'EXAMPLETON Borough Council' -ErrorAction Stop
        (Get-Organisation $Council.Id).Name | Should -BeExactly 'EXAMPLETON Borough Council'
        (Get-DataShareAgreement -Id $CouncilAgreement.Id -ErrorAction Stop).Organisation | Should -BeExactly 'EXAMPLETON Borough Council'
        Set-DataShareOrganisation $Council.Id -NewName 'Exampleton Borough Council' -ErrorAction Stop
    }

    It 'takes piped organisations (OrganisationId) and agreements' {
        Get-Organisation $Council.Id | Set-DataShareOrganisation -Address 'Piped Organisation Street' -ErrorAction Stop
        (Get-Organisation $Council.Id).Address | Should -Be 'Piped Organisation Street'

        Get-DataShareAgreement -Id $CouncilAgreement.Id -ErrorAction Stop | Set-DataShareOrganisation -Address 'Piped Agreement Street' -ErrorAction Stop
        (Get-Organisation $Council.Id).Address | Should -Be 'Piped Agreement Street'
    }

    It 'audits nothing when nothing changes' {
        $current = Get-Organisation $Council.Id
        $before = Get-DataShareTestState

        $same = Set-DataShareOrganisation $Council.Id -NewName $current.Name -Address $current.Address -PassThru -ErrorAction Stop

        $same.Version | Should -Be $current.Version
        Assert-NothingWritten -Before $before
    }

    It 'rejects <Case> with <ErrorId> and changes nothing' -ForEach @(
        @{ Case = 'the name of another organisation, in any case'; Organisation = 'Exampleton Borough Council'; Change = @{ NewName = 'taken name TRUST' }; ErrorId = 'OrganisationExists' }
        @{ Case = 'a new name of white space'; Organisation = 'Exampleton Borough Council'; Change = @{ NewName = '   ' }; ErrorId = 'OrganisationNameInvalid' }
        @{ Case = 'a new name with a line break'; Organisation = 'Exampleton Borough Council'; Change = @{ NewName = "Two`nLines" }; ErrorId = 'OrganisationNameInvalid' }
        @{ Case = 'a malformed officer email'; Organisation = 'Exampleton Borough Council'; Change = @{ ProtectionOfficerEmail = 'dpo.exampleton.gov.uk' }; ErrorId = 'OrganisationEmailInvalid' }
        @{ Case = 'an unknown organisation'; Organisation = 'No Such Council'; Change = @{ Address = 'Anywhere' }; ErrorId = 'OrganisationNotFound' }
        @{ Case = 'an unknown organisation id'; Organisation = 'OR-0000000000'; Change = @{ Address = 'Anywhere' }; ErrorId = 'OrganisationNotFound' }
    ) {
        $was = Get-Organisation $Council.Id
        $before = Get-DataShareTestState

        { Set-DataShareOrganisation -Organisation $Organisation @Change -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$SetCommand"

        $now = Get-Organisation $Council.Id
        $now.Name | Should -BeExactly $was.Name
        $now.ProtectionOfficerEmail | Should -Be $was.ProtectionOfficerEmail
        $now.Version | Should -Be $was.Version
        Assert-NothingWritten -Before $before
    }

    It '-WhatIf changes nothing' {
        $was = Get-Organisation $Council.Id
        $before = Get-DataShareTestState

        Set-DataShareOrganisation $Council.Id -NewName 'Not Applied Council' -Address 'Not applied' -WhatIf

        $now = Get-Organisation $Council.Id
        $now.Name | Should -BeExactly $was.Name
        $now.Address | Should -Be $was.Address
        $now.Version | Should -Be $was.Version
        Assert-NothingWritten -Before $before
    }
}

Describe 'Add-DataShareSecurityAssessment' {
    BeforeAll {
        $Assessed = New-DataShareOrganisation -Name 'Assessed College' -ErrorAction Stop
    }

    It 'completes -Organisation with the names in the register, quoted where they have spaces' {
        $completion = TabExpansion2 -inputScript 'Add-DataShareSecurityAssessment -Organisation Assessed' -cursorColumn 'Add-DataShareSecurityAssessment -Organisation Assessed'.Length

        @($completion.CompletionMatches.CompletionText) | Should -Be @("'Assessed College'")
    }

    It 'records a passed assessment that counts for SecurityAssessmentValidMonths (12) months by default' {
        $added = Add-DataShareSecurityAssessment -Organisation 'assessed college' -AssessedOn '2024-02-29' -Outcome Passed -Reference ' ISQ-2024-007 ' -ErrorAction Stop

        $added | Should -BeOfType ([DataShareAdmin.SecurityAssessment])
        $added.Id | Should -Match $AssessmentIdPattern
        $added.OrganisationId | Should -Be $Assessed.Id
        $added.Organisation | Should -BeExactly 'Assessed College'
        $added.AssessedOn | Should -Be ([datetime]'2024-02-29')
        $added.ValidUntil | Should -Be ([datetime]'2025-02-28') -Because '12 months after 29 February is the last day of February'
        $added.Outcome | Should -Be ([DataShareAdmin.AssessmentOutcome]::Passed)
        $added.Reference | Should -BeExactly 'ISQ-2024-007'
        $added.RecordedBy | Should -Not -BeNullOrEmpty

        $onLastDay = Get-Organisation 'Assessed College' -AsOf '2025-02-28'
        $onLastDay.AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::Current)
        $onLastDay.AssessmentValidUntil | Should -Be ([datetime]'2025-02-28')
        @($onLastDay.Assessments).Reference | Should -Be @('ISQ-2024-007')

        $dayAfter = Get-Organisation 'Assessed College' -AsOf '2025-03-01'
        $dayAfter.AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::Lapsed)
        $dayAfter.AssessmentValidUntil | Should -Be ([datetime]'2025-02-28')
        $dayAfter.AssessmentReason | Should -BeLike '*ISQ-2024-007*lapsed after 2025-02-28*'

        (Get-Organisation 'Assessed College' -AsOf '2024-02-28').AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::None) -Because 'it had not been made yet'
    }

    It 'follows the SecurityAssessmentValidMonths policy setting' {
        Set-DataSharePolicy -Name SecurityAssessmentValidMonths -Value 24 -ErrorAction Stop
        try {
            $added = Add-DataShareSecurityAssessment $Assessed.Id -AssessedOn '2023-05-10' -Outcome Passed -Reference 'ISQ-2023-POLICY' -ErrorAction Stop
            $added.ValidUntil | Should -Be ([datetime]'2025-05-10')
        }
        finally {
            Set-DataSharePolicy -Name SecurityAssessmentValidMonths -Default -ErrorAction Stop
        }
    }

    It 'takes -ValidUntil, which may be the day it was made' {
        $added = Add-DataShareSecurityAssessment $Assessed.Id -AssessedOn '2023-01-10' -ValidUntil '2023-01-10' -Outcome Passed -Reference 'ISQ-2023-ONEDAY' -ErrorAction Stop
        $added.ValidUntil | Should -Be ([datetime]'2023-01-10')
    }

    It 'lets the latest assessment made by the day decide: a later failure overrides a pass still in date, a later pass replaces it' {
        $org = New-DataShareOrganisation -Name 'Changeable Trust' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-01-15' -Outcome Passed -Reference 'ISQ-CT-1' -ErrorAction Stop   # to 2025-01-15
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-06-01' -Outcome Failed -Reference 'ISQ-CT-2' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-09-01' -Outcome Passed -Reference 'ISQ-CT-3' -ValidUntil '2024-12-31' -ErrorAction Stop

        $expected = [ordered]@{
            '2024-01-14' = 'None'
            '2024-03-01' = 'Current'
            '2024-06-01' = 'Failed'
            '2024-08-31' = 'Failed'
            '2024-09-01' = 'Current'
            '2024-12-31' = 'Current'
            '2025-01-01' = 'Lapsed'
        }
        foreach ($day in $expected.Keys) {
            (Get-Organisation $org.Id -AsOf $day).AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]$expected[$day]) -Because "on $day"
        }

        $failed = Get-Organisation $org.Id -AsOf '2024-07-01'
        $failed.AssessmentValidUntil | Should -BeNullOrEmpty
        $failed.AssessmentReason | Should -BeLike '*ISQ-CT-2*failed*'
        (Get-Organisation $org.Id -AsOf '2024-10-01').AssessmentValidUntil | Should -Be ([datetime]'2024-12-31')
        @((Get-Organisation $org.Id).Assessments).Reference | Should -Be @('ISQ-CT-1', 'ISQ-CT-2', 'ISQ-CT-3') -Because 'assessments are listed oldest first'
    }

    It 'lets the assessment recorded last decide between two made on the same day' {
        $org = New-DataShareOrganisation -Name 'Same Day Trust' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-04-04' -Outcome Passed -Reference 'ISQ-SD-1' -ErrorAction Stop
        Start-Sleep -Milliseconds 20    # recorded at a later instant, whatever the clock's resolution
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-04-04' -Outcome Failed -Reference 'ISQ-SD-2' -ErrorAction Stop

        (Get-Organisation $org.Id -AsOf '2024-05-01').AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::Failed)
    }

    It 'does not change the standing with an assessment older than the latest' {
        $org = New-DataShareOrganisation -Name 'History Trust' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-06-01' -Outcome Failed -Reference 'ISQ-H-2' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn '2024-01-01' -Outcome Passed -Reference 'ISQ-H-1' -ErrorAction Stop

        (Get-Organisation $org.Id -AsOf '2024-07-01').AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::Failed)
        (Get-Organisation $org.Id -AsOf '2024-03-01').AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::Current)
    }

    It 'shows the standing today: Current for a pass made yesterday' {
        $org = New-DataShareOrganisation -Name 'Current Today Trust' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment $org.Id -AssessedOn $Yesterday -Outcome Passed -Reference 'ISQ-NOW-1' -ErrorAction Stop

        $now = Get-Organisation $org.Id
        $now.AssessmentStatus | Should -Be ([DataShareAdmin.AssessmentState]::Current)
        $now.AssessmentValidUntil | Should -Be $Yesterday.AddMonths(12)
    }

    It 'takes the organisation from piped organisations and agreements' {
        $org = New-DataShareOrganisation -Name 'Piped Assessment Trust' -ErrorAction Stop
        $agreement = New-TestAgreement -Organisation 'Piped Assessment Trust'

        $fromOrganisation = $org | Add-DataShareSecurityAssessment -AssessedOn '2024-02-01' -Outcome Passed -Reference 'ISQ-P-1' -ErrorAction Stop
        $fromAgreement = Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop |
            Add-DataShareSecurityAssessment -AssessedOn '2024-03-01' -Outcome Passed -Reference 'ISQ-P-2' -ErrorAction Stop

        $fromOrganisation.OrganisationId | Should -Be $org.Id
        $fromAgreement.OrganisationId | Should -Be $org.Id
    }

    It 'takes rows from Import-Csv, and a file loaded twice is refused row by row with AssessmentExists' {
        $null = New-DataShareOrganisation -Name 'Csv Assessed Trust' -ErrorAction Stop
        $csv = Join-Path $TestDrive 'assessments.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @(
            'Organisation,AssessedOn,ValidUntil,Outcome,Reference'
            'Csv Assessed Trust,2024-02-01,2024-08-01,Passed,ISQ-CSV-1'
            'Csv Assessed Trust,2024-09-01,2025-09-01,Failed,ISQ-CSV-2'
        )

        $added = @(Import-Csv -LiteralPath $csv | Add-DataShareSecurityAssessment -ErrorAction Stop)
        $added.Reference | Should -Be @('ISQ-CSV-1', 'ISQ-CSV-2')
        $added[0].ValidUntil | Should -Be ([datetime]'2024-08-01')
        $added[1].Outcome | Should -Be ([DataShareAdmin.AssessmentOutcome]::Failed)

        $before = Get-DataShareTestState
        $again = @(Import-Csv -LiteralPath $csv | Add-DataShareSecurityAssessment -ErrorAction SilentlyContinue -ErrorVariable problems)
        $again.Count | Should -Be 0
        $problems.Count | Should -Be 2
        $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "AssessmentExists,$AddCommand" }
        Assert-NothingWritten -Before $before
    }

    Context 'bad input' {
        BeforeAll {
            $null = Add-DataShareSecurityAssessment -Organisation $Assessed.Id -AssessedOn '2022-06-01' -Outcome Passed -Reference 'ISQ-DUP-1' -ErrorAction Stop
        }

        It 'rejects <Case> with <ErrorId> and writes nothing' -ForEach @(
            @{ Case = 'a reference of white space'; ErrorId = 'AssessmentReferenceMissing'; Change = @{ Reference = '   ' } }
            @{ Case = 'a reference of 101 characters'; ErrorId = 'AssessmentFieldTooLong'; Change = @{ Reference = 'R' * 101 } }
            @{ Case = 'an assessment date in the future'; ErrorId = 'AssessmentDateInvalid'; Change = @{ AssessedOn = (Get-Date).Date.AddDays(7) } }
            @{ Case = 'ValidUntil before AssessedOn'; ErrorId = 'AssessmentDatesInvalid'; Change = @{ AssessedOn = [datetime]'2024-05-10'; ValidUntil = [datetime]'2024-05-09' } }
            @{ Case = 'an organisation not in the register'; ErrorId = 'OrganisationNotFound'; Change = @{ Organisation = 'No Such College' } }
            @{ Case = 'an organisation id not in the register'; ErrorId = 'OrganisationNotFound'; Change = @{ Organisation = 'OR-0000000000' } }
            @{ Case = 'a reference already recorded for the organisation, in another case'; ErrorId = 'AssessmentExists'; Change = @{ Reference = ' isq-dup-1 ' } }
            # PowerShell refuses a name or number that is not an outcome when it binds -Outcome; an undefined value made
            # with [Enum]::ToObject reaches the cmdlet. (Made in the test: the module's types do not exist at discovery.)
            @{ Case = 'an outcome that is neither Passed nor Failed'; ErrorId = 'AssessmentOutcomeInvalid'; Change = @{ OutcomeNumber = 7 } }
        ) {
            $parameters = @{ Organisation = $Assessed.Id; AssessedOn = [datetime]'2024-05-10'; Outcome = 'Passed'; Reference = 'ISQ-BAD-' + [guid]::NewGuid().ToString('N').Substring(0, 6) }
            foreach ($key in $Change.Keys) {
                if ($key -eq 'OutcomeNumber') {
                    $parameters.Outcome = [Enum]::ToObject([DataShareAdmin.AssessmentOutcome], $Change[$key])
                }
                else {
                    $parameters[$key] = $Change[$key]
                }
            }

            $before = Get-DataShareTestState

            { Add-DataShareSecurityAssessment @parameters -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$AddCommand"

            Assert-NothingWritten -Before $before
        }

        It 'uses the same reference for another organisation' {
            $other = New-DataShareOrganisation -Name 'Other Assessed College' -ErrorAction Stop
            $added = Add-DataShareSecurityAssessment $other.Id -AssessedOn '2022-06-01' -Outcome Passed -Reference 'ISQ-DUP-1' -ErrorAction Stop
            $added.OrganisationId | Should -Be $other.Id
        }

        It 'refuses an outcome PowerShell cannot convert, before the cmdlet runs' {
            $before = Get-DataShareTestState

            { Add-DataShareSecurityAssessment $Assessed.Id -AssessedOn '2024-05-10' -Outcome 'Unknown' -Reference 'ISQ-BIND-1' -ErrorAction Stop } |
                Should -Throw -ErrorId "CannotConvertArgumentNoMessage,$AddCommand"
            { Add-DataShareSecurityAssessment $Assessed.Id -AssessedOn '2024-05-10' -Outcome Passed -Reference '' -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$AddCommand"

            Assert-NothingWritten -Before $before
        }

        It 'reports the problem as a non-terminating error and goes on with the next piped row' {
            $rows = @(
                [pscustomobject]@{ Organisation = 'No Such College'; AssessedOn = '2024-01-01'; Outcome = 'Passed'; Reference = 'ISQ-NEXT-1' }
                [pscustomobject]@{ Organisation = $Assessed.Id; AssessedOn = '2024-01-01'; Outcome = 'Passed'; Reference = 'ISQ-NEXT-2' }
            )

            $added = @($rows | Add-DataShareSecurityAssessment -ErrorAction SilentlyContinue -ErrorVariable problems)

            $added.Reference | Should -Be 'ISQ-NEXT-2'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "OrganisationNotFound,$AddCommand"
            $problems[0].TargetObject | Should -Be 'No Such College'
        }
    }

    It '-WhatIf checks everything but writes nothing' {
        $before = Get-DataShareTestState

        $output = Add-DataShareSecurityAssessment $Assessed.Id -AssessedOn '2024-05-10' -Outcome Passed -Reference 'ISQ-WHATIF' -WhatIf
        $output | Should -BeNullOrEmpty
        { Add-DataShareSecurityAssessment 'No Such College' -AssessedOn '2024-05-10' -Outcome Passed -Reference 'ISQ-WHATIF' -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId "OrganisationNotFound,$AddCommand"

        Assert-NothingWritten -Before $before
        @((Get-Organisation $Assessed.Id).Assessments).Reference | Should -Not -Contain 'ISQ-WHATIF'
    }
}

Describe 'The justification a direct transfer needs' {
    It 'creates a DirectTransfer agreement without one, but approval is refused with AgreementJustificationMissing and writes nothing' {
        $agreement = New-TestAgreement -AccessRoute DirectTransfer -DirectTransferJustification '   '
        $agreement.DirectTransferJustification | Should -BeNullOrEmpty
        $before = Get-DataShareTestState

        $approved = @(Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-J-1' -ApprovedOn $Yesterday -PassThru -ErrorAction SilentlyContinue -ErrorVariable problems)

        $approved.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'AgreementJustificationMissing,DataShareAdmin.Commands.ApproveDataShareAgreementCommand'
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidOperation)
        $problems[0].TargetObject | Should -Be $agreement.Id
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Status | Should -Be ([DataShareAdmin.AgreementStatus]::Pending)
        Assert-NothingWritten -Before $before
    }

    It 'approves it once the justification is recorded, and keeps it from being cleared afterwards' {
        $agreement = New-TestAgreement -AccessRoute DirectTransfer -DirectTransferJustification ''
        Set-DataShareAgreement -Id $agreement.Id -DirectTransferJustification 'The panel accepted linking to the trust''s own cohort data.' -ErrorAction Stop

        $approved = Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-J-2' -ApprovedOn $Yesterday -PassThru -ErrorAction Stop
        $approved.Status | Should -Be ([DataShareAdmin.AgreementStatus]::Active)

        $before = Get-DataShareTestState
        { Set-DataShareAgreement -Id $agreement.Id -DirectTransferJustification '' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementJustificationMissing,DataShareAdmin.Commands.SetDataShareAgreementCommand'
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).DirectTransferJustification | Should -Not -BeNullOrEmpty
        Assert-NothingWritten -Before $before

        # Moving it to the secure research service needs no reason, and then the reason may go.
        Set-TestAgreementTerms -Id $agreement.Id -AccessRoute SecureResearchService -ErrorAction Stop
        Set-TestAgreementTerms -Id $agreement.Id -DirectTransferJustification '' -ErrorAction Stop
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).DirectTransferJustification | Should -BeNullOrEmpty
    }
}

Describe 'Test-DataShareRecipient: the Organisation check' {
    BeforeAll {
        $null = New-DataShareOrganisation -Name 'Readiness Trust' -ErrorAction Stop
        $null = New-TestAgreement -Id 'ORGREADY1' -Organisation 'Readiness Trust' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-OR-1'
        $null = New-TestAgreement -Id 'ORGREADY2' -Organisation 'Readiness Trust' -AccessRoute SecureResearchService -ApprovalReference 'DSAP-OR-2'
        $Direct = Add-ReadyRecipient -AgreementId 'ORGREADY1' -Email 'rae.ready@readiness.example.org' -CertificateNumber '000000600001'
        $Secure = Add-ReadyRecipient -AgreementId 'ORGREADY2' -Email 'rae.ready@readiness.example.org'

        function Get-OrganisationCheck([string] $RecipientId) {
            $result = Test-DataShareRecipient -RecipientId $RecipientId -ErrorAction Stop
            [pscustomobject]@{ Result = $result; Check = @($result.Checks | Where-Object Name -EQ 'Organisation')[0] }
        }
    }

    It 'fails every recipient of a DirectTransfer agreement whose organisation has no assessment' {
        $tested = Get-OrganisationCheck $Direct.Id

        $tested.Result.IsReady | Should -BeFalse
        $tested.Result.FailedChecks | Should -Be @('Organisation') -Because 'the recipient is ready in every other way'
        $tested.Check.Passed | Should -BeFalse
        $tested.Check.Reason | Should -BeLike 'No security assessment made by *'
    }

    It 'passes a SecureResearchService agreement with "Not required", stating the standing' {
        $tested = Get-OrganisationCheck $Secure.Id

        $tested.Result.IsReady | Should -BeTrue
        $tested.Check.Passed | Should -BeTrue
        $tested.Check.ValidUntil | Should -BeNullOrEmpty
        $tested.Check.Reason | Should -BeLike 'Not required: the data stays in the secure research service. No security assessment made by *'
    }

    It 'passes once a passed assessment is current, and the assessment''s last day counts in ReadyUntil' {
        $null = Add-DataShareSecurityAssessment 'Readiness Trust' -AssessedOn $Yesterday -ValidUntil $Yesterday.AddDays(60) -Outcome Passed `
            -Reference 'ISQ-RT-1' -ErrorAction Stop

        $tested = Get-OrganisationCheck $Direct.Id

        $tested.Result.IsReady | Should -BeTrue
        $tested.Check.Passed | Should -BeTrue
        $tested.Check.ValidUntil | Should -Be $Yesterday.AddDays(60)
        $tested.Result.ReadyUntil | Should -Be $Yesterday.AddDays(60) -Because 'the assessment lapses before the certificate'
        $tested.Result.Warning | Should -BeTrue -Because 'readiness ends before the agreement does'

        (Get-OrganisationCheck $Secure.Id).Check.Reason | Should -BeLike 'Not required: *ISQ-RT-1*'
    }

    It 'fails again after a later failed assessment' {
        $null = Add-DataShareSecurityAssessment 'Readiness Trust' -AssessedOn $Yesterday -Outcome Failed -Reference 'ISQ-RT-2' -ErrorAction Stop

        $tested = Get-OrganisationCheck $Direct.Id

        $tested.Result.IsReady | Should -BeFalse
        $tested.Check.Reason | Should -BeLike '*ISQ-RT-2*failed*'
        (Get-OrganisationCheck $Secure.Id).Result.IsReady | Should -BeTrue
    }
}

Describe 'The Organisations report' {
    BeforeAll {
        # A register of its own, so the report holds only these organisations; judged -AsOf a fixed past day.
        Connect-DataShareRegister -Path (Join-Path $TestDrive 'report' 'register.db') -Create -ErrorAction Stop
        $AsOf = [datetime]'2025-06-01'

        # Current, lapsing late (the default 12 months: to 2026-01-10).
        $null = New-DataShareOrganisation -Name 'Zeta Late University' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment 'Zeta Late University' -AssessedOn '2025-01-10' -Outcome Passed -Reference 'ISQ-Z-1' -ErrorAction Stop
        # Current, lapsing soon.
        $null = New-DataShareOrganisation -Name 'Alpha Soon College' -ProtectionOfficerName 'Ada Soon' -ProtectionOfficerEmail 'dpo@alpha.example.ac.uk' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment 'Alpha Soon College' -AssessedOn '2025-01-10' -ValidUntil '2025-09-30' -Outcome Passed -Reference 'ISQ-A-1' -ErrorAction Stop
        # Lapsed.
        $null = New-DataShareOrganisation -Name 'Gamma Lapsed Trust' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment 'Gamma Lapsed Trust' -AssessedOn '2024-01-15' -ValidUntil '2024-12-31' -Outcome Passed -Reference 'ISQ-G-1' -ErrorAction Stop
        # Failed after a pass still in date.
        $null = New-DataShareOrganisation -Name 'Beta Failed Council' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment 'Beta Failed Council' -AssessedOn '2024-10-01' -Outcome Passed -Reference 'ISQ-B-1' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment 'Beta Failed Council' -AssessedOn '2025-02-01' -Outcome Failed -Reference 'ISQ-B-2' -ErrorAction Stop
        # None by the report's day: its only assessment was made later.
        $null = New-DataShareOrganisation -Name 'Mid None Trust' -ErrorAction Stop
        $null = Add-DataShareSecurityAssessment 'Mid None Trust' -AssessedOn '2025-07-01' -Outcome Passed -Reference 'ISQ-M-1' -ErrorAction Stop

        # Agreements running through the report's day: one sending data to an organisation with no assessment then, one
        # without its reason (so not approved), and one to a current organisation.
        $null = New-TestAgreement -Id 'ORPT001' -Organisation 'Mid None Trust' -AccessRoute DirectTransfer -StartsOn '2025-01-01' -EndsOn '2030-12-31' `
            -ApprovalReference 'DSAP-ORPT-1' -ApprovedOn '2024-12-01'
        $null = New-TestAgreement -Id 'ORPT002' -Organisation 'Beta Failed Council' -AccessRoute DirectTransfer -DirectTransferJustification '' `
            -StartsOn '2025-01-01' -EndsOn '2030-12-31'
        $null = New-TestAgreement -Id 'ORPT003' -Organisation 'Zeta Late University' -AccessRoute DirectTransfer -StartsOn '2025-01-01' -EndsOn '2030-12-31' `
            -ApprovalReference 'DSAP-ORPT-3' -ApprovedOn '2024-12-01'

        $ReportFolder = Join-Path $TestDrive 'organisation-reports'
        $null = New-Item -ItemType Directory -Path $ReportFolder -Force
    }

    AfterAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction SilentlyContinue
    }

    It 'lists the organisations with no current assessment first, by name, then the current ones soonest to lapse' {
        $path = Join-Path $ReportFolder 'organisations.csv'
        Export-DataShareReport -Kind Organisations -Format Csv -Path $path -AsOf $AsOf -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)

        $rows.organisation | Should -Be @('Beta Failed Council', 'Gamma Lapsed Trust', 'Mid None Trust', 'Alpha Soon College', 'Zeta Late University')
        $rows.assessmentStatus | Should -Be @('Failed', 'Lapsed', 'None', 'Current', 'Current')
        $rows.assessmentValidUntil | Should -Be @('', '', '', '2025-09-30', '2026-01-10')
        $rows.latestReference | Should -Be @('ISQ-B-2', 'ISQ-G-1', '', 'ISQ-A-1', 'ISQ-Z-1')
        $rows[0].latestOutcome | Should -Be 'Failed'
        $rows[0].assessments | Should -Be 'ISQ-B-1 Passed 2024-10-01 to 2025-10-01; ISQ-B-2 Failed 2025-02-01 to 2026-02-01'
        $rows[2].assessments | Should -BeLike 'ISQ-M-1 Passed 2025-07-01*' -Because 'every assessment is listed, even one made after the report''s day'
        $rows[3].protectionOfficer | Should -Be 'Ada Soon'
        $rows[3].protectionOfficerEmail | Should -Be 'dpo@alpha.example.ac.uk'
        $rows[4].agreements | Should -Be 'ORPT003 (Active, DirectTransfer)'
        $rows[4].activeAgreements | Should -Be '1'
        $rows[1].why | Should -BeLike '*ISQ-G-1*lapsed after 2024-12-31*'
        $rows | ForEach-Object { $_.organisationId | Should -Match $OrganisationIdPattern; $_.reportAsOf | Should -Be '2025-06-01' }
    }

    It 'limits the report to the organisations holding the agreements piped in' {
        $path = Join-Path $ReportFolder 'organisations-limited.csv'

        Get-DataShareAgreement -Id 'ORPT003', 'ORPT001' -ErrorAction Stop |
            Export-DataShareReport -Kind Organisations -Format Csv -Path $path -AsOf $AsOf -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)
        $rows.organisation | Should -Be @('Mid None Trust', 'Zeta Late University')
    }

    It 'shows the justification, the organisation''s assessment and what needs attention in the Register report' {
        $path = Join-Path $ReportFolder 'register.csv'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -AsOf $AsOf -ErrorAction Stop

        $rows = @{}
        foreach ($row in Import-Csv -LiteralPath $path) {
            $rows[$row.reference] = $row
        }

        $rows['ORPT001'].directTransferJustification | Should -Be $DataShareTestJustification
        $rows['ORPT001'].securityAssessment | Should -Be 'None recorded'
        $rows['ORPT001'].flags | Should -Be 'Organisation''s security assessment none: no transfers'

        $rows['ORPT002'].directTransferJustification | Should -Be ''
        $rows['ORPT002'].securityAssessment | Should -Be 'Failed (ISQ-B-2, failed 2025-02-01)'
        $rows['ORPT002'].flags | Should -Be 'Direct transfer without a justification: cannot be approved; Organisation''s security assessment failed: no transfers'

        $rows['ORPT003'].securityAssessment | Should -Be 'Current (ISQ-Z-1, passed 2025-01-10)'
        $rows['ORPT003'].assessmentValidUntil | Should -Be '2026-01-10'
        $rows['ORPT003'].flags | Should -Be ''
    }
}
