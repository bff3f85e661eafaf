#Requires -Version 7.4
# Disclosure certificates after they are recorded: corrected and removed, imported from a long file (progress), and
# checked online against a loopback stand-in for the DBS Update Service. SafePeople.Tests.ps1 has recording them,
# the age rule, policy and Test-DataShareRecipient.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

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

Describe 'Set-DisclosureCertificate and Remove-DisclosureCertificate' {
    BeforeAll {
        $null = New-TestAgreement -Id 'SPC0001' -ApprovalReference 'DSAP-SPC1'
        $Cy = Add-DataShareRecipient -AgreementId 'SPC0001' -Name 'Cy Correct' -Email 'cy.correct@example.ac.uk' -ErrorAction Stop
        $Kept = Add-DisclosureCertificate -RecipientId $Cy.Id -Issuer DBS -Level Basic -Number '000000700001' -IssuedOn '2025-01-10' -ErrorAction Stop
        $Wrong = Add-DisclosureCertificate -RecipientId $Cy.Id -Issuer DBS -Level Basic -Number '000000700002' -IssuedOn '2025-03-01' -ErrorAction Stop
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-CertificateState

        Get-DisclosureCertificate -Id $Wrong.Id -ErrorAction Stop | Set-DisclosureCertificate -IssuedOn '2025-04-01' -WhatIf
        Remove-DisclosureCertificate -Id $Wrong.Id -WhatIf

        (Get-DisclosureCertificate -Id $Wrong.Id -ErrorAction Stop).IssuedOn | Should -Be ([datetime]'2025-03-01')
        $after = Get-CertificateState
        $after.Certificates | Should -Be $before.Certificates
        $after.AuditCount | Should -Be $before.AuditCount
    }

    It 'corrects a piped certificate, then removes it with a reason, each audited' {
        Get-DisclosureCertificate -Id $Wrong.Id -ErrorAction Stop | Set-DisclosureCertificate -IssuedOn '2025-04-01' -ErrorAction Stop
        (Get-DisclosureCertificate -Id $Wrong.Id -ErrorAction Stop).IssuedOn | Should -Be ([datetime]'2025-04-01')

        Remove-DisclosureCertificate -Id $Wrong.Id -Reason 'Recorded against the wrong person' -Confirm:$false -ErrorAction Stop

        @(Get-DisclosureCertificate -RecipientId $Cy.Id -ErrorAction Stop).Id | Should -Be @($Kept.Id)
        @(Get-DataShareAuditLog -TargetId $Wrong.Id -ErrorAction Stop).Action | Should -Be @('Certificate.Add', 'Certificate.Update', 'Certificate.Remove')
    }

    It 'finds certificates by a -Number wildcard' {
        @(Get-DisclosureCertificate -Number '00000070000*' -ErrorAction Stop).Id | Should -Be @($Kept.Id)
    }
}

Describe 'Import-DisclosureCertificate on a long file' {
    BeforeAll {
        $null = New-TestAgreement -Id 'SPL0001' -ApprovalReference 'DSAP-SPL1'
        $LongFile = Join-Path $TestDrive 'many.csv'
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add('Email,Number,Issuer,Level,IssuedOn')
        foreach ($i in 0..209) {
            $null = Add-DataShareRecipient -AgreementId 'SPL0001' -Name "Person $i" -Email "p$i@long.example.ac.uk" -ErrorAction Stop
            $lines.Add(('p{0}@long.example.ac.uk,{1:D12},DBS,Basic,2025-01-01' -f $i, (800000 + $i)))
        }

        Set-Content -LiteralPath $LongFile -Value $lines -Encoding utf8
    }

    It 'reports progress under one activity and always completes the bar' {
        $run = Invoke-DataShareTestRunspace -ScriptBlock {
            param($Path)
            Import-DisclosureCertificate -Path $Path
        } -ArgumentList $LongFile

        $run.Error | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 210
        @($run.Progress.RecordType) | Should -Be @('Processing', 'Processing', 'Completed')
        @($run.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        $run.Progress[-1].StatusDescription | Should -Be '210 rows'
    }
}

Describe 'Test-DisclosureCertificate -Online against a loopback stand-in for the DBS Update Service' {
    BeforeAll {
        # Answers every status check with NEW_INFO, in the service's XML, and records the request targets.
        $Requests = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
        $listener = [System.Net.HttpListener]::new()
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = ([System.Net.IPEndPoint]$probe.LocalEndpoint).Port
        $probe.Stop()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $Service = [pscustomobject]@{ Listener = $listener; Uri = "http://127.0.0.1:$port"; Server = [powershell]::Create() }
        $null = $Service.Server.AddScript({
                param($Listener, $Requests)
                while ($Listener.IsListening) {
                    try {
                        $context = $Listener.GetContext()
                    }
                    catch {
                        break
                    }

                    $Requests.Enqueue($context.Request.RawUrl)
                    $body = [System.Text.Encoding]::UTF8.GetBytes('<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>NEW_INFO</status><forename>IVY</forename><surname>ONLINE</surname><printDate>01/03/2025</printDate></statusCheckResult>')
                    $context.Response.ContentType = 'application/xml'
                    $context.Response.ContentLength64 = $body.Length
                    $context.Response.OutputStream.Write($body, 0, $body.Length)
                    $context.Response.Close()
                }
            }).AddArgument($listener).AddArgument($Requests)
        $Service | Add-Member -NotePropertyName Handle -NotePropertyValue $Service.Server.BeginInvoke()

        $null = New-TestAgreement -Id 'SPO0001' -ApprovalReference 'DSAP-SPO1'
        $Ivy = Add-DataShareRecipient -AgreementId 'SPO0001' -Name 'Ivy Online' -Email 'ivy.online@example.ac.uk' -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $Ivy.Id -Issuer DBS -Level Enhanced -Number '001234567890' -IssuedOn '2025-03-01' `
            -HolderName 'Ivy Online' -DateOfBirth '1990-04-01' -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $Ivy.Id -Issuer DisclosureScotland -Level 'Level 1' -Number '1234567890123456' -IssuedOn '2024-01-10' -ErrorAction Stop
        foreach ($setting in @(
                @{ Name = 'DbsUpdateServiceUri'; Value = $Service.Uri }
                @{ Name = 'DbsOrganisationName'; Value = 'Example Council' }
                @{ Name = 'DbsCheckerForename'; Value = 'Alex' }
                @{ Name = 'DbsCheckerSurname'; Value = 'Checker' }
            )) {
            Set-DataSharePolicy @setting -Confirm:$false -ErrorAction Stop
        }
    }

    AfterAll {
        foreach ($name in 'DbsOrganisationName', 'DbsCheckerForename', 'DbsCheckerSurname', 'DbsUpdateServiceUri') {
            Set-DataSharePolicy -Name $name -Default -Confirm:$false -ErrorAction SilentlyContinue
        }

        $Service.Listener.Stop()
        $Service.Listener.Close()
        $null = $Service.Handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(10))
        $Service.Server.Dispose()
    }

    It 'asks the configured service about the enhanced certificate only, and keeps the personal data out of every stream and the audit log' {
        $DebugPreference = 'Continue'
        $records = @(Get-DisclosureCertificate -RecipientId $Ivy.Id -ErrorAction Stop |
                Test-DisclosureCertificate -Online -AsOf '2026-06-01' -Verbose -ErrorAction Stop 3>&1 4>&1 5>&1 6>&1)
        $DebugPreference = 'SilentlyContinue'

        $verdicts = @($records | Where-Object { $_ -is [DataShareAdmin.CertificateTestResult] })
        $dbs = $verdicts | Where-Object Issuer -EQ 'DBS'
        $dbs.IsValid | Should -BeFalse -Because 'NEW_INFO means the certificate no longer stands'
        $dbs.OnlineStatus | Should -Be 'NEW_INFO'
        ($verdicts | Where-Object Issuer -EQ 'DisclosureScotland').OnlineStatus | Should -Be 'NotAvailable'

        $asked = @($Requests.ToArray())
        $asked.Count | Should -Be 1
        $asked[0] | Should -BeLike '/crsc/api/status/001234567890?*'
        $asked[0] | Should -BeLike '*dateOfBirth=01%2F04%2F1990*'

        $said = @($records | Where-Object { $_ -isnot [DataShareAdmin.CertificateTestResult] } | ForEach-Object { "$_" }) -join "`n"
        foreach ($personal in '001234567890', '1990', 'Online', 'crsc') {
            $said | Should -Not -BeLike "*$personal*"
        }

        $audit = @(Get-DataShareAuditLog -ErrorAction Stop | ForEach-Object { $_.Details.Values }) -join "`n"
        $audit | Should -Not -BeLike '*001234567890*'
        $audit | Should -Not -BeLike '*1990*'
    }
}
