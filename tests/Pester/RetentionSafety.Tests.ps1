#Requires -Version 7.4
# What an administrator sees when a retention sweep meets what it must not trust: blob names whose dot segments point
# elsewhere, a holding on another endpoint with the same account name, a listing answered 404, an agreement that ends
# on 9999-12-31, a holding whose agreement is gone from the register, and a folder holding that is a link. Each is
# reported (a record's Reason, or an error with the holding's id and a specific error id), nothing outside what is due
# is deleted, every other due holding is still swept, and docs/nightly-sweep.ps1 exits with 1.
#
# The nightly script runs as a scheduled job would: through DataShareAdmin.Host (built with the solution), importing
# the module under test. Storage is a private Azurite with the fault-injecting proxy of tests/DataShareAdmin.TestSupport
# in front of it (FaultProxy.ps1 loads the built assembly). The damaged-register tests change the register file with
# the sqlite3 command-line tool; where it is missing they are skipped, and their Context's name says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $storage = Get-TestAzuriteDescribe -Name 'Sweeping storage that must not be trusted (Azurite behind a fault-injecting proxy)' -TestFileName 'RetentionSafety.Tests.ps1'
    $StorageSkipReason = $storage.SkipReason
    $StorageDescribeName = $storage.Name

    $Sqlite3SkipReason = if (Get-Command -Name sqlite3 -CommandType Application -ErrorAction SilentlyContinue) { $null } else { 'the sqlite3 command-line tool is not on PATH, so the register cannot be damaged by hand' }
    $DamagedContextName = 'a holding whose agreement is gone from the register' + $(if ($Sqlite3SkipReason) { " (skipped: $Sqlite3SkipReason)" })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Azurite.ps1')

    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    . (Join-Path $RepositoryRoot 'tests/DataShareAdmin.TestSupport/FaultProxy.ps1')
    $NightlySweepScript = Join-Path $RepositoryRoot 'docs/nightly-sweep.ps1'
    $Today = (Get-Date).Date
    $AzuriteKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

    function New-EndedAgreement {
        <# An agreement that ended five days ago and keeps nothing after: its holdings are due. #>
        param([Parameter(Mandatory)] [string] $Id)
        New-TestAgreement -Id $Id -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0
    }

    function New-HoldingFolder {
        <# A folder under $TestDrive with one 10-byte file, pupils.csv; returns its full path. #>
        param([Parameter(Mandatory)] [string] $Name)
        $folder = [System.IO.Path]::GetFullPath((Join-Path $TestDrive 'holdings' $Name))
        $null = New-Item -ItemType Directory -Path $folder -Force
        [System.IO.File]::WriteAllBytes((Join-Path $folder 'pupils.csv'), [byte[]]::new(10))
        $folder
    }

    function Invoke-HostNightlySweep {
        <#
        Runs docs/nightly-sweep.ps1 through DataShareAdmin.Host, as a scheduled job does, against a register file (and,
        with -StorageVariable, the storage whose connection string that environment variable holds); returns its exit
        code, standard output and standard error.
        #>
        param(
            [Parameter(Mandatory)] [string] $Register,
            [string] $StorageVariable
        )

        $hostDll = @('Release', 'Debug') | ForEach-Object { Join-Path $RepositoryRoot "src/DataShareAdmin.Host/bin/$_/net10.0/DataShareAdmin.Host.dll" } |
            Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
        if (-not $hostDll) {
            throw 'DataShareAdmin.Host is not built: run dotnet build DataShareAdmin.sln -c Release first.'
        }

        $dotnet = (Get-Command -Name dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
        $arguments = @($hostDll, '-Module', $DataShareModuleManifest, '-NonInteractive', '-File', $NightlySweepScript, '-RegisterPath', $Register)
        if ($StorageVariable) {
            $arguments += '-StorageConnectionString', $StorageVariable, '-AllowHttpLoopback'
        }

        $errorFile = Join-Path $TestDrive ('nightly-' + [guid]::NewGuid().ToString('N') + '.err')
        $output = & $dotnet @arguments 2> $errorFile
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Output   = ($output | ForEach-Object { "$_" }) -join "`n"
            Errors   = (Get-Content -LiteralPath $errorFile -Raw) + ''
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'One bad record never stops retention for the rest' {
    BeforeAll {
        $EdgeRegister = Join-Path $TestDrive 'edge' 'register.db'
        Connect-DataShareRegister -Path $EdgeRegister -Create -ErrorAction Stop

        $null = New-EndedAgreement -Id 'RSE0001'
        $DueFolder = New-HoldingFolder -Name 'edge-due'
        $DueHolding = Register-DataShareHolding 'RSE0001' $DueFolder -ErrorAction Stop
    }

    AfterAll {
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction Stop
    }

    It 'takes an agreement ending on 9999-12-31: its holdings register, are due on the calendar''s last day, and stop nothing' {
        $open = New-TestAgreement -Id 'RSE0002' -StartsOn $Today.AddDays(-30) -EndsOn ([datetime]'9999-12-31') -RetentionDays 3650
        $openFolder = New-HoldingFolder -Name 'edge-open'

        $holding = Register-DataShareHolding 'RSE0002' $openFolder -ErrorAction Stop

        $open.EndsOn | Should -Be ([datetime]'9999-12-31')
        $holding.DueOn | Should -Be ([datetime]'9999-12-31')
        @(Get-DataShareHolding -AgreementId 'RSE0002' -ErrorAction Stop).DueOn | Should -Be @([datetime]'9999-12-31')
        @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue -ErrorAction Stop).HoldingId | Should -Be @($DueHolding.Id)
        @(Get-DataShareRetentionPlan -AsOf ([datetime]::MaxValue) -WarningAction SilentlyContinue -ErrorAction Stop).HoldingId |
            Should -Be @($DueHolding.Id, $holding.Id)
    }

    It 'sweeps what is due beside it, and the nightly script exits with 0' {
        $run = Invoke-HostNightlySweep -Register $EdgeRegister

        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors)
        $run.Output | Should -BeLike "*$($DueHolding.Id) Destroyed*"
        Test-Path -LiteralPath $DueFolder | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $TestDrive 'holdings' 'edge-open' 'pupils.csv') | Should -BeTrue
    }

    Context 'a folder holding that is itself a link' {
        BeforeAll {
            $null = New-EndedAgreement -Id 'RSE0003'
            $Target = New-HoldingFolder -Name 'edge-link-target'
            $Link = Join-Path $TestDrive 'holdings' 'edge-link'
            # A link is refused at registration (HoldingLocationIsLink); the folder registered becomes one afterwards.
            $null = New-Item -ItemType Directory -Path $Link
            $LinkHolding = Register-DataShareHolding 'RSE0003' $Link -ErrorAction Stop
            Remove-Item -LiteralPath $Link
            $null = New-Item -ItemType SymbolicLink -Path $Link -Target $Target
            $Plain = New-HoldingFolder -Name 'edge-plain'
            $PlainHolding = Register-DataShareHolding 'RSE0003' $Plain -ErrorAction Stop
        }

        It 'is not swept: SweepHoldingUnsafe with its id, what it points at stays, and the other holding is swept' {
            $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

            $records.HoldingId | Should -Be @($PlainHolding.Id)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SweepHoldingUnsafe,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            $err[0].TargetObject | Should -Be $LinkHolding.Id
            $err[0].Exception.Message | Should -BeLike '*is a link*'
            Test-Path -LiteralPath (Join-Path $Target 'pupils.csv') | Should -BeTrue
            (Get-DataShareHolding -Id $LinkHolding.Id -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
        }

        It 'and the nightly script exits with 1, counting the error' {
            $run = Invoke-HostNightlySweep -Register $EdgeRegister

            $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
            $run.Output | Should -BeLike '*0 destroyed, 0 blocked, 0 incomplete, 1 error(s)*'
            $run.Errors | Should -BeLike "*$($LinkHolding.Id)*"
            Test-Path -LiteralPath (Join-Path $Target 'pupils.csv') | Should -BeTrue
        }
    }

    Context $DamagedContextName -Skip:($null -ne $Sqlite3SkipReason) {
        BeforeAll {
            $DamagedRegister = Join-Path $TestDrive 'damaged' 'register.db'
            Connect-DataShareRegister -Path $DamagedRegister -Create -ErrorAction Stop
            $null = New-EndedAgreement -Id 'RSD0001'
            $null = New-EndedAgreement -Id 'RSD0002'
            $First = Register-DataShareHolding 'RSD0001' (New-HoldingFolder -Name 'damaged-first') -ErrorAction Stop
            $Broken = Register-DataShareHolding 'RSD0002' (New-HoldingFolder -Name 'damaged-broken') -ErrorAction Stop
            $Last = Register-DataShareHolding 'RSD0001' (New-HoldingFolder -Name 'damaged-last') -ErrorAction Stop

            # As a restore from an old backup or a hand edit might leave it: the holding's agreement is gone.
            $sql = "PRAGMA foreign_keys = OFF; DELETE FROM agreements WHERE id = 'RSD0002';"
            $null = & sqlite3 $DamagedRegister $sql
            if ($LASTEXITCODE -ne 0) {
                throw "sqlite3 could not change $DamagedRegister (exit code $LASTEXITCODE)."
            }
        }

        It 'Get-DataShareRetentionPlan reports it with HoldingPlanFailed and its id, and lists every other due holding' {
            $plan = @(Get-DataShareRetentionPlan -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable err)

            $plan.HoldingId | Sort-Object | Should -Be (@($First.Id, $Last.Id) | Sort-Object)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'HoldingPlanFailed,DataShareAdmin.Commands.GetDataShareRetentionPlanCommand'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            $err[0].TargetObject | Should -Be $Broken.Id
            $err[0].Exception.Message | Should -BeLike "*$($Broken.Id)*RSD0002*"
        }

        It 'Get-DataShareHolding lists the others and reports it the same way' {
            $holdings = @(Get-DataShareHolding -ErrorAction SilentlyContinue -ErrorVariable err)

            $holdings.Id | Sort-Object | Should -Be (@($First.Id, $Last.Id) | Sort-Object)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'HoldingPlanFailed,DataShareAdmin.Commands.GetDataShareHoldingCommand'
            $err[0].TargetObject | Should -Be $Broken.Id
        }

        It 'the nightly script sweeps every other due holding, names it on standard error and exits with 1' {
            $run = Invoke-HostNightlySweep -Register $DamagedRegister

            $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
            $run.Output | Should -BeLike '*2 destroyed, 0 blocked, 0 incomplete, 1 error(s)*'
            $run.Errors | Should -BeLike "*HoldingPlanFailed*"
            $run.Errors | Should -BeLike "*$($Broken.Id)*"
            Test-Path -LiteralPath (Join-Path $TestDrive 'holdings' 'damaged-first') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $TestDrive 'holdings' 'damaged-last') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $TestDrive 'holdings' 'damaged-broken' 'pupils.csv') | Should -BeTrue
        }
    }
}

Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
        $Azurite = Start-TestAzurite
        $Proxy = Start-TestFaultProxy -Upstream $Azurite.BlobEndpoint

        # Holdings are registered on the proxy's address, and the session (and the nightly script) connect through it.
        $Endpoint = $Proxy.Map([uri] $Azurite.BlobEndpoint).ToString().TrimEnd('/')
        $env:DSA_PESTER_SAFETY_STORAGE = Get-TestFaultProxyConnectionString -Proxy $Proxy -BlobEndpoint $Azurite.BlobEndpoint
        Connect-DataShareStorage -ConnectionString DSA_PESTER_SAFETY_STORAGE -AllowHttpLoopback -ErrorAction Stop
        $Blobs = [DataShareAdmin.TestSupport.BlobRest]::new([uri] $Azurite.BlobEndpoint, 'devstoreaccount1', $AzuriteKey)

        function Use-StorageRegister {
            <# A register of its own for one Context, so only its holdings are due in it. #>
            param([Parameter(Mandatory)] [string] $Name)
            $path = Join-Path $TestDrive $Name 'register.db'
            Connect-DataShareRegister -Path $path -Create -ErrorAction Stop
            $path
        }
    }

    AfterAll {
        if ($Blobs) { $Blobs.Dispose() }
        Stop-TestFaultProxy -Proxy $Proxy
        Stop-TestAzurite -Azurite $Azurite
        Remove-Item -Path Env:DSA_PESTER_SAFETY_STORAGE -ErrorAction SilentlyContinue
        Connect-DataShareRegister -Path $RegisterPath -ErrorAction SilentlyContinue
    }

    Context 'blob names with dot segments' {
        BeforeAll {
            $DotsRegister = Use-StorageRegister -Name 'dots'
            $null = New-EndedAgreement -Id 'RSB0001'
            $null = New-TestAgreement -Id 'RSB0002' -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(60)
            $Blobs.CreateContainer('dots')
            $Blobs.CreateContainer('activez')
            $Blobs.PutBlob('dots', 'p2/z.csv', [byte[]] @(1))
            $Blobs.PutBlob('dots', 'p/a.csv', [byte[]] @(2))
            $Blobs.PutBlobAtEscapedPath('dots', 'p/%2E%2E/p2/z.csv', [byte[]] @(3))
            $Blobs.PutBlob('activez', 'keep.csv', [byte[]] @(4))
            $Blobs.CreateContainer('endedc')
            $Blobs.PutBlobAtEscapedPath('endedc', '%2E%2E/activez/keep.csv', [byte[]] @(5))
            $null = Register-DataShareHolding 'RSB0002' "$Endpoint/dots/p2/" -ErrorAction Stop
            $null = Register-DataShareHolding 'RSB0002' "$Endpoint/activez" -ErrorAction Stop
            $Prefix = Register-DataShareHolding 'RSB0001' "$Endpoint/dots/p/" -ErrorAction Stop
            $Container = Register-DataShareHolding 'RSB0001' "$Endpoint/endedc" -ErrorAction Stop
        }

        It 'deletes only what is inside: the active agreement''s blobs stay, and each record is Incomplete naming the blob' {
            $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable warnings)

            $Blobs.ListBlobNames('dots') | Sort-Object | Should -Be @('p/../p2/z.csv', 'p2/z.csv')
            $Blobs.ListBlobNames('activez') | Should -Be @('keep.csv')
            $Blobs.ListBlobNames('endedc') | Should -Be @('../activez/keep.csv')
            $prefixRecord = $records | Where-Object HoldingId -EQ $Prefix.Id
            $prefixRecord.Outcome | Should -Be ([DataShareAdmin.DestructionOutcome]::Incomplete)
            $prefixRecord.ObjectsDeleted | Should -Be 1
            $prefixRecord.ObjectsRemaining | Should -Be 1
            $prefixRecord.Reason | Should -BeLike "*'p/../p2/z.csv'*"
            ($records | Where-Object HoldingId -EQ $Container.Id).Reason | Should -BeLike "*'../activez/keep.csv'*climb out of the container*"
            $warnings.Count | Should -Be 2
            $warnings[0].Message | Should -BeLike '*no sweep deletes those objects*'
            (Get-DataShareHolding -Id $Prefix.Id -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
        }

        It 'the nightly script reports them incomplete and exits with 1' {
            $run = Invoke-HostNightlySweep -Register $DotsRegister -StorageVariable DSA_PESTER_SAFETY_STORAGE

            $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
            $run.Output | Should -BeLike '*0 destroyed, 0 blocked, 2 incomplete, 0 error(s)*'
            $Blobs.ListBlobNames('activez') | Should -Be @('keep.csv')
        }
    }

    Context 'a listing answered 404' {
        BeforeAll {
            $NotFoundRegister = Use-StorageRegister -Name 'notfound'
            $null = New-EndedAgreement -Id 'RSN0001'
            $Blobs.CreateContainer('notfound')
            foreach ($i in 1..300) {
                $Blobs.PutBlob('notfound', ('extract/{0:000}.csv' -f $i), [byte[]] @(1))
            }

            $Holding = Register-DataShareHolding 'RSN0001' "$Endpoint/notfound" -ErrorAction Stop
            $Gone = Register-DataShareHolding 'RSN0001' "$Endpoint/never-created" -ErrorAction Stop
            $Rule = $Proxy.Add([DataShareAdmin.TestSupport.FaultRule]::Answer('GET', '/notfound\?.*comp=list', 404, 'ContainerNotFound'))
        }

        AfterAll {
            $Proxy.ClearRules()
        }

        It 'is not taken for an empty holding: SweepStorageFailed with its id, nothing recorded, all 300 blobs stay' {
            $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

            $Rule.Hits | Should -BeGreaterThan 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SweepStorageFailed,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceUnavailable)
            $err[0].TargetObject | Should -Be $Holding.Id
            $err[0].Exception.Message | Should -BeLike '*404 ContainerNotFound*still lists the container notfound*'
            $records.HoldingId | Should -Not -Contain $Holding.Id
            $Blobs.ListBlobNames('notfound').Count | Should -Be 300
            (Get-DataShareHolding -Id $Holding.Id -ErrorAction Stop).State | Should -Be ([DataShareAdmin.HoldingState]::Held)
        }

        It 'while a container that really no longer exists is recorded Destroyed, saying so' {
            $record = Get-DataShareHolding -Id $Gone.Id -ErrorAction Stop

            $record.State | Should -Be ([DataShareAdmin.HoldingState]::Destroyed)
            $audit = @(Get-DataShareAuditLog -Action Holding.Destroy -ErrorAction Stop) | Where-Object TargetId -EQ $Gone.Id
            $audit.Details['Reason'] | Should -BeLike "*container never-created no longer exists on $Endpoint*"
        }

        It 'the nightly script exits with 1 and names the holding on standard error' {
            $run = Invoke-HostNightlySweep -Register $NotFoundRegister -StorageVariable DSA_PESTER_SAFETY_STORAGE

            $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
            $run.Output | Should -BeLike '*0 destroyed, 0 blocked, 0 incomplete, 1 error(s)*'
            $run.Errors | Should -BeLike "*SweepStorageFailed*"
            $run.Errors | Should -BeLike "*$($Holding.Id)*"
            $Blobs.ListBlobNames('notfound').Count | Should -Be 300
        }
    }

    Context 'a holding on another endpoint with the same account name' {
        BeforeAll {
            $null = Use-StorageRegister -Name 'endpoint'
            $null = New-EndedAgreement -Id 'RSP0001'
            $Blobs.CreateContainer('elsewhere')
            $Blobs.PutBlob('elsewhere', 'a.csv', [byte[]] @(1))
            # Azurite's own address: the session is connected to devstoreaccount1 through the proxy's.
            $Holding = Register-DataShareHolding 'RSP0001' "$($Azurite.BlobEndpoint)/elsewhere" -ErrorAction Stop
        }

        It 'is not swept and nothing is recorded: SweepStorageNotConnected names both endpoints' {
            $before = @(Get-DataShareAuditLog -ErrorAction Stop).Count

            $records = @(Invoke-DataShareRetentionSweep -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

            $records.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SweepStorageNotConnected,DataShareAdmin.Commands.InvokeDataShareRetentionSweepCommand'
            $err[0].TargetObject | Should -Be $Holding.Id
            $err[0].Exception.Message | Should -BeLike "*$(([uri] $Azurite.BlobEndpoint).Authority)*$($Proxy.Address.Authority)*"
            @(Get-DataShareAuditLog -ErrorAction Stop).Count | Should -Be $before
            $Blobs.ListBlobNames('elsewhere') | Should -Be @('a.csv')
        }
    }
}
