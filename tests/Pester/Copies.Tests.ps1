#Requires -Version 7.4
# No untracked copies, as a PowerShell user meets it: New-DataShareTransfer refuses links in the extract, a transfer
# that fails stays in the register as Incomplete with its container a Pending holding due at once, its own writes whose
# answers are lost are taken as done. Against a fresh register in $TestDrive and a private Azurite reached through the
# fault-injecting proxy (tests/DataShareAdmin.TestSupport/FaultProxy.ps1, from the built test support assembly).
#
# The storage tests need node on PATH and Azurite installed in tests/azurite. Without either they are skipped, and the
# Describe's name says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Untracked copies against Azurite' -TestFileName 'Copies.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')
    . (Join-Path $PSScriptRoot '../DataShareAdmin.TestSupport/FaultProxy.ps1')

    # Yesterday is never in the future in the register's zone (Europe/London), wherever the machine is.
    $Yesterday = (Get-Date).Date.AddDays(-1)

    # Today as the register judges days: in Europe/London.
    $RegisterToday = [System.TimeZoneInfo]::ConvertTimeBySystemTimeZoneId([datetime]::UtcNow, 'Europe/London').Date

    function Get-CopiesState {
        [pscustomobject]@{
            Transfers  = @(Get-DataShareTransfer -ErrorAction Stop).Count
            Holdings   = @(Get-DataShareHolding -IncludeDestroyed -ErrorAction Stop).Count
            AuditCount = @(Get-DataShareAuditLog -ErrorAction Stop).Count
            Containers = @($Blobs.ListContainers()).Count
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
        $Azurite = Start-TestAzurite
        $Proxy = Start-TestFaultProxy -Upstream $Azurite.BlobEndpoint
        Connect-DataShareStorage -ConnectionString (Get-TestFaultProxyConnectionString -Proxy $Proxy -BlobEndpoint $Azurite.BlobEndpoint) -AllowHttpLoopback -ErrorAction Stop
        $Blobs = [DataShareAdmin.TestSupport.BlobRest]::new([uri] $Azurite.BlobEndpoint, 'devstoreaccount1',
            'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')

        $null = New-TestAgreement -Id 'CPY0001' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-CPY1'
        $null = Initialize-DataShareTestOrganisation -PassedAssessment
        $recipient = Add-DataShareRecipient -AgreementId 'CPY0001' -Name 'Rae Ready' -Email 'rae.ready@example.ac.uk' -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number '000000500001' `
            -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
        Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop

        $Extract = Join-Path $TestDrive 'extract'
        $null = New-Item -ItemType Directory -Path (Join-Path $Extract 'sub') -Force
        [System.IO.File]::WriteAllText((Join-Path $Extract 'pupils.csv'), "upn,ks2`nA123,105`n")
        [System.IO.File]::WriteAllText((Join-Path $Extract 'sub/schools.csv'), "urn`n1`n")
        $Outside = Join-Path $TestDrive 'outside'
        $null = New-Item -ItemType Directory -Path $Outside -Force
        [System.IO.File]::WriteAllText((Join-Path $Outside 'secret.csv'), "not,for,this,agreement`n")
    }

    AfterEach {
        $Proxy.ClearRules()
    }

    AfterAll {
        if ($null -ne $Blobs) { $Blobs.Dispose() }
        Stop-TestFaultProxy -Proxy $Proxy
        Stop-TestAzurite -Azurite $Azurite
    }

    Context 'links in the extract' {
        It 'refuses a <Case> with TransferPathIsLink, naming it, and records and creates nothing' -ForEach @(
            @{ Case = 'folder link inside the extract'; Link = 'lookups'; Folder = $true; Send = 'extract' }
            @{ Case = 'file link inside the extract'; Link = 'sub/secret.csv'; Folder = $false; Send = 'extract' }
            @{ Case = 'file link given as -Path'; Link = 'latest.csv'; Folder = $false; Send = 'link' }
        ) {
            $target = if ($Folder) { $Outside } else { Join-Path $Outside 'secret.csv' }
            $linkPath = if ($Send -eq 'extract') { Join-Path $Extract $Link } else { Join-Path $TestDrive $Link }
            $null = New-Item -ItemType SymbolicLink -Path $linkPath -Target $target -ErrorAction Stop
            $send = if ($Send -eq 'extract') { $Extract } else { $linkPath }
            $before = Get-CopiesState
            try {
                $output = @(New-DataShareTransfer -AgreementId 'CPY0001' -Path $send -ValidFor '01:00:00' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)
            }
            finally {
                Remove-Item -LiteralPath $linkPath -Force
            }

            $output.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'TransferPathIsLink,DataShareAdmin.Commands.NewDataShareTransferCommand'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $err[0].Exception.Target | Should -Be $linkPath
            $err[0].Exception.Message | Should -BeLike "*'$linkPath' is a link to '$target'*"
            $err[0].Exception.Message | Should -Not -BeLike '*changed size*'
            $after = Get-CopiesState
            $after.Transfers | Should -Be $before.Transfers
            $after.AuditCount | Should -Be $before.AuditCount
            $after.Containers | Should -Be $before.Containers
        }
    }

    Context 'a transfer that fails' {
        BeforeAll {
            # The storage account refuses the second file: the container is made and the first file is in it by then.
            $null = $Proxy.Add([DataShareAdmin.TestSupport.FaultRule]::Answer('PUT', '/sub/schools\.csv$', 403, 'AuthorizationPermissionMismatch'))
            $before = Get-CopiesState
            New-DataShareTransfer -AgreementId 'CPY0001' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failure
            $Failure = $failure
            $Before = $before
            $Failed = @(Get-DataShareTransfer -AgreementId 'CPY0001' -Incomplete -ErrorAction Stop)
        }

        It 'fails with the storage''s error, saying no link was issued and the container was removed' {
            $Failure.Count | Should -Be 1
            $Failure[0].FullyQualifiedErrorId | Should -Be 'StorageAuthorizationFailed,DataShareAdmin.Commands.NewDataShareTransferCommand'
            $Failure[0].Exception.Message | Should -BeLike '*No link was issued*was removed, so nothing is left behind*recorded as incomplete*'
            @($Blobs.ListContainers()).Count | Should -Be $Before.Containers
        }

        It 'is listed by Get-DataShareTransfer -Incomplete with the files it was sending, and no hash' {
            $Failed.Count | Should -Be 1
            $Failed[0].Status | Should -Be ([DataShareAdmin.TransferStatus]::Incomplete)
            $Failed[0].State | Should -Be ([DataShareAdmin.TransferState]::Incomplete)
            $Failed[0].Files.Name | Should -Be @('pupils.csv', 'sub/schools.csv')
            $Failed[0].Files.Sha256 | Should -Be @('', '')
            $Failed[0].Note | Should -BeLike "No link was issued*holding $($Failed[0].HoldingId), due for deletion on $($RegisterToday.ToString('yyyy-MM-dd'))*"
            @(Get-DataShareTransfer -AgreementId 'CPY0001' -Active -ErrorAction Stop).Id | Should -Not -Contain $Failed[0].Id
        }

        It 'leaves its container as a Pending holding, due today, with its own reason in the plan' {
            $holding = Get-DataShareHolding -Id $Failed[0].HoldingId -ErrorAction Stop
            $holding.State | Should -Be ([DataShareAdmin.HoldingState]::Pending)
            $holding.DueOn | Should -Be $RegisterToday
            $holding.TransferId | Should -Be $Failed[0].Id

            $item = @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue -ErrorAction Stop) | Where-Object HoldingId -EQ $holding.Id
            $item.Reason | Should -BeLike "Transfer $($Failed[0].Id) never finished uploading*no link was issued*"
        }

        It 'records Transfer.Start and Transfer.Fail with the error' {
            $entries = @(Get-DataShareAuditLog -TargetId $Failed[0].Id -ErrorAction Stop)
            $entries.Action | Should -Be @('Transfer.Start', 'Transfer.Fail')
            $entries[1].Details['Error'] | Should -Be 'StorageAuthorizationFailed'
            $entries[1].Details['HoldingDueOn'] | Should -Be $RegisterToday.ToString('yyyy-MM-dd')
        }

        It 'gets no fresh link and has none to revoke (TransferIncomplete), and nothing is recorded' {
            $before = Get-CopiesState

            New-DataShareTransfer -FromTransfer $Failed[0].Id -ValidFor '01:00:00' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable again
            Revoke-DataShareTransfer -Id $Failed[0].Id -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable revoke

            $again[0].FullyQualifiedErrorId | Should -Be 'TransferIncomplete,DataShareAdmin.Commands.NewDataShareTransferCommand'
            $revoke[0].FullyQualifiedErrorId | Should -Be 'TransferIncomplete,DataShareAdmin.Commands.RevokeDataShareTransferCommand'
            $revoke[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidOperation)
            $after = Get-CopiesState
            $after.AuditCount | Should -Be $before.AuditCount
            $after.Transfers | Should -Be $before.Transfers
        }
    }

    Context 'answers lost after the service applied the write' {
        It 'issues the transfer when the answer to <Case> is lost once' -ForEach @(
            @{ Case = 'creating the container'; Target = '^/[^/]+/dsa-[^/?]+\?restype=container$' }
            @{ Case = 'uploading a file'; Target = '/pupils\.csv$' }
            @{ Case = 'adding the link''s stored access policy'; Target = 'comp=acl' }
        ) {
            $rule = $Proxy.Add([DataShareAdmin.TestSupport.FaultRule]::ApplyThenDrop('PUT', $Target, 1))

            $issued = New-DataShareTransfer -AgreementId 'CPY0001' -Path $Extract -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop

            $rule.Hits | Should -Be 1
            $issued.Status | Should -Be ([DataShareAdmin.TransferStatus]::Active)
            (Get-DataShareHolding -Id $issued.HoldingId -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
            @($Blobs.ListBlobNames($issued.Container)) | Should -Be @('pupils.csv', 'sub/schools.csv')
            (Invoke-WebRequest -Uri $issued.Files[0].Uri.Reveal() -NoProxy -SkipHttpErrorCheck).StatusCode | Should -Be 200
        }
    }
}
