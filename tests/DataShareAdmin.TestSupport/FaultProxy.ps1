# The fault-injecting proxy (FaultProxy.cs) for Pester tests: dot-source this file in a BeforeAll, then
#     $Proxy = Start-TestFaultProxy -Upstream $Azurite.BlobEndpoint
#     $null = $Proxy.Add([DataShareAdmin.TestSupport.FaultRule]::Answer('GET', '[?&]comp=list', 404, 'ContainerNotFound'))
#     Connect-DataShareStorage -ConnectionString (Get-TestFaultProxyConnectionString -Proxy $Proxy -BlobEndpoint $Azurite.BlobEndpoint) -AllowHttpLoopback
#     ...
#     Stop-TestFaultProxy -Proxy $Proxy     # in AfterAll
# The proxy runs inside this PowerShell process (the built DataShareAdmin.TestSupport assembly is loaded with Add-Type),
# on 127.0.0.1 and a free port, so a child process (a nightly sweep through DataShareAdmin.Host) can use it too while
# this process waits for it.

function Import-TestSupportAssembly {
    <#
    Loads the built DataShareAdmin.TestSupport.dll (the newest of its Release and Debug builds) unless it is already
    loaded. Throws, saying how to build it, when there is none.
    #>
    param(
        [string] $RepositoryRoot = (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent)
    )

    if ($null -ne ('DataShareAdmin.TestSupport.FaultProxy' -as [type])) {
        return
    }

    $candidates = foreach ($configuration in 'Release', 'Debug') {
        $path = Join-Path $RepositoryRoot "tests/DataShareAdmin.TestSupport/bin/$configuration/net10.0/DataShareAdmin.TestSupport.dll"
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            Get-Item -LiteralPath $path
        }
    }

    $newest = $candidates | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if ($null -eq $newest) {
        throw "DataShareAdmin.TestSupport is not built (looked in tests/DataShareAdmin.TestSupport/bin/{Release,Debug}/net10.0): run 'dotnet build DataShareAdmin.sln -c Release' first."
    }

    Add-Type -LiteralPath $newest.FullName
}

function Start-TestFaultProxy {
    <#
    Starts a FaultProxy in front of an http server (e.g. Azurite's blob endpoint; only its scheme, host and port count)
    and returns it. Add rules with $proxy.Add([DataShareAdmin.TestSupport.FaultRule]::Answer(...)), ::ApplyThenDrop(...),
    ::ApplyThenStall(...) or ::Drop(...); $proxy.Requests lists what passed through.
    #>
    param(
        [Parameter(Mandatory)] [string] $Upstream
    )

    Import-TestSupportAssembly
    [DataShareAdmin.TestSupport.FaultProxy]::Start([uri] $Upstream)
}

function Get-TestFaultProxyConnectionString {
    <#
    The storage connection string of Azurite's well-known development account (a public, documented key, not a
    secret) with its blob endpoint reached through the proxy.
    #>
    param(
        [Parameter(Mandatory)] $Proxy,
        [Parameter(Mandatory)] [string] $BlobEndpoint
    )

    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
    "BlobEndpoint=$($Proxy.Map([uri] $BlobEndpoint).ToString().TrimEnd('/'));"
}

function Stop-TestFaultProxy {
    <# For AfterAll: stops the proxy. Does nothing when $Proxy is $null (the BeforeAll failed before it started). #>
    param($Proxy)

    if ($null -ne $Proxy) {
        $Proxy.Dispose()
    }
}
