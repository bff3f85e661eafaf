#Requires -Version 7.4
# Add-, Get-, Set- and Remove-DataShareRecipient and the pipelines they make, against a fresh register in $TestDrive.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Two agreements Active today, one still Pending, one Ended (approved, past its end date), and one never approved
    # and past its end date, which is Ended too.
    $ActiveOne = New-TestAgreement -Id 'RA00001' -ApprovalReference 'DSAP-R1'
    $ActiveTwo = New-TestAgreement -Id 'RA00002' -ApprovalReference 'DSAP-R2'
    $Pending = New-TestAgreement -Id 'RP00003'
    $Ended = New-TestAgreement -Id 'RE00004' -StartsOn '2020-01-01' -EndsOn '2020-12-31' -ApprovalReference 'DSAP-R4' -ApprovedOn '2019-12-01'
    $EndedUnapproved = New-TestAgreement -Id 'RU00005' -StartsOn '2020-01-01' -EndsOn '2020-12-31'

    $RecipientIdPattern = '^RC-[0-9A-HJKMNP-TV-Z]{10}$'
    $PersonIdPattern = '^PE-[0-9A-HJKMNP-TV-Z]{10}$'
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Add-DataShareRecipient' {
    It 'adds a person to an agreement and returns the recipient' {
        $added = Add-DataShareRecipient -AgreementId 'RA00001' -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -Role 'Analyst' -ErrorAction Stop

        $added | Should -BeOfType ([DataShareAdmin.DataShareRecipient])
        $added.Id | Should -Match $RecipientIdPattern
        $added.PersonId | Should -Match $PersonIdPattern
        $added.AgreementId | Should -Be 'RA00001'
        $added.Name | Should -Be 'Jo Bloggs'
        $added.Email | Should -Be 'jo.bloggs@example.ac.uk'
        $added.Role | Should -Be 'Analyst'
        $added.IsActive | Should -BeTrue
        $added.RemovedAt | Should -BeNullOrEmpty
    }

    It 'takes the agreement id in any case' {
        $added = Add-DataShareRecipient -AgreementId 'ra00002' -Name 'Kim Lee' -Email 'kim.lee@example.ac.uk' -ErrorAction Stop
        $added.AgreementId | Should -Be 'RA00002'
        $added.Role | Should -BeNullOrEmpty
    }

    It 'takes the agreement object from the pipeline (its AgreementId binds by property name)' {
        $agreement = Get-DataShareAgreement -Id 'RP00003' -ErrorAction Stop
        $agreement.AgreementId | Should -Be 'RP00003'

        $added = $agreement | Add-DataShareRecipient -Name 'Pat Quinn' -Email 'pat.quinn@example.ac.uk' -ErrorAction Stop
        $added | Should -BeOfType ([DataShareAdmin.DataShareRecipient])
        $added.AgreementId | Should -Be 'RP00003'
    }

    It 'adds the person to each agreement piped in' {
        $added = @(Get-DataShareAgreement -Id 'RA00001', 'RA00002' -ErrorAction Stop |
                Add-DataShareRecipient -Name 'Rae Reed' -Email 'rae.reed@example.ac.uk' -ErrorAction Stop)
        $added.AgreementId | Should -Be @('RA00001', 'RA00002')
        $added[1].PersonId | Should -Be $added[0].PersonId
    }

    It 'has one parameter set, no -Agreement parameter, and ConfirmImpact Medium' {
        $command = Get-Command -Name Add-DataShareRecipient -ErrorAction Stop
        @($command.ParameterSets).Count | Should -Be 1
        $command.Parameters.ContainsKey('Agreement') | Should -BeFalse
        $agreementId = $command.Parameters['AgreementId'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $agreementId.Mandatory | Should -BeTrue
        $agreementId.Position | Should -Be 0
        $agreementId.ValueFromPipelineByPropertyName | Should -BeTrue
        $cmdlet = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $cmdlet.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)
    }

    It 'keeps one person per normalised email across agreements' {
        $first = Add-DataShareRecipient -AgreementId 'RA00001' -Name 'Sam Smith' -Email 'Sam.Smith@Example.org' -ErrorAction Stop
        $second = Add-DataShareRecipient -AgreementId 'RA00002' -Name 'Sam Smith' -Email '  sam.smith@EXAMPLE.org ' -ErrorAction Stop

        $second.PersonId | Should -Be $first.PersonId
        $second.Id | Should -Not -Be $first.Id
        $second.Email | Should -Be 'Sam.Smith@Example.org' -Because 'the person keeps the address as first recorded'
    }

    It 'keeps the recorded name and warns when the same email comes with another name' {
        $first = Add-DataShareRecipient -AgreementId 'RA00001' -Name 'Chris Taylor' -Email 'chris.taylor@example.org' -ErrorAction Stop
        $second = Add-DataShareRecipient -AgreementId 'RA00002' -Name 'Christopher Taylor' -Email 'chris.taylor@example.org' `
            -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable warnings

        $second.PersonId | Should -Be $first.PersonId
        $second.Name | Should -Be 'Chris Taylor'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*Chris Taylor*'
    }

    It 'refuses a person already on the agreement with RecipientExists' {
        $null = Add-DataShareRecipient -AgreementId 'RA00001' -Name 'Dana Ng' -Email 'dana.ng@example.org' -ErrorAction Stop
        $before = Get-DataShareTestState

        { Add-DataShareRecipient -AgreementId 'RA00001' -Name 'Dana Ng' -Email 'DANA.NG@example.org' -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecipientExists,DataShareAdmin.Commands.AddDataShareRecipientCommand'

        $after = Get-DataShareTestState
        $after.Recipients | Should -Be $before.Recipients
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'rejects <Case> with <ErrorId> and writes nothing' -ForEach @(
        @{ Case = 'a malformed email'; AgreementId = 'RA00001'; Email = 'not-an-email'; ErrorId = 'RecipientEmailInvalid' }
        @{ Case = 'an email with a space'; AgreementId = 'RA00001'; Email = 'jo bloggs@example.ac.uk'; ErrorId = 'RecipientEmailInvalid' }
        @{ Case = 'an email without a dotted domain'; AgreementId = 'RA00001'; Email = 'jo@localhost'; ErrorId = 'RecipientEmailInvalid' }
        @{ Case = 'an email with two dots in a row'; AgreementId = 'RA00001'; Email = 'jo..bloggs@example.ac.uk'; ErrorId = 'RecipientEmailInvalid' }
        @{ Case = 'an unknown agreement'; AgreementId = 'RA99999'; Email = 'new.person@example.org'; ErrorId = 'AgreementNotFound' }
        @{ Case = 'a malformed agreement id'; AgreementId = 'RA 1!'; Email = 'new.person@example.org'; ErrorId = 'AgreementIdInvalid' }
        @{ Case = 'an agreement that has ended'; AgreementId = 'RE00004'; Email = 'new.person@example.org'; ErrorId = 'AgreementNotOpen' }
        @{ Case = 'an agreement never approved and past its end'; AgreementId = 'RU00005'; Email = 'new.person@example.org'; ErrorId = 'AgreementNotOpen' }
    ) {
        $before = Get-DataShareTestState

        { Add-DataShareRecipient -AgreementId $AgreementId -Name 'New Person' -Email $Email -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.AddDataShareRecipientCommand"

        $after = Get-DataShareTestState
        $after.Recipients | Should -Be $before.Recipients -Because 'a rejected recipient is not stored'
        $after.AuditCount | Should -Be $before.AuditCount -Because 'nothing was changed, so nothing is audited'
        $after.AuditHead | Should -Be $before.AuditHead
    }

    It '-WhatIf adds no one' {
        $before = Get-DataShareTestState

        $output = Add-DataShareRecipient -AgreementId 'RA00001' -Name 'What If' -Email 'what.if@example.org' -WhatIf
        $output | Should -BeNullOrEmpty

        $after = Get-DataShareTestState
        $after.Recipients | Should -Be $before.Recipients
        $after.AuditCount | Should -Be $before.AuditCount
        @(Get-DataShareRecipient -Email 'what.if@*' -IncludeRemoved -ErrorAction Stop).Count | Should -Be 0
    }
}

Describe 'Import-Csv | Add-DataShareRecipient' {
    BeforeAll {
        $ImportAgreement = New-TestAgreement -Id 'CSV0001' -ApprovalReference 'DSAP-CSV'
    }

    It 'adds one recipient per row' {
        $csv = Join-Path $TestDrive 'people.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @(
            'Name,Email,Role'
            'Alex Able,alex.able@example.ac.uk,Analyst'
            '"Baker, Bea",BEA.BAKER@example.ac.uk,Principal investigator'
            'Cam Cole,cam.cole@example.ac.uk,'
        )

        $added = @(Import-Csv -LiteralPath $csv | Add-DataShareRecipient -AgreementId 'CSV0001' -ErrorAction Stop)

        $added.Count | Should -Be 3
        $added.Name | Should -Be @('Alex Able', 'Baker, Bea', 'Cam Cole')
        $added[1].Email | Should -Be 'BEA.BAKER@example.ac.uk'
        $added[1].Role | Should -Be 'Principal investigator'
        $added[2].Role | Should -BeNullOrEmpty
        $added | ForEach-Object { $_.AgreementId | Should -Be 'CSV0001' }
        @(Get-DataShareRecipient -AgreementId 'CSV0001' -ErrorAction Stop).Count | Should -Be 3
    }

    It 'reports a bad row and goes on with the rest' {
        $csv = Join-Path $TestDrive 'people-with-a-typo.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @(
            'Name,Email,Role'
            'Dee Dunn,dee.dunn@example.ac.uk,Analyst'
            'Eli Eve,eli.eve(at)example.ac.uk,Analyst'
            'Fay Fox,fay.fox@example.ac.uk,Analyst'
        )

        $added = @(Import-Csv -LiteralPath $csv |
                Add-DataShareRecipient -AgreementId 'CSV0001' -ErrorAction SilentlyContinue -ErrorVariable problems)

        $added.Name | Should -Be @('Dee Dunn', 'Fay Fox')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'RecipientEmailInvalid,DataShareAdmin.Commands.AddDataShareRecipientCommand'
        $problems[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $problems[0].TargetObject | Should -Be 'eli.eve(at)example.ac.uk'
    }

    It 'takes AgreementId from a CSV column' {
        $csv = Join-Path $TestDrive 'people-by-agreement.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @(
            'AgreementId,Name,Email'
            'RA00001,Gus Grey,gus.grey@example.ac.uk'
            'RA00002,Gus Grey,gus.grey@example.ac.uk'
        )

        $added = @(Import-Csv -LiteralPath $csv | Add-DataShareRecipient -ErrorAction Stop)
        $added.AgreementId | Should -Be @('RA00001', 'RA00002')
        $added[1].PersonId | Should -Be $added[0].PersonId
    }
}

Describe 'Get-DataShareRecipient' {
    BeforeAll {
        $Listed = New-TestAgreement -Id 'GET0001' -ApprovalReference 'DSAP-GET'
        $Hana = Add-DataShareRecipient -AgreementId 'GET0001' -Name 'Hana Hill' -Email 'hana.hill@example.ac.uk' -ErrorAction Stop
        $Ivo = Add-DataShareRecipient -AgreementId 'GET0001' -Name 'Ivo Ives' -Email 'ivo.ives@example.org' -ErrorAction Stop
    }

    It 'lists an agreement''s recipients' {
        $found = @(Get-DataShareRecipient -AgreementId 'GET0001' -ErrorAction Stop)
        ($found.Id | Sort-Object) -join ',' | Should -Be ((@($Hana.Id, $Ivo.Id) | Sort-Object) -join ',')
    }

    It 'finds a recipient by id, in any case' {
        (Get-DataShareRecipient -Id $Hana.Id -ErrorAction Stop).Email | Should -Be 'hana.hill@example.ac.uk'
        (Get-DataShareRecipient -Id $Hana.Id.ToLowerInvariant() -ErrorAction Stop).Id | Should -Be $Hana.Id
        (Get-DataShareRecipient -Id "  $($Hana.Id.ToLowerInvariant()) " -ErrorAction Stop).Id | Should -Be $Hana.Id
    }

    It 'filters by email with wildcards' {
        $found = @(Get-DataShareRecipient -AgreementId 'GET0001' -Email '*@EXAMPLE.ORG' -ErrorAction Stop)
        $found.Id | Should -Be $Ivo.Id
    }

    It 'lists the recipients of every agreement without -AgreementId' {
        $all = @(Get-DataShareRecipient -ErrorAction Stop)
        $all.Id | Should -Contain $Hana.Id
        @($all.AgreementId | Sort-Object -Unique).Count | Should -BeGreaterThan 1
    }

    It 'reports RecipientIdInvalid for <Id>' -ForEach @(
        @{ Id = 'RA00001' }
        @{ Id = 'RC-123' }
        @{ Id = 'RC-ILOU123456' }
        @{ Id = 'PE-0000000000' }
    ) {
        { Get-DataShareRecipient -Id $Id -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecipientIdInvalid,DataShareAdmin.Commands.GetDataShareRecipientCommand'
    }

    It 'reports RecipientNotFound for a well-formed id that is not in the register' {
        { Get-DataShareRecipient -Id 'RC-0000000000' -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecipientNotFound,DataShareAdmin.Commands.GetDataShareRecipientCommand'
    }

    It 'reports AgreementNotFound for an unknown agreement' {
        { Get-DataShareRecipient -AgreementId 'NOSUCH1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgreementNotFound,DataShareAdmin.Commands.GetDataShareRecipientCommand'
    }

    Context 'pipelines' {
        It 'Get-DataShareAgreement -Status Active | Get-DataShareRecipient lists the recipients of the active agreements' {
            $expected = @(Get-DataShareAgreement -Status Active -ErrorAction Stop | ForEach-Object {
                    Get-DataShareRecipient -AgreementId $_.Id -ErrorAction Stop
                })

            $found = @(Get-DataShareAgreement -Status Active -ErrorAction Stop |
                    Get-DataShareRecipient -ErrorAction Stop -ErrorVariable problems)

            $problems.Count | Should -Be 0 -Because 'an agreement must never reach -Id as a recipient id'
            $found.Count | Should -Be $expected.Count
            ($found.Id | Sort-Object) -join ',' | Should -Be (($expected.Id | Sort-Object) -join ',')
            $found.AgreementId | Should -Contain 'GET0001'
            $found.AgreementId | Should -Contain 'RA00001'
            $found.AgreementId | Should -Not -Contain 'RP00003' -Because 'a Pending agreement is not Active'
        }

        It 'binds a piped agreement whole to -Agreement, never to -Id' {
            $agreement = Get-DataShareAgreement -Id 'GET0001' -ErrorAction Stop
            $found = @($agreement | Get-DataShareRecipient -ErrorAction Stop)
            $found.Count | Should -Be 2
            (Get-Command Get-DataShareRecipient).Parameters['Id'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } |
                ForEach-Object {
                    $_.ValueFromPipeline | Should -BeFalse
                    $_.ValueFromPipelineByPropertyName | Should -BeFalse
                }
        }

        It 'takes the agreement id from piped recipients (by property name)' {
            $found = @(Get-DataShareRecipient -Id $Hana.Id -ErrorAction Stop | Get-DataShareRecipient -ErrorAction Stop)
            ($found.Id | Sort-Object) -join ',' | Should -Be ((@($Hana.Id, $Ivo.Id) | Sort-Object) -join ',')
        }

        It 'lists an agreement once when several of its recipients are piped in' {
            $found = @(Get-DataShareRecipient -AgreementId 'GET0001' -ErrorAction Stop | Get-DataShareRecipient -ErrorAction Stop)
            $found.Count | Should -Be 2 -Because 'two recipients of one agreement select it twice, but it is listed once'
            ($found.Id | Sort-Object) -join ',' | Should -Be ((@($Hana.Id, $Ivo.Id) | Sort-Object) -join ',')
        }

        It 'lists each agreement once when the same agreement is piped in twice' {
            $agreement = Get-DataShareAgreement -Id 'GET0001' -ErrorAction Stop
            $found = @($agreement, $agreement | Get-DataShareRecipient -ErrorAction Stop)
            $found.Count | Should -Be 2
        }
    }
}

Describe 'Set-DataShareRecipient' {
    BeforeAll {
        $null = New-TestAgreement -Id 'SETR001' -ApprovalReference 'DSAP-SETR1'
        $null = New-TestAgreement -Id 'SETR002' -ApprovalReference 'DSAP-SETR2'
        $Jay = Add-DataShareRecipient -AgreementId 'SETR001' -Name 'Jay Jones' -Email 'jay.jones@example.ac.uk' -Role 'Analyst' -ErrorAction Stop
        $JayElsewhere = Add-DataShareRecipient -AgreementId 'SETR002' -Name 'Jay Jones' -Email 'jay.jones@example.ac.uk' -ErrorAction Stop
        $Yesterday = (Get-Date).Date.AddDays(-1)
    }

    It 'records the role and the declaration on this agreement only' {
        $changed = Set-DataShareRecipient -Id $Jay.Id -Role 'Principal investigator' -DeclarationSignedOn $Yesterday -PassThru -ErrorAction Stop
        $changed.Role | Should -Be 'Principal investigator'
        $changed.DeclarationSignedOn | Should -Be $Yesterday

        $other = Get-DataShareRecipient -Id $JayElsewhere.Id -ErrorAction Stop
        $other.Role | Should -BeNullOrEmpty
        $other.DeclarationSignedOn | Should -BeNullOrEmpty
    }

    It 'records training and a new name on the person, so every agreement sees them' {
        Set-DataShareRecipient -Id $Jay.Id -TrainingCompletedOn $Yesterday -Name 'Jay A. Jones' -ErrorAction Stop

        foreach ($id in $Jay.Id, $JayElsewhere.Id) {
            $recipient = Get-DataShareRecipient -Id $id -ErrorAction Stop
            $recipient.TrainingCompletedOn | Should -Be $Yesterday
            $recipient.Name | Should -Be 'Jay A. Jones'
        }
    }

    It 'clears the role with an empty string' {
        $changed = Set-DataShareRecipient -Id $Jay.Id -Role '' -PassThru -ErrorAction Stop
        $changed.Role | Should -BeNullOrEmpty
    }

    It 'takes recipients from the pipeline' {
        $changed = Get-DataShareRecipient -AgreementId 'SETR002' -Email 'jay.*' -ErrorAction Stop |
            Set-DataShareRecipient -Role 'Data manager' -PassThru -ErrorAction Stop
        $changed.Id | Should -Be $JayElsewhere.Id
        $changed.Role | Should -Be 'Data manager'
    }

    It 'takes recipient ids from a CSV column' {
        $csv = Join-Path $TestDrive 'roles.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @('Id', $Jay.Id)
        Import-Csv -LiteralPath $csv | Set-DataShareRecipient -Role 'Research assistant' -ErrorAction Stop
        (Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop).Role | Should -Be 'Research assistant'
    }

    It 'rejects <Case> with <ErrorId> and changes nothing' -ForEach @(
        @{ Case = 'a malformed recipient id'; Target = 'SETR001'; Change = @{ Role = 'Lead' }; ErrorId = 'RecipientIdInvalid' }
        @{ Case = 'an unknown recipient'; Target = 'RC-0000000000'; Change = @{ Role = 'Lead' }; ErrorId = 'RecipientNotFound' }
        @{ Case = 'a declaration signed in the future'; Target = $null; Change = @{ DeclarationSignedOn = (Get-Date).Date.AddDays(7) }; ErrorId = 'RecipientDateInvalid' }
        @{ Case = 'training completed in the future'; Target = $null; Change = @{ TrainingCompletedOn = (Get-Date).Date.AddDays(7) }; ErrorId = 'RecipientDateInvalid' }
        @{ Case = 'a blank name'; Target = $null; Change = @{ Name = '   ' }; ErrorId = 'RecipientNameMissing' }
    ) {
        $id = if ($Target) { $Target } else { $Jay.Id }
        $was = Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop
        $before = Get-DataShareTestState

        { Set-DataShareRecipient -Id $id @Change -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.SetDataShareRecipientCommand"

        (Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop).Version | Should -Be $was.Version
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses a piped agreement with RecipientIdInvalid, saying to use -AgreementId, rather than take it for a recipient' {
        $before = Get-DataShareTestState

        Get-DataShareAgreement -Id 'SETR001' -ErrorAction Stop | Set-DataShareRecipient -Role 'Lead' -ErrorAction SilentlyContinue -ErrorVariable problems

        $problems.Count | Should -Be 1
        Assert-DataShareError -ErrorRecord $problems[0] -ErrorId 'RecipientIdInvalid' -Category InvalidArgument -Cmdlet 'Set-DataShareRecipient'
        $problems[0].Exception.Message | Should -BeLike '*-AgreementId*'
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
    }

    It 'takes a recipient id in any case, as Get-DataShareRecipient does' {
        $changed = Set-DataShareRecipient -Id $Jay.Id.ToLowerInvariant() -Role 'Analyst' -PassThru -ErrorAction Stop
        $changed.Id | Should -Be $Jay.Id
        $changed.Role | Should -Be 'Analyst'
    }

    It 'takes a recipient id with spaces around it' {
        $changed = Set-DataShareRecipient -Id "  $($Jay.Id.ToLowerInvariant())  " -Role 'Lead analyst' -PassThru -ErrorAction Stop
        $changed.Id | Should -Be $Jay.Id
        (Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop).Role | Should -Be 'Lead analyst'
    }

    It 'takes lower-case recipient ids from a CSV column' {
        $csv = Join-Path $TestDrive 'roles-lower-case.csv'
        Set-Content -LiteralPath $csv -Encoding utf8 -Value @('Id', " $($Jay.Id.ToLowerInvariant())")
        Import-Csv -LiteralPath $csv | Set-DataShareRecipient -Role 'Analyst' -ErrorAction Stop
        (Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop).Role | Should -Be 'Analyst'
    }

    It '-WhatIf changes nothing' {
        $was = Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop
        $before = Get-DataShareTestState

        Set-DataShareRecipient -Id $Jay.Id -Role 'Not applied' -Name 'Not Applied' -WhatIf

        $now = Get-DataShareRecipient -Id $Jay.Id -ErrorAction Stop
        $now.Role | Should -Be $was.Role
        $now.Name | Should -Be $was.Name
        $now.Version | Should -Be $was.Version
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }
}

Describe 'Remove-DataShareRecipient' {
    BeforeAll {
        $null = New-TestAgreement -Id 'REM0001' -ApprovalReference 'DSAP-REM'
        $Kai = Add-DataShareRecipient -AgreementId 'REM0001' -Name 'Kai King' -Email 'kai.king@example.ac.uk' -ErrorAction Stop
        $Lou = Add-DataShareRecipient -AgreementId 'REM0001' -Name 'Lou Lamb' -Email 'lou.lamb@example.ac.uk' -ErrorAction Stop
        $Max = Add-DataShareRecipient -AgreementId 'REM0001' -Name 'Max Mole' -Email 'max.mole@example.ac.uk' -ErrorAction Stop
    }

    It '-WhatIf removes no one' {
        $before = Get-DataShareTestState

        Remove-DataShareRecipient -Id $Kai.Id -Reason 'Not applied' -WhatIf

        (Get-DataShareRecipient -Id $Kai.Id -ErrorAction Stop).IsActive | Should -BeTrue
        @(Get-DataShareRecipient -AgreementId 'REM0001' -ErrorAction Stop).Id | Should -Contain $Kai.Id
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'ends the person''s part and keeps the record for the history' {
        $removed = Remove-DataShareRecipient -Id $Kai.Id -Reason 'Left the project' -PassThru -Confirm:$false -ErrorAction Stop
        $removed.IsActive | Should -BeFalse
        $removed.RemovedAt | Should -Not -BeNullOrEmpty
        $removed.RemovedReason | Should -Be 'Left the project'

        @(Get-DataShareRecipient -AgreementId 'REM0001' -ErrorAction Stop).Id | Should -Not -Contain $Kai.Id
        $history = @(Get-DataShareRecipient -AgreementId 'REM0001' -IncludeRemoved -ErrorAction Stop)
        $history.Id | Should -Contain $Kai.Id
        ($history | Where-Object Id -EQ $Kai.Id).RemovedReason | Should -Be 'Left the project'

        $stored = Get-DataShareRecipient -Id $Kai.Id -ErrorAction Stop
        $stored.IsActive | Should -BeFalse
    }

    It 'writes nothing without -PassThru' {
        $output = Get-DataShareRecipient -Id $Lou.Id -ErrorAction Stop | Remove-DataShareRecipient -Confirm:$false -ErrorAction Stop
        $output | Should -BeNullOrEmpty
        (Get-DataShareRecipient -Id $Lou.Id -ErrorAction Stop).IsActive | Should -BeFalse
    }

    It 'takes a recipient id in any case and with spaces around it' {
        $removed = Remove-DataShareRecipient -Id " $($Max.Id.ToLowerInvariant()) " -Reason 'Moved organisation' -PassThru -Confirm:$false -ErrorAction Stop
        $removed.Id | Should -Be $Max.Id
        $removed.IsActive | Should -BeFalse
        (Get-DataShareRecipient -Id $Max.Id -ErrorAction Stop).IsActive | Should -BeFalse
    }

    It 'refuses to remove twice with RecipientNotActive' {
        $before = Get-DataShareTestState
        { Remove-DataShareRecipient -Id $Kai.Id -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecipientNotActive,DataShareAdmin.Commands.RemoveDataShareRecipientCommand'
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }

    It 'refuses to change a removed recipient with RecipientNotActive' {
        { Set-DataShareRecipient -Id $Kai.Id -Role 'Analyst' -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecipientNotActive,DataShareAdmin.Commands.SetDataShareRecipientCommand'
    }

    It 'adds the same person again with a new place on the agreement' {
        $again = Add-DataShareRecipient -AgreementId 'REM0001' -Name 'Kai King' -Email 'kai.king@example.ac.uk' -ErrorAction Stop
        $again.Id | Should -Not -Be $Kai.Id
        $again.PersonId | Should -Be $Kai.PersonId
        $history = @(Get-DataShareRecipient -AgreementId 'REM0001' -IncludeRemoved -Email 'kai.*' -ErrorAction Stop)
        $history.Count | Should -Be 2
    }

    It 'reports <ErrorId> for <Id>' -ForEach @(
        @{ Id = 'REM0001'; ErrorId = 'RecipientIdInvalid' }
        @{ Id = 'RC-12345'; ErrorId = 'RecipientIdInvalid' }
        @{ Id = 'RC-0000000000'; ErrorId = 'RecipientNotFound' }
    ) {
        $before = Get-DataShareTestState
        { Remove-DataShareRecipient -Id $Id -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,DataShareAdmin.Commands.RemoveDataShareRecipientCommand"
        (Get-DataShareTestState).AuditCount | Should -Be $before.AuditCount
    }
}
