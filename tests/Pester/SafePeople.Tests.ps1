#Requires -Version 7.4
# Safe people: disclosure certificates, policy, and Test-DataShareRecipient, against a fresh register in $TestDrive.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Yesterday is never in the future in the register's zone (Europe/London), wherever the machine is.
    $Yesterday = (Get-Date).Date.AddDays(-1)
    $CertificateIdPattern = '^DC-[0-9A-HJKMNP-TV-Z]{10}$'

    $null = New-TestAgreement -Id 'SP00001' -ApprovalReference 'DSAP-SP1'
    $Jo = Add-DataShareRecipient -AgreementId 'SP00001' -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -ErrorAction Stop
    $Sam = Add-DataShareRecipient -AgreementId 'SP00001' -Name 'Sam Smith' -Email 'sam.smith@example.ac.uk' -ErrorAction Stop

    function Get-CertificateState {
        [pscustomobject]@{
            Certificates = @(Get-DisclosureCertificate -ErrorAction Stop).Count
            AuditCount   = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Add-DisclosureCertificate and Get-DisclosureCertificate' {
    It 'records a certificate and keeps a DBS number''s leading zero' {
        $added = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer DBS -Level Basic -Number '012345678901' -IssuedOn '2023-11-22' -HolderName 'Jo Bloggs' -ErrorAction Stop

        $added | Should -BeOfType ([DataShareAdmin.DisclosureCertificate])
        $added.Id | Should -Match $CertificateIdPattern
        $added.CertificateId | Should -Be $added.Id
        $added.PersonId | Should -Be $Jo.PersonId
        $added.Issuer | Should -Be ([DataShareAdmin.CertificateIssuer]::DBS)
        $added.Level | Should -Be ([DataShareAdmin.CertificateLevel]::Basic)
        $added.Number | Should -BeExactly '012345678901'
        $added.IssuedOn | Should -Be ([datetime]'2023-11-22')
        $added.SeenOriginalBy | Should -Not -BeNullOrEmpty
        $added.AddedBy | Should -Not -BeNullOrEmpty

        $stored = Get-DisclosureCertificate -Id $added.Id -ErrorAction Stop
        $stored.Number | Should -BeExactly '012345678901'
    }

    It 'finds the person''s certificates by recipient, email or piped recipient' {
        @(Get-DisclosureCertificate -RecipientId $Jo.Id -ErrorAction Stop).Number | Should -Contain '012345678901'
        @(Get-DisclosureCertificate -RecipientId 'jo.bloggs@example.ac.uk' -ErrorAction Stop).Number | Should -Contain '012345678901'
        @($Jo | Get-DisclosureCertificate -ErrorAction Stop).Number | Should -Contain '012345678901'
    }

    It 'writes the number to the audit log by its last four digits only' {
        $certificate = Get-DisclosureCertificate -Number '012345678901' -ErrorAction Stop
        $entry = @(Get-DataShareAuditLog -TargetId $certificate.Id -ErrorAction Stop | Where-Object Action -EQ 'Certificate.Add')
        $entry.Count | Should -Be 1
        $entry[0].Details['Number'] | Should -BeLike '*8901'
        ($entry[0].Details.Values -join ' ') | Should -Not -BeLike '*012345678901*'
    }

    It 'accepts Disclosure Scotland''s ''Level 1'' as Basic' {
        $added = Add-DisclosureCertificate -RecipientId $Jo.Id -Issuer 'Disclosure Scotland' -Level 'Level 1' -Number '20240229001' -IssuedOn '2024-02-29' -ErrorAction Stop
        $added.Issuer | Should -Be ([DataShareAdmin.CertificateIssuer]::DisclosureScotland)
        $added.Level | Should -Be ([DataShareAdmin.CertificateLevel]::Basic)
    }

    It 'refuses an 11-digit DBS number with CertificateNumberInvalid and writes nothing' {
        $before = Get-CertificateState

        { Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer DBS -Level Basic -Number '12345678901' -IssuedOn '2025-01-10' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateNumberInvalid,DataShareAdmin.Commands.AddDisclosureCertificateCommand'

        $after = Get-CertificateState
        $after.Certificates | Should -Be $before.Certificates
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'says a leading zero may have been lost' {
        Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer DBS -Level Basic -Number '12345678901' -IssuedOn '2025-01-10' -ErrorAction SilentlyContinue -ErrorVariable problems
        $problems.Count | Should -Be 1
        $problems[0].Exception.Message | Should -BeLike '*leading zero*'
    }

    It 'refuses an issue date in the future with CertificateIssueDateInvalid' {
        $before = Get-CertificateState

        { Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer DBS -Level Basic -Number '000000000111' -IssuedOn (Get-Date).Date.AddDays(7) -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateIssueDateInvalid,DataShareAdmin.Commands.AddDisclosureCertificateCommand'

        (Get-CertificateState).Certificates | Should -Be $before.Certificates
    }

    It 'refuses the same issuer and number twice with CertificateExists' {
        $before = Get-CertificateState

        { Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer DBS -Level Basic -Number '012345678901' -IssuedOn '2023-11-22' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateExists,DataShareAdmin.Commands.AddDisclosureCertificateCommand'

        $after = Get-CertificateState
        $after.Certificates | Should -Be $before.Certificates
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'rejects <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'letters in the number'; Issuer = 'DBS'; Level = 'Basic'; Number = '01234567890A'; ErrorId = 'CertificateNumberInvalid' }
        @{ Case = 'a 13-digit DBS number'; Issuer = 'DBS'; Level = 'Basic'; Number = '0123456789012'; ErrorId = 'CertificateNumberInvalid' }
        @{ Case = 'a 7-digit AccessNI number'; Issuer = 'AccessNI'; Level = 'Basic'; Number = '1234567'; ErrorId = 'CertificateNumberInvalid' }
        @{ Case = 'an unknown issuer'; Issuer = 'Interpol'; Level = 'Basic'; Number = '000000000222'; ErrorId = 'CertificateIssuerInvalid' }
        @{ Case = 'an unknown level'; Issuer = 'DBS'; Level = 'Premium'; Number = '000000000222'; ErrorId = 'CertificateLevelInvalid' }
    ) {
        { Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer $Issuer -Level $Level -Number $Number -IssuedOn '2025-01-10' -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.AddDisclosureCertificateCommand"
    }

    It 'refuses a DBS certificate at level <Level> with CertificateLevelInvalid, as the help says, and writes nothing' -ForEach @(
        @{ Level = -1 }
        @{ Level = '-1' }
        @{ Level = 'Level -1' }
        @{ Level = '+1' }
    ) {
        $before = Get-CertificateState
        Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer DBS -Level $Level -Number '000000000444' -IssuedOn '2025-01-10' -ErrorAction SilentlyContinue -ErrorVariable problems

        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'CertificateLevelInvalid,DataShareAdmin.Commands.AddDisclosureCertificateCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $after = Get-CertificateState
        $after.Certificates | Should -Be $before.Certificates
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It '-WhatIf records nothing' {
        $before = Get-CertificateState
        Add-DisclosureCertificate -RecipientId $Sam.Id -Issuer DBS -Level Basic -Number '000000000333' -IssuedOn '2025-01-10' -WhatIf
        $after = Get-CertificateState
        $after.Certificates | Should -Be $before.Certificates
        $after.AuditCount | Should -Be $before.AuditCount
    }
}

Describe 'Test-DisclosureCertificate' {
    BeforeAll {
        $null = New-TestAgreement -Id 'SP00002' -ApprovalReference 'DSAP-SP2'
        $Ana = Add-DataShareRecipient -AgreementId 'SP00002' -Name 'Ana Lopez' -Email 'ana.lopez@example.ac.uk' -ErrorAction Stop
        $Nov = Add-DisclosureCertificate -RecipientId $Ana.Id -Issuer DBS -Level Basic -Number '000000221123' -IssuedOn '2023-11-22' -ErrorAction Stop
        $Leap = Add-DisclosureCertificate -RecipientId $Ana.Id -Issuer DBS -Level Enhanced -Number '000000290224' -IssuedOn '2024-02-29' -ErrorAction Stop
    }

    It 'issued <IssuedOn>: on <AsOf> IsValid is <IsValid>, ValidUntil <ValidUntil>, DaysRemaining <DaysRemaining>' -ForEach @(
        @{ Number = '000000221123'; IssuedOn = '2023-11-22'; AsOf = '2025-11-21'; IsValid = $true; ValidUntil = '2025-11-22'; DaysRemaining = 1 }
        @{ Number = '000000221123'; IssuedOn = '2023-11-22'; AsOf = '2025-11-22'; IsValid = $true; ValidUntil = '2025-11-22'; DaysRemaining = 0 }
        @{ Number = '000000221123'; IssuedOn = '2023-11-22'; AsOf = '2025-11-23'; IsValid = $false; ValidUntil = '2025-11-22'; DaysRemaining = -1 }
        @{ Number = '000000290224'; IssuedOn = '2024-02-29'; AsOf = '2026-02-28'; IsValid = $true; ValidUntil = '2026-02-28'; DaysRemaining = 0 }
        @{ Number = '000000290224'; IssuedOn = '2024-02-29'; AsOf = '2026-03-01'; IsValid = $false; ValidUntil = '2026-02-28'; DaysRemaining = -1 }
        @{ Number = '000000221123'; IssuedOn = '2023-11-22'; AsOf = '2023-11-21'; IsValid = $false; ValidUntil = '2025-11-22'; DaysRemaining = 732 }
    ) {
        $certificate = Get-DisclosureCertificate -Number $Number -ErrorAction Stop
        $result = Test-DisclosureCertificate -CertificateId $certificate.Id -AsOf $AsOf -ErrorAction Stop

        $result | Should -BeOfType ([DataShareAdmin.CertificateTestResult])
        $result.IsValid | Should -Be $IsValid
        $result.ValidUntil | Should -Be ([datetime]$ValidUntil)
        $result.DaysRemaining | Should -Be $DaysRemaining
        $result.AsOf | Should -Be ([datetime]$AsOf)
        $result.Reason | Should -Not -BeNullOrEmpty
        $result.OnlineStatus | Should -Be 'NotRequested'
    }

    It 'tests every certificate of recipients piped in' {
        $results = @(Get-DataShareRecipient -AgreementId 'SP00002' -ErrorAction Stop | Test-DisclosureCertificate -AsOf '2025-11-23' -ErrorAction Stop)
        ($results.CertificateId | Sort-Object) -join ',' | Should -Be ((@($Nov.Id, $Leap.Id) | Sort-Object) -join ',')
        ($results | Where-Object CertificateId -EQ $Nov.Id).IsValid | Should -BeFalse
        ($results | Where-Object CertificateId -EQ $Leap.Id).IsValid | Should -BeTrue
    }

    It 'tests certificates piped in' {
        $result = Get-DisclosureCertificate -Id $Leap.Id -ErrorAction Stop | Test-DisclosureCertificate -AsOf '2026-02-28' -ErrorAction Stop
        $result.CertificateId | Should -Be $Leap.Id
        $result.IsValid | Should -BeTrue
    }

    It 'stops -Online with DbsCheckNotConfigured when the checker is not set' {
        { Test-DisclosureCertificate -CertificateId $Leap.Id -Online -ErrorAction Stop } |
            Should -Throw -ErrorId 'DbsCheckNotConfigured,DataShareAdmin.Commands.TestDisclosureCertificateCommand'
    }

    It 'says a basic certificate cannot be checked online (NotAvailable), without asking the service' {
        Set-DataSharePolicy -Name DbsOrganisationName -Value 'Exampleton University' -ErrorAction Stop
        Set-DataSharePolicy -Name DbsCheckerForename -Value 'Asha' -ErrorAction Stop
        Set-DataSharePolicy -Name DbsCheckerSurname -Value 'Khan' -ErrorAction Stop
        # Nowhere to answer: if the cmdlet asked the service, the check would fail rather than say NotAvailable.
        Set-DataSharePolicy -Name DbsUpdateServiceUri -Value 'http://127.0.0.1:9' -ErrorAction Stop
        try {
            $result = Test-DisclosureCertificate -CertificateId $Nov.Id -AsOf '2025-01-01' -Online -ErrorAction Stop
            $result.OnlineStatus | Should -Be 'NotAvailable'
            $result.IsValid | Should -BeTrue -Because 'the age rule alone decides when no online check is possible'
            $result.Reason | Should -BeLike '*basic*'
        }
        finally {
            foreach ($name in 'DbsOrganisationName', 'DbsCheckerForename', 'DbsCheckerSurname', 'DbsUpdateServiceUri') {
                Set-DataSharePolicy -Name $name -Default -ErrorAction Stop
            }
        }
    }
}

Describe 'Get-DataSharePolicy and Set-DataSharePolicy' {
    AfterEach {
        Set-DataSharePolicy -Name CertificateMaxAgeMonths -Default -ErrorAction Stop
    }

    It 'lists every setting with its default' {
        $settings = @(Get-DataSharePolicy -ErrorAction Stop)
        $settings.Name | Should -Contain 'CertificateMaxAgeMonths'
        $settings.Name | Should -Contain 'TimeZone'
        $age = $settings | Where-Object Name -EQ 'CertificateMaxAgeMonths'
        $age | Should -BeOfType ([DataShareAdmin.DataSharePolicySetting])
        $age.DefaultValue | Should -Be '24'
        $age.Value | Should -Be '24'
        $age.IsDefault | Should -BeTrue
        ($settings | Where-Object Name -EQ 'TimeZone').DefaultValue | Should -Be 'Europe/London'
        ($settings | Where-Object Name -EQ 'AcceptedCertificateLevels').DefaultValue | Should -Be 'Basic,Standard,Enhanced'
    }

    It 'changes a setting, audits it, and the age rule follows it' {
        $before = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        $setting = Set-DataSharePolicy -Name CertificateMaxAgeMonths -Value 36 -PassThru -ErrorAction Stop
        $setting.Value | Should -Be '36'
        $setting.IsDefault | Should -BeFalse
        $setting.ModifiedBy | Should -Not -BeNullOrEmpty
        @(Get-DataShareAuditLog -Action 'Policy.Set' -ErrorAction Stop).Count | Should -BeGreaterThan 0
        @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be ($before + 1)

        $certificate = Get-DisclosureCertificate -Number '000000221123' -ErrorAction Stop
        $result = Test-DisclosureCertificate -CertificateId $certificate.Id -AsOf '2025-11-23' -ErrorAction Stop
        $result.IsValid | Should -BeTrue
        $result.ValidUntil | Should -Be ([datetime]'2026-11-22')
    }

    It 'puts a setting back with -Default' {
        Set-DataSharePolicy -Name CertificateMaxAgeMonths -Value 12 -ErrorAction Stop
        $setting = Set-DataSharePolicy -Name CertificateMaxAgeMonths -Default -PassThru -ErrorAction Stop
        $setting.Value | Should -Be '24'
        $setting.IsDefault | Should -BeTrue
    }

    It '-WhatIf changes nothing' {
        $before = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        Set-DataSharePolicy -Name CertificateMaxAgeMonths -Value 36 -WhatIf
        (Get-DataSharePolicy -Name CertificateMaxAgeMonths -ErrorAction Stop).Value | Should -Be '24'
        @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be $before
    }

    It 'refuses <Value> for <Name> with PolicyValueInvalid' -ForEach @(
        @{ Name = 'CertificateMaxAgeMonths'; Value = 'two years' }
        @{ Name = 'CertificateMaxAgeMonths'; Value = '0' }
        @{ Name = 'DeclarationRequired'; Value = 'perhaps' }
        @{ Name = 'AcceptedCertificateLevels'; Value = 'Basic,Platinum' }
        @{ Name = 'TimeZone'; Value = 'Mars/Olympus_Mons' }
        @{ Name = 'DbsUpdateServiceUri'; Value = 'http://dbs.example.org' }
    ) {
        $before = @(Get-DataShareAuditLog -ErrorAction Stop).Count
        { Set-DataSharePolicy -Name $Name -Value $Value -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicyValueInvalid,DataShareAdmin.Commands.SetDataSharePolicyCommand'
        (Get-DataSharePolicy -Name $Name -ErrorAction Stop).IsDefault | Should -BeTrue
        @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be $before
    }

    It 'reports an unknown setting with PolicySettingNotFound' {
        { Set-DataSharePolicy -Name 'CertificateMaxAge' -Value 36 -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicySettingNotFound,DataShareAdmin.Commands.SetDataSharePolicyCommand'
        { Get-DataSharePolicy -Name 'CertificateMaxAge' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicySettingNotFound,DataShareAdmin.Commands.GetDataSharePolicyCommand'
    }

    It 'returns nothing, without an error, for a pattern that matches nothing' {
        @(Get-DataSharePolicy -Name 'NoSuch*' -ErrorAction Stop).Count | Should -Be 0
    }
}

Describe 'Test-DataShareRecipient' {
    BeforeAll {
        # Active today and ending in a year (the Common.ps1 defaults).
        $Agreement = New-TestAgreement -Id 'SPR0001' -ApprovalReference 'DSAP-SPR1'

        # Ready, certificate good for well over the agreement's year: no warning.
        $Ready = Add-DataShareRecipient -AgreementId 'SPR0001' -Name 'Rae Ready' -Email 'rae.ready@example.ac.uk' -ErrorAction Stop
        $ReadyIssued = $Yesterday.AddDays(-30)
        $null = Add-DisclosureCertificate -RecipientId $Ready.Id -Issuer DBS -Level Basic -Number '000000100001' -IssuedOn $ReadyIssued -ErrorAction Stop

        # Ready, certificate lapses in about ten days: warned.
        $Soon = Add-DataShareRecipient -AgreementId 'SPR0001' -Name 'Sol Soon' -Email 'sol.soon@example.ac.uk' -ErrorAction Stop
        $SoonIssued = $Yesterday.AddMonths(-24).AddDays(10)
        $null = Add-DisclosureCertificate -RecipientId $Soon.Id -Issuer DBS -Level Basic -Number '000000100002' -IssuedOn $SoonIssued -ErrorAction Stop

        # Ready, certificate lapses in about six months, before the agreement ends: warned.
        $Short = Add-DataShareRecipient -AgreementId 'SPR0001' -Name 'Syd Short' -Email 'syd.short@example.ac.uk' -ErrorAction Stop
        $ShortIssued = $Yesterday.AddMonths(-18)
        $null = Add-DisclosureCertificate -RecipientId $Short.Id -Issuer DBS -Level Basic -Number '000000100003' -IssuedOn $ShortIssued -ErrorAction Stop

        # Not ready: no certificate, no declaration, no training.
        $Nobody = Add-DataShareRecipient -AgreementId 'SPR0001' -Name 'Nia None' -Email 'nia.none@example.ac.uk' -ErrorAction Stop

        foreach ($recipient in $Ready, $Soon, $Short) {
            Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop
        }

        $Results = @{}
        foreach ($result in Test-DataShareRecipient -AgreementId 'SPR0001' -ErrorAction Stop) {
            $Results[$result.RecipientId] = $result
        }
    }

    It 'returns one result per current recipient' {
        $Results.Count | Should -Be 4
        $Results[$Ready.Id] | Should -BeOfType ([DataShareAdmin.RecipientTestResult])
    }

    It 'is ready, until the certificate''s last day, with no warning' {
        $result = $Results[$Ready.Id]
        $result.IsReady | Should -BeTrue
        @($result.FailedChecks).Count | Should -Be 0
        $result.ReadyUntil | Should -Be $ReadyIssued.AddMonths(24)
        $result.Warning | Should -BeFalse
        $result.AgreementEndsOn | Should -Be $Agreement.EndsOn
    }

    It 'warns when readiness ends within the warning window' {
        $result = $Results[$Soon.Id]
        $result.IsReady | Should -BeTrue
        $result.ReadyUntil | Should -Be $SoonIssued.AddMonths(24)
        $result.Warning | Should -BeTrue
        $result.WarningReason | Should -Not -BeNullOrEmpty
    }

    It 'warns when readiness ends before the agreement does' {
        $result = $Results[$Short.Id]
        $result.IsReady | Should -BeTrue
        $result.ReadyUntil | Should -Be $ShortIssued.AddMonths(24)
        $result.ReadyUntil | Should -BeLessThan $result.AgreementEndsOn
        $result.Warning | Should -BeTrue
        $result.WarningReason | Should -BeLike '*SPR0001*'
    }

    It 'does not warn when the window is smaller than the time left and the agreement ends first' {
        $result = Test-DataShareRecipient -RecipientId $Ready.Id -WarnWithinDays 0 -ErrorAction Stop
        $result.Warning | Should -BeFalse
    }

    It 'is not ready, naming every failed check and why' {
        $result = $Results[$Nobody.Id]
        $result.IsReady | Should -BeFalse
        $result.FailedChecks | Should -Be @('Certificate', 'Declaration', 'Training')
        $result.ReadyUntil | Should -BeNullOrEmpty
        $result.Warning | Should -BeFalse
        foreach ($check in $result.Checks | Where-Object Name -NE 'Organisation') {
            $check.Passed | Should -BeFalse
            $check.Reason | Should -Not -BeNullOrEmpty
        }

        # The agreement keeps its data in the secure research service, so the organisation's assessment is not needed.
        $organisation = @($result.Checks | Where-Object Name -EQ 'Organisation')
        $organisation.Count | Should -Be 1
        $organisation[0].Passed | Should -BeTrue
        $organisation[0].Reason | Should -BeLike 'Not required: *'
    }

    It 'is not ready after the certificate''s last day (-AsOf)' {
        $lastDay = $ReadyIssued.AddMonths(24)
        (Test-DataShareRecipient -RecipientId $Ready.Id -AsOf $lastDay -ErrorAction Stop).IsReady | Should -BeTrue
        $after = Test-DataShareRecipient -RecipientId $Ready.Id -AsOf $lastDay.AddDays(1) -ErrorAction Stop
        $after.IsReady | Should -BeFalse
        $after.FailedChecks | Should -Be @('Certificate')
    }

    It 'follows the policy: no declaration needed when DeclarationRequired is false' {
        Set-DataShareRecipient -Id $Nobody.Id -TrainingCompletedOn $Yesterday -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $Nobody.Id -Issuer DBS -Level Basic -Number '000000100004' -IssuedOn $Yesterday -ErrorAction Stop
        Set-DataSharePolicy -Name DeclarationRequired -Value false -ErrorAction Stop
        try {
            $result = Test-DataShareRecipient -RecipientId $Nobody.Id -ErrorAction Stop
            $result.IsReady | Should -BeTrue
            $result.Checks.Name | Should -Not -Contain 'Declaration'
        }
        finally {
            Set-DataSharePolicy -Name DeclarationRequired -Default -ErrorAction Stop
        }

        $result = Test-DataShareRecipient -RecipientId $Nobody.Id -ErrorAction Stop
        $result.FailedChecks | Should -Be @('Declaration')
    }

    It 'finds the people not ready with Get-DataShareAgreement -Status Active | Get-DataShareRecipient | Test-DataShareRecipient' {
        $notReady = @(Get-DataShareAgreement -Status Active | Get-DataShareRecipient | Test-DataShareRecipient | Where-Object { -not $_.IsReady })

        $notReady.RecipientId | Should -Contain $Nobody.Id
        $notReady.RecipientId | Should -Not -Contain $Ready.Id
        $notReady.RecipientId | Should -Not -Contain $Soon.Id
        $notReady.RecipientId | Should -Not -Contain $Short.Id
        foreach ($result in $notReady) {
            @($result.FailedChecks).Count | Should -BeGreaterThan 0
        }
    }

    It 'takes agreements from the pipeline' {
        $results = @(Get-DataShareAgreement -Id 'SPR0001' -ErrorAction Stop | Test-DataShareRecipient -ErrorAction Stop)
        $results.Count | Should -Be 4
        ($results.AgreementId | Sort-Object -Unique) | Should -Be 'SPR0001'
    }

    It 'tests the recipients of an agreement piped in twice once each' {
        $agreement = Get-DataShareAgreement -Id 'SPR0001' -ErrorAction Stop
        $results = @($agreement, $agreement | Test-DataShareRecipient -ErrorAction Stop)
        $results.Count | Should -Be 4
        @($results.RecipientId | Sort-Object -Unique).Count | Should -Be 4
    }
}

Describe 'Import-DisclosureCertificate' {
    BeforeAll {
        $null = New-TestAgreement -Id 'SPI0001' -ApprovalReference 'DSAP-SPI1'
        foreach ($person in @(
                @{ Name = 'Ima Port'; Email = 'ima.port@example.ac.uk' }
                @{ Name = 'Ola Semi'; Email = 'ola.semi@example.ac.uk' }
                @{ Name = 'Uma Quote'; Email = 'uma.quote@example.ac.uk' }
                @{ Name = 'Eli Zero'; Email = 'eli.zero@example.ac.uk' }
            )) {
            $null = Add-DataShareRecipient -AgreementId 'SPI0001' @person -ErrorAction Stop
        }

        # A spreadsheet saved with a decimal-comma locale: semicolons, a byte order mark, loose column names, a quoted
        # field holding the separator and a line break, a blank line, an apostrophe-prefixed number, day-first dates,
        # 'Level 1', and (line 8) a DBS number that lost its leading zero.
        $lines = @(
            'Name on certificate;E-mail address;Issued by;Check level;Certificate No.;Issue date;DOB'
            'Ima Port;ima.port@example.ac.uk;DBS;Basic;''000000200001;22/11/2023;01/02/1990'
            ''
            '"Semi; Ola";ola.semi@example.ac.uk;Disclosure Scotland;Level 1;20240301002;1 Mar 2024;'
            '"Uma'
            'Quote";uma.quote@example.ac.uk;Access NI;Enhanced;"1234 5678 90";03/04/2025;'
            ';;;;;;'
            'Eli Zero;eli.zero@example.ac.uk;DBS;Basic;20000300;15/05/2024;'
            'Eli Zero;eli.zero@example.ac.uk;DBS;Standard;000000200005;2024-05-15;'
        )
        $CsvPath = Join-Path $TestDrive 'certificates.csv'
        [System.IO.File]::WriteAllText($CsvPath, ($lines -join "`r`n") + "`r`n", [System.Text.UTF8Encoding]::new($true))
    }

    It 'imports every good row and names the bad one' {
        $before = Get-CertificateState

        $results = @(Import-DisclosureCertificate -Path $CsvPath -ErrorAction SilentlyContinue -ErrorVariable problems)

        $results | ForEach-Object { $_ | Should -BeOfType ([DataShareAdmin.CertificateImportResult]) }
        $results.Status | Should -Be @('Added', 'Added', 'Added', 'Added')
        $results.Row | Should -Be @(2, 4, 5, 9) -Because 'rows keep their line numbers, the header being line 1'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CertificateNumberInvalid,*'
        $problems[0].Exception.Message | Should -BeLike 'Row 8:*'
        $problems[0].TargetObject | Should -Be 8
        (Get-CertificateState).Certificates | Should -Be ($before.Certificates + 4)
    }

    It 'reads the messy values: apostrophe, leading zeros, Level 1, spaces and day-first dates' {
        $ima = Get-DisclosureCertificate -RecipientId 'ima.port@example.ac.uk' -ErrorAction Stop
        $ima.Number | Should -BeExactly '000000200001'
        $ima.IssuedOn | Should -Be ([datetime]'2023-11-22')
        $ima.DateOfBirth | Should -Be ([datetime]'1990-02-01')
        $ima.HolderName | Should -Be 'Ima Port'

        $ola = Get-DisclosureCertificate -RecipientId 'ola.semi@example.ac.uk' -ErrorAction Stop
        $ola.Issuer | Should -Be ([DataShareAdmin.CertificateIssuer]::DisclosureScotland)
        $ola.Level | Should -Be ([DataShareAdmin.CertificateLevel]::Basic)
        $ola.IssuedOn | Should -Be ([datetime]'2024-03-01')
        $ola.HolderName | Should -Be 'Semi; Ola'

        $uma = Get-DisclosureCertificate -RecipientId 'uma.quote@example.ac.uk' -ErrorAction Stop
        $uma.Issuer | Should -Be ([DataShareAdmin.CertificateIssuer]::AccessNI)
        $uma.Number | Should -BeExactly '1234567890'
        $uma.IssuedOn | Should -Be ([datetime]'2025-04-03') -Because '03/04/2025 is day first: 3 April'
    }

    It 'changes nothing when the same file is imported again: every good row is Unchanged' {
        $before = Get-CertificateState

        $results = @(Import-DisclosureCertificate -Path $CsvPath -ErrorAction SilentlyContinue -ErrorVariable problems)

        $results.Status | Should -Be @('Unchanged', 'Unchanged', 'Unchanged', 'Unchanged')
        $problems.Count | Should -Be 1
        $after = Get-CertificateState
        $after.Certificates | Should -Be $before.Certificates
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses a row whose number is recorded with other details with CertificateConflict' {
        $conflict = Join-Path $TestDrive 'conflict.csv'
        Set-Content -LiteralPath $conflict -Encoding utf8 -Value @(
            'Email,Issuer,Level,Number,IssuedOn'
            'ima.port@example.ac.uk,DBS,Basic,000000200001,23/11/2023'
        )

        Import-DisclosureCertificate -Path $conflict -ErrorAction SilentlyContinue -ErrorVariable problems
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CertificateConflict,*'
        $problems[0].Exception.Message | Should -BeLike 'Row 2:*'
    }

    It 'stops before any row when a required column is missing' {
        $noNumber = Join-Path $TestDrive 'no-number.csv'
        Set-Content -LiteralPath $noNumber -Encoding utf8 -Value @('Email,Issuer,Level,IssuedOn', 'ima.port@example.ac.uk,DBS,Basic,22/11/2023')
        { Import-DisclosureCertificate -Path $noNumber -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateImportColumnsMissing,DataShareAdmin.Commands.ImportDisclosureCertificateCommand'
    }

    It 'imports a row given to -InputObject, and reports a known one Unchanged' {
        $row = [pscustomobject]@{ 'Email' = 'eli.zero@example.ac.uk'; 'Issuer' = 'DBS'; 'Level' = 'Basic'; 'DBS number' = '000000200006'; 'Date of issue' = '15/05/2024' }
        (Import-DisclosureCertificate -InputObject $row -ErrorAction Stop).Status | Should -Be 'Added'
        (Import-DisclosureCertificate -InputObject $row -ErrorAction Stop).Status | Should -Be 'Unchanged'
    }

    It 'imports rows piped from Import-Csv' {
        $rows = Join-Path $TestDrive 'rows.csv'
        Set-Content -LiteralPath $rows -Encoding utf8 -Value @('Email,Issuer,Level,Number,IssuedOn', 'eli.zero@example.ac.uk,DBS,Enhanced,000000200007,2024-06-01')
        $results = @(Import-Csv -LiteralPath $rows | Import-DisclosureCertificate -ErrorAction Stop)
        $results.Status | Should -Be @('Added')
        $results.Row | Should -Be @(1)
    }
}
