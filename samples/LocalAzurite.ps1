<#
.SYNOPSIS
    Starts (and stops) a local Azurite blob and table service for the main job: installs the pinned npm package into
    tests/azurite when it is missing, starts node on free loopback ports and waits until they answer.
.NOTES
    Dot-source it. Uses only .NET and the engine's core cmdlets, so it runs in the hosted engine (no Start-Process).
    Azurite is started as `node .../blob/main.js` and `node .../table/main.js` with --disableTelemetry; their stdin is held by this process, and
    tests/azurite/exit-with-parent.js makes it exit when this process ends, even if Stop-LocalAzurite is never called.
#>

function Start-LocalAzurite {
    [CmdletBinding()]
    param(
        [string] $AzuriteDirectory = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'azurite'))
    )

    $main = [System.IO.Path]::Combine($AzuriteDirectory, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js')
    if (-not [System.IO.File]::Exists($main)) {
        $host.UI.WriteLine("Installing Azurite (the version pinned in $AzuriteDirectory/package.json)...")
        $npm = if ($IsWindows) { 'npm.cmd' } else { 'npm' }
        $install = [System.Diagnostics.ProcessStartInfo]::new($npm)
        foreach ($argument in 'ci', '--no-audit', '--no-fund') { $install.ArgumentList.Add($argument) }
        $install.WorkingDirectory = $AzuriteDirectory
        $install.UseShellExecute = $false
        $installer = [System.Diagnostics.Process]::Start($install)
        $installer.WaitForExit()
        if ($installer.ExitCode -ne 0 -or -not [System.IO.File]::Exists($main)) {
            throw "npm ci in $AzuriteDirectory failed (exit code $($installer.ExitCode)); Azurite is needed for the transfer part of the main job."
        }
    }

    $blob = Start-AzuriteService -Script $main -Service blob -AzuriteDirectory $AzuriteDirectory
    $table = Start-AzuriteService -Script ([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName([System.IO.Path]::GetDirectoryName($main)), 'table', 'main.js')) `
        -Service table -AzuriteDirectory $AzuriteDirectory -Location $blob.Location

    # The emulator's well-known development account: public, documented, not a secret.
    $key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
    [pscustomobject]@{
        Process          = $blob.Process
        TableProcess     = $table.Process
        Location         = $blob.Location
        BlobEndpoint     = "http://127.0.0.1:$($blob.Port)/devstoreaccount1"
        TableEndpoint    = "http://127.0.0.1:$($table.Port)/devstoreaccount1"
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$($blob.Port)/devstoreaccount1;TableEndpoint=http://127.0.0.1:$($table.Port)/devstoreaccount1;"
    }
}

function Start-AzuriteService {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [ValidateSet('blob', 'table')] [string] $Service,
        [Parameter(Mandatory)] [string] $AzuriteDirectory,
        [string] $Location = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'dsa-main-job-azurite-' + [guid]::NewGuid().ToString('N'))
    )

    # A free loopback port: bind to port 0 and let the system choose.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()

    [System.IO.Directory]::CreateDirectory($Location) | Out-Null
    $start = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($argument in '--require', [System.IO.Path]::Combine($AzuriteDirectory, 'exit-with-parent.js'), $Script,
        '--location', $Location, "--$($Service)Host", '127.0.0.1', "--$($Service)Port", "$port",
        '--disableTelemetry', '--skipApiVersionCheck', '--loose', '--silent') {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $process.BeginOutputReadLine()
    $process.BeginErrorReadLine()

    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($true) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            $client.Connect([System.Net.IPAddress]::Loopback, $port)
            break
        }
        catch {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "Azurite's $Service service did not start on 127.0.0.1:$port (node exited: $($process.HasExited))."
            }
            [System.Threading.Thread]::Sleep(200)
        }
        finally {
            $client.Dispose()
        }
    }

    [pscustomobject]@{ Process = $process; Port = $port; Location = $Location }
}

function Stop-LocalAzurite {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Azurite
    )

    foreach ($process in @($Azurite.Process, $Azurite.TableProcess)) {
        if ($null -eq $process) { continue }
        if (-not $process.HasExited) {
            $process.Kill($true)
            $process.WaitForExit(10000) | Out-Null
        }
        $process.Dispose()
    }
    if ([System.IO.Directory]::Exists($Azurite.Location)) {
        [System.IO.Directory]::Delete($Azurite.Location, $true)
    }
}
