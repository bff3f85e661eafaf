<#
.SYNOPSIS
    Starts (and stops) a local Azurite blob service for the main job: installs the pinned npm package into
    tests/azurite when it is missing, starts node on a free loopback port and waits until the port answers.
.NOTES
    Dot-source it. Uses only .NET and the engine's core cmdlets, so it runs in the hosted engine (no Start-Process).
    Azurite is started as `node .../blob/main.js` with --disableTelemetry; its stdin is held by this process, and
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

    # A free loopback port: bind to port 0 and let the system choose.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()

    $location = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'dsa-main-job-azurite-' + [guid]::NewGuid().ToString('N'))
    [System.IO.Directory]::CreateDirectory($location) | Out-Null
    $start = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($argument in '--require', [System.IO.Path]::Combine($AzuriteDirectory, 'exit-with-parent.js'), $main,
        '--location', $location, '--blobHost', '127.0.0.1', '--blobPort', "$port",
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
                throw "Azurite did not start on 127.0.0.1:$port (node exited: $($process.HasExited))."
            }
            [System.Threading.Thread]::Sleep(200)
        }
        finally {
            $client.Dispose()
        }
    }

    # The emulator's well-known development account: public, documented, not a secret.
    $key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
    [pscustomobject]@{
        Process          = $process
        Location         = $location
        BlobEndpoint     = "http://127.0.0.1:$port/devstoreaccount1"
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
    }
}

function Stop-LocalAzurite {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Azurite
    )

    if (-not $Azurite.Process.HasExited) {
        $Azurite.Process.Kill($true)
        $Azurite.Process.WaitForExit(10000) | Out-Null
    }
    $Azurite.Process.Dispose()
    if ([System.IO.Directory]::Exists($Azurite.Location)) {
        [System.IO.Directory]::Delete($Azurite.Location, $true)
    }
}
