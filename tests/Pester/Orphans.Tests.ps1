#Requires -Version 7.4
# Find-DataShareOrphan against a fresh register in $TestDrive and a private Azurite: what no held holding covers is
# listed, shown, piped to Register-DataShareHolding, and reported by Export-DataShareReport -Kind Retention.
#
# The storage tests need node on PATH and Azurite installed in tests/azurite. Without either they are skipped, and the
# Describe's name says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Find-DataShareOrphan against Azurite' -TestFileName 'Orphans.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')
    . (Join-Path $PSScriptRoot '../DataShareAdmin.TestSupport/FaultProxy.ps1')
    Import-TestSupportAssembly

    $Yesterday = (Get-Date).Date.AddDays(-1)

    function Invoke-InRunspace {
        <# Runs a script in a runspace of its own (storage connections last for a runspace), the module imported and the register connected. #>
        param([Parameter(Mandatory)] [scriptblock] $Script, [object[]] $Arguments = @())

        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Register)
                    Import-Module $Manifest -ErrorAction Stop
                    Connect-DataShareRegister -Path $Register -ErrorAction Stop
                }).AddArgument($DataShareModuleManifest).AddArgument($RegisterPath)
            $null = $shell.Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddScript($Script)
            foreach ($argument in $Arguments) { $null = $shell.AddArgument($argument) }
            [pscustomobject]@{
                Output   = @($shell.Invoke())
                Errors   = @($shell.Streams.Error)
                Progress = @($shell.Streams.Progress)
            }
        }
        finally {
            $shell.Dispose()
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Find-DataShareOrphan without storage' {
    It 'stops with StorageNotConnected in a session that never connected to storage' {
        $result = Invoke-InRunspace -Script {
            try {
                Find-DataShareOrphan -ErrorAction Stop
                'no error'
            }
            catch {
                $_.FullyQualifiedErrorId
                $_.CategoryInfo.Category.ToString()
            }
        }

        $result.Output | Should -Be @('StorageNotConnected,DataShareAdmin.Commands.FindDataShareOrphanCommand', 'InvalidOperation')
    }

    It 'refuses a retention report -IncludeOrphans with StorageNotConnected in such a session, and writes nothing' {
        $path = Join-Path $TestDrive 'retention-no-storage.csv'
        $result = Invoke-InRunspace -Script {
            param($Path)
            Export-DataShareReport -Kind Retention -Format Csv -Path $Path -IncludeOrphans -ErrorAction SilentlyContinue -ErrorVariable err
            $err | ForEach-Object { $_.FullyQualifiedErrorId }
        } -Arguments @($path)

        $result.Output | Should -Be @('StorageNotConnected,DataShareAdmin.Commands.ExportDataShareReportCommand')
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'uses an approved verb, declares its output type and takes no parameters of its own' {
        $command = Get-Command Find-DataShareOrphan -ErrorAction Stop
        $command.Verb | Should -BeIn (Get-Verb).Verb
        $command.OutputType.Type | Should -Be ([DataShareAdmin.DataShareOrphan])
        @($command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters }) | Should -BeNullOrEmpty
    }
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
        $Azurite = Start-TestAzurite
        Connect-TestAzuriteStorage -Azurite $Azurite
        $Endpoint = "$($Azurite.BlobEndpoint)".TrimEnd('/')
        $Blobs = [DataShareAdmin.TestSupport.BlobRest]::new([uri] $Azurite.BlobEndpoint, 'devstoreaccount1',
            'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')

        # A transfer made through another register: its container is in storage, named and marked as DataShareAdmin's,
        # but this register has no holding for it.
        $other = Join-Path $TestDrive 'other.db'
        Connect-DataShareRegister -Path $other -Create -ErrorAction Stop
        $null = New-TestAgreement -Id 'ORP0001' -AccessRoute DirectTransfer -ApprovalReference 'DSAP-ORP1'
        $null = Initialize-DataShareTestOrganisation -PassedAssessment
        $recipient = Add-DataShareRecipient -AgreementId 'ORP0001' -Name 'Rae Ready' -Email 'rae.ready@example.ac.uk' -ErrorAction Stop
        $null = Add-DisclosureCertificate -RecipientId $recipient.Id -Issuer DBS -Level Basic -Number '000000600001' -IssuedOn $Yesterday.AddDays(-30) -ErrorAction Stop
        Set-DataShareRecipient -Id $recipient.Id -DeclarationSignedOn $Yesterday -TrainingCompletedOn $Yesterday -ErrorAction Stop
        $file = Join-Path $TestDrive 'pupils.csv'
        [System.IO.File]::WriteAllText($file, "upn,ks2`nA123,105`n")
        $Elsewhere = New-DataShareTransfer -AgreementId 'ORP0001' -Path $file -ValidFor '01:00:00' -Confirm:$false -ErrorAction Stop

        # This register: the same agreement, and a prefix registered in a container that holds other things beside it.
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
        $null = New-TestAgreement -Id 'ORP0001'
        $Analysis = 'analysis-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $Blobs.CreateContainer($Analysis)
        foreach ($name in 'ds1/a.csv', 'ds1-extra/b.csv', 'notes.txt') {
            $Blobs.PutBlob($Analysis, $name, [byte[]]::new(10))
        }

        $null = Register-DataShareHolding -AgreementId 'ORP0001' -Location "$Endpoint/$Analysis/ds1/" -ErrorAction Stop
        $Found = @(Find-DataShareOrphan -ErrorAction Stop)
    }

    AfterAll {
        if ($null -ne $Blobs) { $Blobs.Dispose() }
        Stop-TestAzurite -Azurite $Azurite
    }

    It 'lists the container another register''s transfer made, with what its metadata names and why' {
        $orphan = $Found | Where-Object Container -EQ $Elsewhere.Container
        $orphan | Should -BeOfType ([DataShareAdmin.DataShareOrphan])
        $orphan.Kind | Should -Be ([DataShareAdmin.OrphanKind]::Container)
        $orphan.Location | Should -Be "$Endpoint/$($Elsewhere.Container)"
        $orphan.AgreementId | Should -Be 'ORP0001'
        $orphan.TransferId | Should -Be $Elsewhere.Id
        $orphan.HoldingId | Should -Be $Elsewhere.HoldingId
        $orphan.Objects | Should -Be 1
        $orphan.Bytes | Should -Be 17
        $orphan.Reason | Should -BeLike "*transfer $($Elsewhere.Id)*holding $($Elsewhere.HoldingId) is not in this register*"
    }

    It 'lists the look-alike prefix and the blob beside the registered prefix, but not the prefix itself' {
        $beside = @($Found | Where-Object Container -EQ $Analysis)
        $beside.Uri | Sort-Object | Should -Be @("$Endpoint/$Analysis/ds1-extra/", "$Endpoint/$Analysis/notes.txt")
        ($beside | Where-Object Kind -EQ Prefix).Location | Should -Be "$Endpoint/$Analysis/ds1-extra/"
        $blob = $beside | Where-Object Kind -EQ Blob
        $blob.Location | Should -BeNullOrEmpty
        $blob.Reason | Should -BeLike '*cannot be a holding*'
    }

    It 'shows kind, agreement, blobs, bytes, last change and address in a table, and the reason in a list' {
        $table = $Found | Format-Table | Out-String -Width 200
        $table | Should -Match 'Kind\s+Agreement\s+Objects\s+Bytes\s+Changed \(UTC\)\s+Uri'
        $table | Should -Match "Container ORP0001\s+1\s+17 \d{4}-\d\d-\d\d \d\d:\d\d $([regex]::Escape("$Endpoint/$($Elsewhere.Container)"))"
        ($Found[0] | Format-List | Out-String -Width 200) | Should -Match 'Reason\s+:'
    }

    It 'reports its progress in a bar of its own and completes it' {
        $connection = Get-TestAzuriteConnectionString -Azurite $Azurite
        $result = Invoke-InRunspace -Script {
            param($ConnectionString)
            Connect-DataShareStorage -ConnectionString $ConnectionString -AllowHttpLoopback
            @(Find-DataShareOrphan).Count
        } -Arguments @($connection)

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Be @($Found.Count)
        $bar = @($result.Progress | Where-Object Activity -EQ 'Looking for orphans')
        $bar.Count | Should -BeGreaterThan 1
        ($bar.ActivityId | Select-Object -Unique) | Should -Be @(0x5A50)
        $bar[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
    }

    It 'is in the retention report with -IncludeOrphans, as rows in the state Orphan, and the report says storage was searched' {
        $path = Join-Path $TestDrive 'retention.csv'

        Export-DataShareReport -Kind Retention -Format Csv -Path $path -IncludeOrphans -ErrorAction Stop

        $rows = @(Import-Csv -LiteralPath $path)
        @($rows | Where-Object state -EQ 'Orphan').location | Sort-Object | Should -Be @($Found.Uri | Sort-Object)
        $rows[0].reportIntegrity | Should -BeLike "Untracked copies: $($Found.Count) orphan(s) found in devstoreaccount1*"
    }

    It 'leaves storage alone without -IncludeOrphans, and the report says it was not searched' {
        $path = Join-Path $TestDrive 'retention-register-only.json'

        Export-DataShareReport -Kind Retention -Format Json -Path $path -ErrorAction Stop

        $report = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        @($report.rows | Where-Object state -EQ 'Orphan').Count | Should -Be 0
        $report.integrity | Should -BeLike 'Untracked copies: storage was not searched*-IncludeOrphans*'
    }

    It 'refuses -IncludeOrphans with another kind of report (ReportIncludeOrphansInvalid), and writes nothing' {
        $path = Join-Path $TestDrive 'register-with-orphans.csv'

        Export-DataShareReport -Kind Register -Format Csv -Path $path -IncludeOrphans -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ReportIncludeOrphansInvalid,DataShareAdmin.Commands.ExportDataShareReportCommand'
        $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'refuses a single blob piped to Register-DataShareHolding by binding, and registers nothing' {
        $before = @(Get-DataShareHolding -ErrorAction Stop).Count

        $Found | Where-Object Kind -EQ Blob | Register-DataShareHolding -AgreementId 'ORP0001' -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*,DataShareAdmin.Commands.RegisterDataShareHoldingCommand'
        @(Get-DataShareHolding -ErrorAction Stop).Count | Should -Be $before
    }

    It 'registers the rest piped to Register-DataShareHolding, after which only the blob is left' {
        $Found | Where-Object Kind -NE Blob | Register-DataShareHolding -AgreementId 'ORP0001' -ErrorAction Stop

        $left = @(Find-DataShareOrphan -ErrorAction Stop)
        $left.Uri | Should -Be @("$Endpoint/$Analysis/notes.txt")
        (Get-DataShareHolding -AgreementId 'ORP0001' -ErrorAction Stop).Location | Should -Contain "$Endpoint/$($Elsewhere.Container)"
    }
}
