# Shared Azurite helpers for the Pester tests that need storage: blob storage (Transfers.Tests.ps1,
# Retention.Tests.ps1) and the table service that holds a shared register (Registers.Tests.ps1). A private Azurite
# (the storage emulator pinned in tests/azurite), with its blob and table services started on free loopback ports and
# stopped when the file is done.
#
# It only defines functions. Pester 5 runs discovery and the tests in different scopes, so dot-source it in both, as
# Common.ps1 is:
#     BeforeDiscovery {
#         . (Join-Path $PSScriptRoot 'Azurite.ps1')
#         $storage = Get-TestAzuriteDescribe -Name 'Things against Azurite' -TestFileName 'Things.Tests.ps1'
#         $StorageSkipReason = $storage.SkipReason
#         $StorageDescribeName = $storage.Name
#     }
#     BeforeAll { . (Join-Path $PSScriptRoot 'Azurite.ps1') }
# then in the storage Describe:
#     Describe $StorageDescribeName -Skip:($null -ne $StorageSkipReason) {
#         BeforeAll { $Azurite = Start-TestAzurite; Connect-TestAzuriteStorage -Azurite $Azurite }
#         AfterAll { Stop-TestAzurite -Azurite $Azurite }
#     }
# For a register in the table service: Connect-DataShareRegister -ConnectionString (Get-TestAzuriteConnectionString $Azurite).

function Get-TestAzuriteDescribe {
    <#
    For BeforeDiscovery: the storage Describe's name, and why it is skipped ($null when node is on PATH and Azurite is
    installed in tests/azurite). When it is skipped, the name says why and a warning names the test file.
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $TestFileName,
        [string] $RepositoryRoot = (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent)
    )

    $azuriteScript = Join-Path $RepositoryRoot 'tests/azurite/node_modules/azurite/dist/src/azurite.js'
    $node = Get-Command -Name node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

    $skipReason = $null
    if ($null -eq $node) {
        $skipReason = 'node is not on PATH, so Azurite cannot be started'
    }
    elseif (-not (Test-Path -LiteralPath $azuriteScript -PathType Leaf)) {
        $skipReason = "Azurite is not installed ($azuriteScript is missing): run 'npm ci' in tests/azurite"
    }

    $describeName = $Name
    if ($null -ne $skipReason) {
        $describeName += " (skipped: $skipReason)"
        Write-Warning "${TestFileName}: the storage tests are skipped: $skipReason."
    }

    [pscustomobject]@{
        Name       = $describeName
        SkipReason = $skipReason
    }
}

function Get-FreeTcpPort {
    <# Distinct free loopback ports: all listeners are held at once so the system hands out different ones. #>
    param([int] $Count = 1)
    $listeners = @(foreach ($i in 1..$Count) { [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0) })
    try {
        foreach ($listener in $listeners) { $listener.Start() }
        foreach ($listener in $listeners) { $listener.LocalEndpoint.Port }
    }
    finally {
        foreach ($listener in $listeners) { $listener.Stop() }
    }
}

function Start-TestAzurite {
    <#
    Starts Azurite as AzuriteServer (tests/DataShareAdmin.TestSupport) does: node runs azurite.js directly, with
    exit-with-parent.js preloaded so node exits if this process dies, on free loopback ports, in memory only.
    Returns the process, its blob endpoint and its table endpoint once both the blob and the table service answer as
    Azurite; stop it with Stop-TestAzurite. Without -NodePath it runs the first node on PATH. With -CheckApiVersion
    it is started without --skipApiVersionCheck, so it refuses the storage SDK's newer API version as an unpatched
    Azurite does (to test what a user sees then).
    #>
    param(
        [switch] $CheckApiVersion,
        [string] $NodePath,
        [string] $RepositoryRoot = (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent)
    )

    if ([string]::IsNullOrEmpty($NodePath)) {
        $node = Get-Command -Name node -CommandType Application -ErrorAction Stop | Select-Object -First 1
        $NodePath = $node.Source
    }

    $azuriteDirectory = Join-Path $RepositoryRoot 'tests/azurite'
    $script = Join-Path $azuriteDirectory 'node_modules/azurite/dist/src/azurite.js'
    $exitWithParent = Join-Path $azuriteDirectory 'exit-with-parent.js'
    $workDirectory = Join-Path ([System.IO.Path]::GetTempPath()) ('datashareadmin-pester-azurite-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $workDirectory -Force

    for ($attempt = 1; ; $attempt++) {
        $blobPort, $queuePort, $tablePort = Get-FreeTcpPort -Count 3
        $start = [System.Diagnostics.ProcessStartInfo]::new($NodePath)
        $start.WorkingDirectory = $workDirectory
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true    # the pipe exit-with-parent.js watches
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $arguments = @(
            '--require', $exitWithParent, $script,
            '--inMemoryPersistence', '--disableTelemetry', '--loose', '--silent',
            # azurite.js always starts Queue and Table too: each needs a port of its own.
            '--blobHost', '127.0.0.1', '--blobPort', "$blobPort",
            '--queueHost', '127.0.0.1', '--queuePort', "$queuePort",
            '--tableHost', '127.0.0.1', '--tablePort', "$tablePort"
        )
        if (-not $CheckApiVersion) {
            $arguments += '--skipApiVersionCheck'
        }

        foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }

        $process = [System.Diagnostics.Process]::Start($start)
        # Drain both streams so node never blocks on a full pipe; read them if it fails to start.
        $standardOutput = $process.StandardOutput.ReadToEndAsync()
        $standardError = $process.StandardError.ReadToEndAsync()

        $endpoint = "http://127.0.0.1:$blobPort/devstoreaccount1"
        $tableEndpoint = "http://127.0.0.1:$tablePort/devstoreaccount1"
        $handler = [System.Net.Http.SocketsHttpHandler]::new()
        $handler.UseProxy = $false
        $client = [System.Net.Http.HttpClient]::new($handler)
        $client.Timeout = [timespan]::FromSeconds(2)
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        $ready = $false
        $blobReady = $false
        $tableReady = $false
        try {
            while (-not $process.HasExited -and [datetime]::UtcNow -lt $deadline) {
                # Any answer that says it is Azurite's blob (or table) service (unsigned, so 403) means it is up, and
                # not a stranger that took the port. azurite.js starts the services one after another: wait for both.
                if (-not $blobReady) {
                    try {
                        $response = $client.GetAsync("${endpoint}?comp=list").GetAwaiter().GetResult()
                        $blobReady = "$($response.Headers.Server)" -like 'Azurite-Blob*'
                    }
                    catch {
                        # Not listening yet.
                    }
                }

                if (-not $tableReady) {
                    try {
                        $response = $client.GetAsync("$tableEndpoint/Tables").GetAwaiter().GetResult()
                        $tableReady = "$($response.Headers.Server)" -like 'Azurite-Table*'
                    }
                    catch {
                        # Not listening yet.
                    }
                }

                if ($blobReady -and $tableReady) {
                    $ready = $true
                    break
                }

                Start-Sleep -Milliseconds 200
            }
        }
        finally {
            $client.Dispose()
        }

        if ($ready) {
            return [pscustomobject]@{
                Process       = $process
                BlobEndpoint  = $endpoint
                TableEndpoint = $tableEndpoint
                WorkDirectory = $workDirectory
            }
        }

        if (-not $process.HasExited) {
            $process.Kill($true)
        }

        $null = $process.WaitForExit(10000)
        $log = ($standardOutput.Result + $standardError.Result).Trim()
        $process.Dispose()
        if ($log -like '*EADDRINUSE*' -and $attempt -lt 3) {
            # Another process took a port between the probe and node's bind: try fresh ports.
            continue
        }

        Remove-Item -LiteralPath $workDirectory -Recurse -Force -ErrorAction SilentlyContinue
        throw "Azurite did not start on 127.0.0.1:$blobPort (blob answered: $blobReady) and 127.0.0.1:$tablePort (table answered: $tableReady) within 60 seconds. Its output:`n$log"
    }
}

function Get-TestAzuriteConnectionString {
    <#
    The connection string of the Azurite from Start-TestAzurite, as its well-known development account (a public,
    documented key, not a secret), naming both its blob and its table endpoint: what Connect-DataShareRegister
    -ConnectionString and Copy-DataShareRegister -DestinationConnectionString take for a register in its table service.
    #>
    param([Parameter(Mandatory)] $Azurite)

    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
    "BlobEndpoint=$($Azurite.BlobEndpoint);TableEndpoint=$($Azurite.TableEndpoint);"
}

function Get-TestAzuriteBlobConnectionString {
    <# The connection string of the Azurite's blob service alone, as its well-known development account: what Connect-DataShareStorage takes. #>
    param([Parameter(Mandatory)] $Azurite)

    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
    "BlobEndpoint=$($Azurite.BlobEndpoint);"
}

function Connect-TestAzuriteStorage {
    <# Connects this session's storage to the Azurite from Start-TestAzurite, as its well-known development account. #>
    param([Parameter(Mandatory)] $Azurite)

    Connect-DataShareStorage -ConnectionString (Get-TestAzuriteBlobConnectionString -Azurite $Azurite) -AllowHttpLoopback -ErrorAction Stop
}

function Stop-TestAzurite {
    <#
    For AfterAll: stops the Azurite from Start-TestAzurite and removes its work folder. Does nothing when $Azurite is
    $null (the BeforeAll failed before it started).
    #>
    param($Azurite)

    if ($null -eq $Azurite) {
        return
    }

    # Only the node process this file started, by its own object.
    if (-not $Azurite.Process.HasExited) {
        $Azurite.Process.Kill($true)
        $null = $Azurite.Process.WaitForExit(10000)
    }

    $Azurite.Process.Dispose()
    Remove-Item -LiteralPath $Azurite.WorkDirectory -Recurse -Force -ErrorAction SilentlyContinue
}

function Get-TestAzuriteContainer {
    <#
    The names of the containers in the Azurite from Start-TestAzurite, read with the development account's key (Shared
    Key), to show what a command left in storage or took away.
    #>
    param([Parameter(Mandatory)] $Azurite)

    $account = 'devstoreaccount1'
    $key = [Convert]::FromBase64String('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')
    $uri = [System.Uri]::new("$($Azurite.BlobEndpoint)/?comp=list")
    $date = [datetime]::UtcNow.ToString('R', [cultureinfo]::InvariantCulture)
    $version = '2025-01-05'

    # Shared Key: the verb, eleven empty standard headers, the x-ms- headers in order, then the resource and its query.
    $toSign = "GET`n" + ("`n" * 11) + "x-ms-date:$date`nx-ms-version:$version`n" + "/$account$($uri.AbsolutePath)`ncomp:list"
    $hmac = [System.Security.Cryptography.HMACSHA256]::new($key)
    try {
        $signature = [Convert]::ToBase64String($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($toSign)))
    }
    finally {
        $hmac.Dispose()
    }

    $headers = @{ 'x-ms-date' = $date; 'x-ms-version' = $version; Authorization = "SharedKey ${account}:$signature" }
    $response = Invoke-WebRequest -Uri $uri -Headers $headers -NoProxy -ErrorAction Stop
    $xml = [xml][System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray()).TrimStart([char]0xFEFF)
    @($xml.EnumerationResults.Containers.Container | Where-Object { $_ } | ForEach-Object { $_.Name } | Sort-Object)
}
