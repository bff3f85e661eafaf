#Requires -Version 7.4
# The hash-chained audit log: what each change appends, Get-DataShareAuditLog's filters, and
# Test-DataShareAuditLog. Tampering with the register file itself is covered by the xunit suite, which can open
# the SQLite file directly; here the log is only ever written through the cmdlets.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $GenesisHash = '0' * 64

    function Get-LastAuditEntry {
        Get-DataShareAuditLog -ErrorAction Stop | Select-Object -Last 1
    }

    function Get-AuditCount {
        @(Get-DataShareAuditLog -ErrorAction Stop).Count
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'A new register' {
    It 'has an empty, intact log whose head is 0:' {
        @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be 0

        $result = Test-DataShareAuditLog -ErrorAction Stop
        $result.IsIntact | Should -BeTrue
        $result.EntryCount | Should -Be 0
        $result.HeadSequence | Should -Be 0
        $result.Head | Should -Be '0:'
        $result.FirstBadSequence | Should -BeNullOrEmpty
    }

    It 'accepts 0: as the expected head' {
        (Test-DataShareAuditLog -ExpectedHead '0:' -ErrorAction Stop).IsIntact | Should -BeTrue
    }

    It 'refuses <ExpectedHead> (sequence 0 with something after the colon) with AuditHeadInvalid' -ForEach @(
        @{ ExpectedHead = '0:x' }
        @{ ExpectedHead = '0:' + ('a' * 64) }
    ) {
        { Test-DataShareAuditLog -ExpectedHead $ExpectedHead -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditHeadInvalid,DataShareAdmin.Commands.TestDataShareAuditLogCommand'
    }
}

Describe 'Every change appends an entry' {
    It 'New-DataShareOrganisation appends Organisation.Create' {
        $count = Get-AuditCount
        $organisation = New-DataShareOrganisation -Name 'Audit University' -Address '1 Audit Road' `
            -ProtectionOfficerName 'Dee Peo' -ProtectionOfficerEmail 'dpo@audit.example.ac.uk' -ErrorAction Stop

        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Organisation.Create'
        $entry.TargetType | Should -Be 'Organisation'
        $entry.TargetId | Should -Be $organisation.Id
        $entry.Details['Name'] | Should -Be 'Audit University'
        $entry.Details['Address'] | Should -Be '1 Audit Road'
        $entry.Details['ProtectionOfficerName'] | Should -Be 'Dee Peo'
        $entry.Details['ProtectionOfficerEmail'] | Should -Be 'dpo@audit.example.ac.uk'
    }

    It 'New-DataShareAgreement appends Agreement.Create' {
        # The organisation is in the register already (the test before), so only the agreement is added.
        $organisation = Initialize-DataShareTestOrganisation -Name 'Audit University'
        $count = Get-AuditCount
        $agreement = New-TestAgreement -Organisation 'Audit University'

        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry | Should -BeOfType ([DataShareAdmin.AuditEntry])
        $entry.Action | Should -Be 'Agreement.Create'
        $entry.TargetType | Should -Be 'Agreement'
        $entry.TargetId | Should -Be $agreement.Id
        $entry.Details['Organisation'] | Should -Be 'Audit University'
        $entry.Details['OrganisationId'] | Should -Be $organisation.Id
        $entry.Details['DataItems'] | Should -Be 'KS2 attainment:B3; Attendance:C2'
        # A SQLite register names the machine's own user and the machine.
        $entry.Actor | Should -Be ([System.Environment]::UserName)
        $entry.Machine | Should -Be ([System.Environment]::MachineName)
        $entry.Hash | Should -Match '^[0-9a-f]{64}$'
    }

    It 'Approve-DataShareAgreement appends Agreement.Approve' {
        $agreement = New-TestAgreement
        $count = Get-AuditCount
        Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-AUDIT-1' -ApprovedOn '2025-01-15' -ErrorAction Stop

        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Agreement.Approve'
        $entry.TargetId | Should -Be $agreement.Id
        $entry.Details['ApprovalReference'] | Should -Be 'DSAP-AUDIT-1'
        $entry.Details['ApprovedOn'] | Should -Be '2025-01-15'
    }

    It 'Set-DataShareAgreement appends Agreement.Update with what changed' {
        $agreement = New-TestAgreement -Title 'Before'
        $count = Get-AuditCount
        Set-DataShareAgreement -Id $agreement.Id -Title 'After' -ErrorAction Stop

        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Agreement.Update'
        $entry.TargetId | Should -Be $agreement.Id
        $entry.Details['Title'] | Should -Be 'Before -> After'
    }

    It 'Set-DataShareAgreement -Suspended appends Agreement.Suspension' {
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-AUDIT-2'
        $count = Get-AuditCount
        Set-DataShareAgreement -Id $agreement.Id -Suspended $true -ErrorAction Stop

        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Agreement.Suspension'
        $entry.TargetId | Should -Be $agreement.Id
        $entry.Details.ContainsKey('IsSuspended') | Should -BeTrue
    }

    It 'Set-DataShareAgreement appends Agreement.Suspension only when the suspension changes' {
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-AUDIT-5'
        Set-DataShareAgreement -Id $agreement.Id -Suspended $true -ErrorAction Stop
        $count = Get-AuditCount

        # -Suspended repeating the current value, with another change: an ordinary update.
        Set-DataShareAgreement -Id $agreement.Id -Suspended $true -Title 'Retitled while suspended' -ErrorAction Stop
        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Agreement.Update'
        $entry.Details.ContainsKey('IsSuspended') | Should -BeFalse
        $entry.Details['Title'] | Should -BeLike '* -> Retitled while suspended'

        # -Suspended repeating the current value on its own: nothing changes, nothing is audited.
        Set-DataShareAgreement -Id $agreement.Id -Suspended $true -ErrorAction Stop
        Get-AuditCount | Should -Be ($count + 1)

        # Lifting the suspension together with another change: one Agreement.Suspension entry listing both.
        Set-DataShareAgreement -Id $agreement.Id -Suspended $false -Title 'Back in use' -ErrorAction Stop
        Get-AuditCount | Should -Be ($count + 2)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Agreement.Suspension'
        $entry.Details.ContainsKey('IsSuspended') | Should -BeTrue
        $entry.Details.ContainsKey('Title') | Should -BeTrue
    }

    It 'Set-DataShareOrganisation appends Organisation.Update with what changed, and nothing for the agreements that follow a rename' {
        $organisation = New-DataShareOrganisation -Name 'Rename Me College' -ErrorAction Stop
        $agreement = New-TestAgreement -Organisation 'Rename Me College'
        $count = Get-AuditCount

        Set-DataShareOrganisation -Organisation $organisation.Id -NewName 'Renamed College' -ProtectionOfficerEmail 'dpo@renamed.example.ac.uk' -ErrorAction Stop

        Get-AuditCount | Should -Be ($count + 1) -Because 'the agreements follow the rename without entries of their own'
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Organisation.Update'
        $entry.TargetType | Should -Be 'Organisation'
        $entry.TargetId | Should -Be $organisation.Id
        $entry.Details['Name'] | Should -Be 'Rename Me College -> Renamed College'
        $entry.Details['ProtectionOfficerEmail'] | Should -Be '(none) -> dpo@renamed.example.ac.uk'
        $entry.Details.ContainsKey('Address') | Should -BeFalse
        (Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop).Organisation | Should -Be 'Renamed College'
    }

    It 'Add-DataShareSecurityAssessment appends Organisation.Assessment' {
        $organisation = Initialize-DataShareTestOrganisation -Name 'Audit University'
        $count = Get-AuditCount

        $assessment = Add-DataShareSecurityAssessment -Organisation 'Audit University' -AssessedOn '2025-03-02' -Outcome Passed `
            -Reference 'ISQ-AUDIT-1' -ErrorAction Stop

        Get-AuditCount | Should -Be ($count + 1)
        $entry = Get-LastAuditEntry
        $entry.Action | Should -Be 'Organisation.Assessment'
        $entry.TargetType | Should -Be 'Organisation'
        $entry.TargetId | Should -Be $organisation.Id
        $entry.Details['AssessmentId'] | Should -Be $assessment.Id
        $entry.Details['Reference'] | Should -Be 'ISQ-AUDIT-1'
        $entry.Details['AssessedOn'] | Should -Be '2025-03-02'
        $entry.Details['ValidUntil'] | Should -Be '2026-03-02'
        $entry.Details['Outcome'] | Should -Be 'Passed'
    }

    It 'Add-, Set- and Remove-DataShareRecipient append Recipient.Add, Recipient.Update and Recipient.Remove' {
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-AUDIT-3'
        $count = Get-AuditCount

        $recipient = Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Mo Moss' -Email 'mo.moss@example.ac.uk' -ErrorAction Stop
        $added = Get-LastAuditEntry
        $added.Action | Should -Be 'Recipient.Add'
        $added.TargetType | Should -Be 'Recipient'
        $added.TargetId | Should -Be $recipient.Id
        $added.Details['AgreementId'] | Should -Be $agreement.Id
        $added.Details['PersonId'] | Should -Be $recipient.PersonId
        $added.Details['Email'] | Should -Be 'mo.moss@example.ac.uk'

        Set-DataShareRecipient -Id $recipient.Id -Role 'Analyst' -ErrorAction Stop
        $updated = Get-LastAuditEntry
        $updated.Action | Should -Be 'Recipient.Update'
        $updated.TargetId | Should -Be $recipient.Id
        $updated.Details['Role'] | Should -Be ' -> Analyst'
        $updated.Details['AgreementId'] | Should -Be $agreement.Id

        Remove-DataShareRecipient -Id $recipient.Id -Reason 'Left the project' -Confirm:$false -ErrorAction Stop
        $removed = Get-LastAuditEntry
        $removed.Action | Should -Be 'Recipient.Remove'
        $removed.TargetId | Should -Be $recipient.Id
        $removed.Details['Reason'] | Should -Be 'Left the project'

        Get-AuditCount | Should -Be ($count + 3)
    }

    It 'appends nothing for -WhatIf, for a change that changes nothing, or for a rejected change' {
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-AUDIT-4'
        $recipient = Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Ned Nash' -Email 'ned.nash@example.ac.uk' -ErrorAction Stop
        $count = Get-AuditCount

        $newAgreement = Get-DataShareTestAgreementParameter
        New-DataShareAgreement @newAgreement -WhatIf
        Set-DataShareAgreement -Id $agreement.Id -Title 'Not applied' -WhatIf
        Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Ola Oak' -Email 'ola.oak@example.ac.uk' -WhatIf
        Remove-DataShareRecipient -Id $recipient.Id -WhatIf
        Set-DataShareAgreement -Id $agreement.Id -Title $agreement.Title -ErrorAction Stop
        Set-DataShareRecipient -Id $recipient.Id -Name 'Ned Nash' -ErrorAction Stop
        Approve-DataShareAgreement @PanelTests -Id $agreement.Id -Reference 'DSAP-AGAIN' -ErrorAction SilentlyContinue

        Get-AuditCount | Should -Be $count
    }

    It 'appends nothing for the organisation cmdlets'' -WhatIf, changes that change nothing, or rejected changes' {
        $organisation = Initialize-DataShareTestOrganisation -Name 'Audit University'
        $null = Add-DataShareSecurityAssessment -Organisation $organisation.Id -AssessedOn '2025-01-05' -Outcome Passed -Reference 'ISQ-AUDIT-DUP' -ErrorAction Stop
        $count = Get-AuditCount

        New-DataShareOrganisation -Name 'Never Recorded Ltd' -WhatIf
        New-DataShareOrganisation -Name 'audit university' -ErrorAction SilentlyContinue
        Set-DataShareOrganisation -Organisation $organisation.Id -NewName 'Not Applied' -WhatIf
        Set-DataShareOrganisation -Organisation $organisation.Id -NewName $organisation.Name -ErrorAction Stop
        Add-DataShareSecurityAssessment -Organisation $organisation.Id -AssessedOn '2025-01-10' -Outcome Passed -Reference 'ISQ-NEVER' -WhatIf
        Add-DataShareSecurityAssessment -Organisation $organisation.Id -AssessedOn '2025-01-10' -Outcome Passed -Reference 'isq-audit-dup' -ErrorAction SilentlyContinue
        $agreement = Get-DataShareTestAgreementParameter -Organisation 'Not In The Register Ltd'
        New-DataShareAgreement @agreement -ErrorAction SilentlyContinue

        Get-AuditCount | Should -Be $count
    }
}

Describe 'The chain' {
    BeforeAll {
        # At least a few entries, whatever ran before.
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-CHAIN'
        $null = Add-DataShareRecipient -AgreementId $agreement.Id -Name 'Pia Park' -Email 'pia.park@example.ac.uk' -ErrorAction Stop
        $ChainAgreementId = $agreement.Id
        $Entries = @(Get-DataShareAuditLog -ErrorAction Stop)
    }

    It 'numbers entries from 1 without gaps and links each to the one before' {
        $Entries.Count | Should -BeGreaterOrEqual 3
        $previousHash = $GenesisHash
        for ($i = 0; $i -lt $Entries.Count; $i++) {
            $Entries[$i].Sequence | Should -Be ($i + 1)
            $Entries[$i].PreviousHash | Should -Be $previousHash
            $Entries[$i].Hash | Should -Match '^[0-9a-f]{64}$'
            $previousHash = $Entries[$i].Hash
        }
    }

    It 'filters by action with wildcards' {
        $recipientEntries = @(Get-DataShareAuditLog -Action 'recipient.*' -ErrorAction Stop)
        $recipientEntries.Count | Should -BeGreaterThan 0
        $recipientEntries | ForEach-Object { $_.Action | Should -BeLike 'Recipient.*' }

        $creates = @(Get-DataShareAuditLog -Action 'Agreement.Create' -ErrorAction Stop)
        $creates.Count | Should -Be @($Entries | Where-Object Action -EQ 'Agreement.Create').Count
    }

    It 'filters by target, including the recipient entries of an agreement' {
        $about = @(Get-DataShareAuditLog -TargetId $ChainAgreementId -ErrorAction Stop)
        $about.Action | Should -Be @('Agreement.Create', 'Agreement.Approve', 'Recipient.Add')
    }

    It 'takes the target from piped objects with an Id' {
        $about = @(Get-DataShareAgreement -Id $ChainAgreementId -ErrorAction Stop | Get-DataShareAuditLog -ErrorAction Stop)
        $about.Count | Should -Be 3
    }

    It 'reads from a sequence number on' {
        $tail = @(Get-DataShareAuditLog -FromSequence 2 -ErrorAction Stop)
        $tail[0].Sequence | Should -Be 2
        $tail.Count | Should -Be ($Entries.Count - 1)
    }

    It 'filters by time' {
        @(Get-DataShareAuditLog -Before (Get-Date).AddDays(1) -ErrorAction Stop).Count | Should -Be $Entries.Count
        @(Get-DataShareAuditLog -After (Get-Date).AddDays(1) -ErrorAction Stop).Count | Should -Be 0
    }
}

Describe 'Test-DataShareAuditLog' {
    BeforeAll {
        $null = New-TestAgreement -ApprovalReference 'DSAP-TEST'
    }

    It 'reports a good log as intact, with its head as sequence:hash' {
        $last = Get-LastAuditEntry
        $result = Test-DataShareAuditLog -ErrorAction Stop

        $result | Should -BeOfType ([DataShareAdmin.AuditLogTestResult])
        $result.IsIntact | Should -BeTrue
        $result.EntryCount | Should -Be (Get-AuditCount)
        $result.HeadSequence | Should -Be $last.Sequence
        $result.HeadHash | Should -Be $last.Hash
        $result.Head | Should -Be ('{0}:{1}' -f $last.Sequence, $last.Hash)
        $result.Head | Should -Match '^\d+:[0-9a-f]{64}$'
        $result.FirstBadSequence | Should -BeNullOrEmpty
        $result.Problem | Should -BeNullOrEmpty
        $result.Register | Should -Not -BeNullOrEmpty
    }

    It 'passes with the current head as -ExpectedHead, and still after later changes' {
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head
        (Test-DataShareAuditLog -ExpectedHead $head -ErrorAction Stop).IsIntact | Should -BeTrue

        $null = New-TestAgreement
        $later = Test-DataShareAuditLog -ExpectedHead $head -ErrorAction Stop
        $later.IsIntact | Should -BeTrue
        $later.Head | Should -Not -Be $head
    }

    It 'takes the expected head by position' {
        $head = (Test-DataShareAuditLog -ErrorAction Stop).Head
        (Test-DataShareAuditLog $head -ErrorAction Stop).IsIntact | Should -BeTrue
    }

    It 'reports an -ExpectedHead whose hash is wrong as not intact, with FirstBadSequence' {
        $current = Test-DataShareAuditLog -ErrorAction Stop
        # Flip every character, so the hash is well-formed but certainly different.
        $wrongHash = -join ($current.HeadHash.ToCharArray() | ForEach-Object { if ($_ -eq '0') { '1' } else { '0' } })
        $expected = '{0}:{1}' -f $current.HeadSequence, $wrongHash

        $result = Test-DataShareAuditLog -ExpectedHead $expected -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable warnings

        $result.IsIntact | Should -BeFalse
        $result.FirstBadSequence | Should -Be $current.HeadSequence
        $result.Problem | Should -Not -BeNullOrEmpty
        @($warnings).Count | Should -Be 1 -Because 'a broken chain is announced as a warning too'
    }

    It 'reports an -ExpectedHead beyond the end of the log as entries removed' {
        $current = Test-DataShareAuditLog -ErrorAction Stop
        $expected = '{0}:{1}' -f ($current.HeadSequence + 5), $current.HeadHash

        $result = Test-DataShareAuditLog -ExpectedHead $expected -ErrorAction Stop -WarningAction SilentlyContinue

        $result.IsIntact | Should -BeFalse
        $result.FirstBadSequence | Should -Be ($current.HeadSequence + 1)
    }

    It 'accepts the hash of -ExpectedHead in upper case' {
        $current = Test-DataShareAuditLog -ErrorAction Stop
        $expected = '{0}:{1}' -f $current.HeadSequence, $current.HeadHash.ToUpperInvariant()
        (Test-DataShareAuditLog -ExpectedHead $expected -ErrorAction Stop).IsIntact | Should -BeTrue
    }

    It 'rejects the malformed -ExpectedHead <ExpectedHead> with AuditHeadInvalid' -ForEach @(
        @{ ExpectedHead = 'nonsense' }
        @{ ExpectedHead = 'abc:def' }
        @{ ExpectedHead = ':0123' }
        @{ ExpectedHead = '3:xyz' }
        @{ ExpectedHead = '3:0123456789abcdef' }
        @{ ExpectedHead = '3:' + ('g' * 64) }
        @{ ExpectedHead = '-1:' + ('a' * 64) }
        @{ ExpectedHead = '0:x' }
    ) {
        { Test-DataShareAuditLog -ExpectedHead $ExpectedHead -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditHeadInvalid,DataShareAdmin.Commands.TestDataShareAuditLogCommand'
    }
}

# Someone with write access to the register file changes the log around the module (here with the sqlite3 shell).
# The engine's tests change every column on both backends; these show what a user sees.
Describe 'A log changed outside the module' {
    BeforeAll {
        $Sqlite = Get-Command sqlite3 -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        $TamperedPath = Join-Path $TestDrive 'tampered.db'

        function Invoke-RawSql([string] $Sql) {
            $Sql | & $Sqlite.Source $TamperedPath
            if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed on: $Sql" }
        }
    }

    BeforeEach {
        if ($null -eq $Sqlite) {
            Set-ItResult -Skipped -Because 'the sqlite3 shell is not on PATH, and these tests change the register file with it (apt-get install sqlite3)'
            return
        }

        Remove-Item -LiteralPath $TamperedPath, "$TamperedPath-wal", "$TamperedPath-shm" -ErrorAction Ignore
        Connect-DataShareRegister -Path $TamperedPath -Create -ErrorAction Stop
        foreach ($name in 'Tamper One', 'Tamper Two', 'Tamper Three') {
            $null = New-DataShareOrganisation -Name $name -ErrorAction Stop
        }
    }

    AfterAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'Test-DataShareAuditLog reports details that are <Case> as a broken entry, counting the whole log, without an error' -ForEach @(
        @{ Case = 'JSON null'; Details = 'null' }
        @{ Case = 'an array'; Details = '[]' }
        @{ Case = 'a number'; Details = '42' }
        @{ Case = 'not JSON'; Details = '{"Name":' }
        @{ Case = 'a key twice'; Details = '{"Name":"Tamper Two","Name":"Tamper Two"}' }
    ) {
        Invoke-RawSql "UPDATE audit_log SET details = '$Details' WHERE sequence = 2;"

        $result = Test-DataShareAuditLog -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable warnings

        $result.IsIntact | Should -BeFalse
        $result.FirstBadSequence | Should -Be 2
        $result.EntryCount | Should -Be 3
        $result.Problem | Should -Match 'Entry 2'
        @($warnings).Count | Should -Be 1
    }

    It 'Test-DataShareAuditLog reports a re-formatted time and a row numbered 0' {
        Invoke-RawSql "UPDATE audit_log SET timestamp = replace(timestamp, 'T', ' ') WHERE sequence = 3;"
        $result = Test-DataShareAuditLog -ErrorAction Stop -WarningAction SilentlyContinue
        ($result.IsIntact, $result.FirstBadSequence, $result.EntryCount) | Should -Be @($false, 3, 3)

        Invoke-RawSql 'INSERT INTO audit_log SELECT 0, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash FROM audit_log WHERE sequence = 1;'
        $result = Test-DataShareAuditLog -ErrorAction Stop -WarningAction SilentlyContinue
        ($result.IsIntact, $result.FirstBadSequence, $result.EntryCount) | Should -Be @($false, 0, 4)
    }

    It 'Get-DataShareAuditLog shows every entry, the unreadable one with its Problem, and an AuditEntryUnreadable error for it' {
        Invoke-RawSql "UPDATE audit_log SET details = 'null' WHERE sequence = 2;"

        $entries = @(Get-DataShareAuditLog -ErrorAction SilentlyContinue -ErrorVariable problems)

        $entries.Sequence | Should -Be @(1, 2, 3)
        $entries[1].Action | Should -Be 'Organisation.Create'
        $entries[1].Problem | Should -Match 'not a JSON object'
        $entries[0].Problem | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'AuditEntryUnreadable,DataShareAdmin.Commands.GetDataShareAuditLogCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject.Sequence | Should -Be 2
        { Get-DataShareAuditLog -ErrorAction Stop } | Should -Throw -ErrorId 'AuditEntryUnreadable,DataShareAdmin.Commands.GetDataShareAuditLogCommand'
    }

    It 'Get-DataShareAuditLog shows a row numbered below 1 unless -FromSequence is given' {
        Invoke-RawSql 'INSERT INTO audit_log SELECT -4, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash FROM audit_log WHERE sequence = 1;'

        @(Get-DataShareAuditLog -ErrorAction Stop).Sequence | Should -Be @(-4, 1, 2, 3)
        @(Get-DataShareAuditLog -FromSequence 1 -ErrorAction Stop).Sequence | Should -Be @(1, 2, 3)
    }

    It 'refuses a change whose audit entry would chain onto a head stored in another form, with AuditHeadUnreadable, and writes nothing' {
        Invoke-RawSql "UPDATE audit_head SET hash = CAST(hash AS BLOB) WHERE id = 1;"

        { New-DataShareOrganisation -Name 'Tamper Four' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditHeadUnreadable,DataShareAdmin.Commands.NewDataShareOrganisationCommand'
        $error[0].CategoryInfo.Category | Should -Be 'InvalidData'
        @(Get-DataShareOrganisation -ErrorAction Stop).Count | Should -Be 3
        @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be 3
        (Test-DataShareAuditLog -WarningAction SilentlyContinue).Problem | Should -Match 'head'
    }
}
