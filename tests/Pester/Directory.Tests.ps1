#Requires -Version 7.4
# Connect-DataShareDirectory, Resolve-DataShareRecipient, Revoke-DataShareAccess and Send-DataShareNotice, and the
# agreements' access groups and officer, against a fresh register in $TestDrive, with no live Microsoft Graph: the
# parameter sets, what Connect refuses (an officer's sign-in without -ClientId among them), what every directory cmdlet
# says before connecting, notices shown with -WhatIf and never sent, unknown agreement ids, the link a transfer notice
# needs, and, against a tiny loopback stand-in for Graph (GET /v1.0/users, GET /v1.0/groups/{id}, DELETE of a group
# member; everything else 404): a guest resolved by mail with its object id recorded, a revocation where a suspended
# agreement keeps no group and a group that does not exist is a failed change, and notices that fail one by one.
#
# A directory connection lasts for the runspace it was made in, and would change the safe-people test of every test
# file run after this one in the same session. So every command that connects, or that must run unconnected, runs in
# a runspace of its own (Invoke-InFreshRunspace); this file's own runspace never connects.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $Yesterday = $Today.AddDays(-1)
    $ConnectCommand = 'DataShareAdmin.Commands.ConnectDataShareDirectoryCommand'
    $ResolveCommand = 'DataShareAdmin.Commands.ResolveDataShareRecipientCommand'
    $RevokeCommand = 'DataShareAdmin.Commands.RevokeDataShareAccessCommand'
    $NoticeCommand = 'DataShareAdmin.Commands.SendDataShareNoticeCommand'
    $NewAgreementCommand = 'DataShareAdmin.Commands.NewDataShareAgreementCommand'
    $SetAgreementCommand = 'DataShareAdmin.Commands.SetDataShareAgreementCommand'

    function Invoke-InFreshRunspace {
        <#
        Runs a script block in a new runspace that imports the module under test and connects this file's register,
        and returns what it wrote: Output, Errors (FullyQualifiedErrorId, Category, Message, TargetObject) and Warnings.
        Nothing it connects (the directory above all) outlives it.
        #>
        param(
            [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
            [object[]] $ArgumentList = @()
        )

        # CreateDefault2: the core commands, and the rest loaded on first use, as in a new pwsh session.
        $shell = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Register)
                    Import-Module $Manifest -ErrorAction Stop
                    Connect-DataShareRegister -Path $Register -ErrorAction Stop
                }).AddArgument($DataShareModuleManifest).AddArgument($RegisterPath)
            $null = $shell.AddStatement().AddScript($ScriptBlock.ToString())
            foreach ($argument in $ArgumentList) {
                $null = $shell.AddArgument($argument)
            }

            $output = @($shell.Invoke())
            [pscustomobject]@{
                Output   = $output
                Errors   = @(foreach ($problem in $shell.Streams.Error) {
                        [pscustomobject]@{
                            Id           = $problem.FullyQualifiedErrorId
                            Category     = $problem.CategoryInfo.Category.ToString()
                            Message      = $problem.Exception.Message
                            TargetObject = $problem.TargetObject
                        }
                    })
                Warnings = @($shell.Streams.Warning | ForEach-Object { $_.Message })
            }
        }
        finally {
            $shell.Dispose()
        }
    }

    function Get-AuditActions {
        <# The actions in the audit log, in order. #>
        @(Get-DataShareAuditLog -ErrorAction Stop | ForEach-Object { $_.Action })
    }

    function Get-ParameterInSet {
        <# A cmdlet parameter as it is declared in one of its parameter sets. #>
        param(
            [Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command,
            [Parameter(Mandatory)] [string] $Set,
            [Parameter(Mandatory)] [string] $Name
        )

        $parameterSet = $Command.ParameterSets | Where-Object Name -EQ $Set
        $parameterSet | Should -Not -BeNullOrEmpty -Because "$($Command.Name) has a parameter set '$Set'"
        $parameterSet.Parameters | Where-Object Name -EQ $Name
    }

    function New-AgreementEndingIn {
        <# An active agreement (approved yesterday) that ends in so many days, with an officer and two recipients. #>
        param(
            [Parameter(Mandatory)] [int] $Days,
            [Parameter(Mandatory)] [string] $Prefix
        )

        $agreement = New-TestAgreement -Id (New-DataShareTestId -Prefix $Prefix) -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays($Days) `
            -ApprovalReference "DSAP-$Prefix"
        Set-DataShareAgreement -Id $agreement.Id -OfficerName 'Asha Khan' -OfficerEmail "officer.$($Prefix.ToLowerInvariant())@contoso.example" -ErrorAction Stop
        foreach ($who in 'first', 'second') {
            $null = Add-DataShareRecipient -AgreementId $agreement.Id -Name "Researcher $who" `
                -Email "$who.$($agreement.Id.ToLowerInvariant())@northbridge.example" -ErrorAction Stop
        }

        Get-DataShareAgreement -Id $agreement.Id -ErrorAction Stop
    }

    function Start-FakeGraph {
        <#
        A stand-in for Microsoft Graph on a free loopback port, served from a background runspace: GET /v1.0/users
        answers a Graph-format user collection with the users (from -Users, keyed by mail) whose mail the $filter
        names, case ignored; GET /v1.0/users/{id} answers with the user of that id; GET /v1.0/groups/{id} answers for the groups in -Groups (group id -> member object ids),
        and DELETE /v1.0/groups/{id}/members/{member}/$ref takes a member out of one (204), or is 404 for someone who is
        not in it; POST /v1.0/users/{mailbox}/sendMail is accepted (202) for the mailboxes in -Mailboxes; anything else
        (any other sendMail included) is 404. Every request is recorded (method, path, decoded query, the Authorization
        and ConsistencyLevel headers, the body); the groups' members as they are now are in .Groups.
        #>
        param(
            [Parameter(Mandatory)] [hashtable] $Users,
            [hashtable] $Groups = @{},
            [string[]] $Mailboxes = @()
        )

        $listener = $null
        for ($attempt = 0; $attempt -lt 5 -and $null -eq $listener; $attempt++) {
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start()
            $port = ([System.Net.IPEndPoint]$probe.LocalEndpoint).Port
            $probe.Stop()

            # 127.0.0.1 first; localhost where the platform lets an unelevated user listen only there (http.sys).
            foreach ($hostName in '127.0.0.1', 'localhost') {
                $candidate = [System.Net.HttpListener]::new()
                $candidate.Prefixes.Add("http://${hostName}:$port/")
                try {
                    $candidate.Start()
                    $listener = $candidate
                    break
                }
                catch {
                    # The port was taken between the probe and the start, or this host name may not be used: try on.
                    $candidate.Close()
                }
            }
        }

        if ($null -eq $listener) {
            throw 'Could not start a loopback HttpListener for the stand-in Graph.'
        }

        # The users as Graph's JSON, built here so the server only picks them.
        $json = @{}
        foreach ($mail in $Users.Keys) {
            $user = $Users[$mail]
            $fields = @(foreach ($name in 'id', 'displayName', 'mail', 'userPrincipalName', 'userType') {
                    '"{0}":"{1}"' -f $name, ("$($user[$name])" -replace '\\', '\\' -replace '"', '\"')
                })
            $fields += '"accountEnabled":' + ([bool]$user['accountEnabled']).ToString().ToLowerInvariant()
            $json[$mail] = '{' + ($fields -join ',') + '}'
        }

        # Each group's members, changed only by the server (DELETE), read by the tests once a command has finished.
        $members = [hashtable]::Synchronized(@{})
        foreach ($group in $Groups.Keys) {
            $members[$group] = [System.Collections.Generic.HashSet[string]]::new([string[]]@($Groups[$group]), [System.StringComparer]::OrdinalIgnoreCase)
        }

        $requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $server = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
        $null = $server.AddScript({
                param($Listener, $Users, $Groups, $Requests, $Mailboxes)
                while ($Listener.IsListening) {
                    try {
                        $context = $Listener.GetContext()
                    }
                    catch {
                        # Stop-FakeGraph stopped the listener.
                        break
                    }

                    $request = $context.Request
                    $query = [System.Uri]::UnescapeDataString($request.Url.Query)
                    $requestBody = $null
                    if ($request.HasEntityBody) {
                        $reader = [System.IO.StreamReader]::new($request.InputStream, $request.ContentEncoding)
                        $requestBody = $reader.ReadToEnd()
                        $reader.Dispose()
                    }

                    $Requests.Enqueue([pscustomobject]@{
                            Method           = $request.HttpMethod
                            Path             = $request.Url.AbsolutePath
                            Query            = $query
                            Authorization    = $request.Headers['Authorization']
                            ConsistencyLevel = $request.Headers['ConsistencyLevel']
                            Body             = $requestBody
                        })

                    $status = 404
                    $body = '{"error":{"code":"Request_ResourceNotFound","message":"The stand-in Graph has no such resource."}}'
                    $path = [System.Uri]::UnescapeDataString($request.Url.AbsolutePath)
                    if ($request.HttpMethod -eq 'GET' -and $path -eq '/v1.0/users') {
                        $found = foreach ($mail in $Users.Keys) {
                            if ($query -match [regex]::Escape("mail eq '$mail'")) {
                                $Users[$mail]
                            }
                        }

                        $status = 200
                        $body = '{"value":[' + (@($found) -join ',') + ']}'
                    }
                    elseif ($request.HttpMethod -eq 'GET' -and $path -match '^/v1\.0/users/([^/]+)$') {
                        $wanted = '"id":"' + $Matches[1] + '"'
                        foreach ($mail in $Users.Keys) {
                            if ($Users[$mail].Contains($wanted, [System.StringComparison]::OrdinalIgnoreCase)) {
                                $status = 200
                                $body = $Users[$mail]
                            }
                        }
                    }
                    elseif ($request.HttpMethod -eq 'GET' -and $path -match '^/v1\.0/groups/([^/]+)$') {
                        if ($Groups.ContainsKey($Matches[1])) {
                            $status = 200
                            $body = '{"id":"' + $Matches[1] + '"}'
                        }
                    }
                    elseif ($request.HttpMethod -eq 'POST' -and $path -match '^/v1\.0/users/([^/]+)/sendMail$' -and $Mailboxes -contains $Matches[1]) {
                        $status = 202
                    }
                    elseif ($request.HttpMethod -eq 'DELETE' -and $path -match '^/v1\.0/groups/([^/]+)/members/([^/]+)/\$ref$') {
                        $inGroup = $Groups[$Matches[1]]
                        if ($null -ne $inGroup -and $inGroup.Remove($Matches[2])) {
                            $status = 204
                        }
                    }

                    $context.Response.StatusCode = $status
                    if ($status -notin 202, 204) {
                        $bytes = [System.Text.Encoding]::UTF8.GetBytes($body)
                        $context.Response.ContentType = 'application/json'
                        $context.Response.ContentLength64 = $bytes.Length
                        $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    }

                    $context.Response.Close()
                }
            }).AddArgument($listener).AddArgument($json).AddArgument($members).AddArgument($requests).AddArgument([string[]]@($Mailboxes))

        [pscustomobject]@{
            Endpoint = "http://${hostName}:$port/v1.0"
            Listener = $listener
            Server   = $server
            Handle   = $server.BeginInvoke()
            Requests = $requests
            Groups   = $members
        }
    }

    function Stop-FakeGraph {
        param($Graph)

        if ($null -eq $Graph) {
            return
        }

        try {
            $Graph.Listener.Stop()
            $Graph.Listener.Close()
            $null = $Graph.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10))
        }
        finally {
            $Graph.Server.Dispose()
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'The directory cmdlets'' parameter sets' {
    It 'Connect-DataShareDirectory has one set per way to sign in, Interactive by default, and no -WhatIf' {
        $command = Get-Command Connect-DataShareDirectory -ErrorAction Stop

        @($command.ParameterSets.Name | Sort-Object) |
            Should -Be @('AccessToken', 'CertificateThumbprint', 'ClientCertificate', 'DeviceCode', 'Interactive', 'ManagedIdentity')
        $command.DefaultParameterSet | Should -Be 'Interactive'
        $command.Parameters.ContainsKey('WhatIf') | Should -BeFalse -Because 'connecting changes nothing in the register'
        $command.Parameters['AccessToken'].ParameterType | Should -Be ([System.Security.SecureString])
        $command.Parameters['GraphEndpoint'].ParameterType | Should -Be ([uri])
    }

    It 'Connect-DataShareDirectory needs <Mandatory> in the <Set> set' -ForEach @(
        @{ Set = 'ManagedIdentity'; Mandatory = @('ManagedIdentity') }
        @{ Set = 'DeviceCode'; Mandatory = @('DeviceCode') }
        @{ Set = 'ClientCertificate'; Mandatory = @('Certificate', 'ClientId', 'TenantId') }
        @{ Set = 'CertificateThumbprint'; Mandatory = @('CertificateThumbprint', 'ClientId', 'TenantId') }
        @{ Set = 'AccessToken'; Mandatory = @('AccessToken') }
        @{ Set = 'Interactive'; Mandatory = @() }
    ) {
        $command = Get-Command Connect-DataShareDirectory -ErrorAction Stop
        $parameterSet = $command.ParameterSets | Where-Object Name -EQ $Set

        @($parameterSet.Parameters | Where-Object IsMandatory | ForEach-Object Name | Sort-Object) | Should -Be $Mandatory
        foreach ($everywhere in 'GraphEndpoint', 'Sender', 'AllowHttpLoopback', 'PassThru') {
            $parameterSet.Parameters.Name | Should -Contain $everywhere
        }
    }

    It 'Connect-DataShareDirectory takes -TenantId everywhere but with a managed identity''s -ClientId, and no -ClientId with a token' {
        $command = Get-Command Connect-DataShareDirectory -ErrorAction Stop

        (Get-ParameterInSet $command 'ManagedIdentity' 'ClientId').IsMandatory | Should -BeFalse
        (Get-ParameterInSet $command 'AccessToken' 'TenantId').IsMandatory | Should -BeFalse
        Get-ParameterInSet $command 'AccessToken' 'ClientId' | Should -BeNullOrEmpty
    }

    It 'Connect-DataShareDirectory declares -ClientId optional in the <Set> set: the engine, not the binder, requires it' -ForEach @(
        @{ Set = 'Interactive' }
        @{ Set = 'DeviceCode' }
    ) {
        $command = Get-Command Connect-DataShareDirectory -ErrorAction Stop

        $clientId = Get-ParameterInSet $command $Set 'ClientId'
        $clientId | Should -Not -BeNullOrEmpty
        $clientId.IsMandatory | Should -BeFalse -Because 'an officer''s sign-in without it fails with DirectorySignInIncomplete when the connection is built'
    }

    It 'Resolve-DataShareRecipient takes agreements (by default, positional), recipient ids or recipients' {
        $command = Get-Command Resolve-DataShareRecipient -ErrorAction Stop

        @($command.ParameterSets.Name | Sort-Object) | Should -Be @('ByAgreement', 'ById', 'ByInputObject')
        $command.DefaultParameterSet | Should -Be 'ByAgreement'

        $agreementId = Get-ParameterInSet $command 'ByAgreement' 'AgreementId'
        $agreementId.IsMandatory | Should -BeFalse -Because 'without it every current recipient is resolved'
        $agreementId.Position | Should -Be 0
        $agreementId.ValueFromPipelineByPropertyName | Should -BeTrue

        $recipientId = Get-ParameterInSet $command 'ById' 'RecipientId'
        $recipientId.IsMandatory | Should -BeTrue
        $recipientId.ValueFromPipelineByPropertyName | Should -BeTrue

        $inputObject = Get-ParameterInSet $command 'ByInputObject' 'InputObject'
        $inputObject.IsMandatory | Should -BeTrue
        $inputObject.ValueFromPipeline | Should -BeTrue
        $command.Parameters['InputObject'].ParameterType | Should -Be ([DataShareAdmin.DataShareRecipient])

        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'Revoke-DataShareAccess takes agreements (by default, required, positional) or recipients' {
        $command = Get-Command Revoke-DataShareAccess -ErrorAction Stop

        @($command.ParameterSets.Name | Sort-Object) | Should -Be @('ByAgreement', 'ByInputObject')
        $command.DefaultParameterSet | Should -Be 'ByAgreement'

        $agreementId = Get-ParameterInSet $command 'ByAgreement' 'AgreementId'
        $agreementId.IsMandatory | Should -BeTrue
        $agreementId.Position | Should -Be 0
        $agreementId.ValueFromPipelineByPropertyName | Should -BeTrue

        $inputObject = Get-ParameterInSet $command 'ByInputObject' 'InputObject'
        $inputObject.IsMandatory | Should -BeTrue
        $inputObject.ValueFromPipeline | Should -BeTrue

        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'Send-DataShareNotice has a set for notices due (by default) and one for a piped transfer, -Kind first in both' {
        $command = Get-Command Send-DataShareNotice -ErrorAction Stop

        @($command.ParameterSets.Name | Sort-Object) | Should -Be @('Due', 'Transfer')
        $command.DefaultParameterSet | Should -Be 'Due'
        foreach ($set in 'Due', 'Transfer') {
            $kind = Get-ParameterInSet $command $set 'Kind'
            $kind.IsMandatory | Should -BeTrue
            $kind.Position | Should -Be 0
        }

        [enum]::GetNames([DataShareAdmin.NoticeKind]) |
            Should -Be @('CertificateLapsing', 'AgreementEnding', 'AssessmentLapsing', 'TransferIssued', 'ReviewDue')

        (Get-ParameterInSet $command 'Due' 'WithinDays').IsMandatory | Should -BeFalse
        (Get-ParameterInSet $command 'Due' 'AgreementId').ValueFromPipelineByPropertyName | Should -BeTrue
        Get-ParameterInSet $command 'Transfer' 'WithinDays' | Should -BeNullOrEmpty
        Get-ParameterInSet $command 'Transfer' 'AgreementId' | Should -BeNullOrEmpty
        (Get-ParameterInSet $command 'Due' 'Force').IsMandatory | Should -BeFalse
        $command.Parameters['Force'].ParameterType | Should -Be ([switch])
        Get-ParameterInSet $command 'Transfer' 'Force' | Should -BeNullOrEmpty

        $transfer = Get-ParameterInSet $command 'Transfer' 'Transfer'
        $transfer.IsMandatory | Should -BeTrue
        $transfer.ValueFromPipeline | Should -BeTrue
        $command.Parameters['Transfer'].ParameterType | Should -Be ([DataShareAdmin.DataShareTransfer])

        $range = $command.Parameters['WithinDays'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
        $range.MinRange | Should -Be 0
        $range.MaxRange | Should -Be 3650
        $command.Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'refuses -WithinDays outside 0 to 3650 when it binds' {
        { Send-DataShareNotice -Kind AgreementEnding -WithinDays 3651 -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId "ParameterArgumentValidationError,$NoticeCommand"
    }
}

Describe 'Connect-DataShareDirectory checks what it is given' {
    It 'refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'plain http to a host that is not loopback'; Endpoint = 'http://graph.example.org/v1.0'; Loopback = $false; ErrorId = 'DirectoryEndpointInsecure' }
        @{ Case = 'plain http to a host that is not loopback, even with -AllowHttpLoopback'; Endpoint = 'http://graph.example.org/v1.0'; Loopback = $true; ErrorId = 'DirectoryEndpointInsecure' }
        @{ Case = 'plain http to loopback without -AllowHttpLoopback'; Endpoint = 'http://127.0.0.1:9/v1.0'; Loopback = $false; ErrorId = 'DirectoryEndpointInsecure' }
        @{ Case = 'a relative endpoint'; Endpoint = 'v1.0'; Loopback = $false; ErrorId = 'DirectoryEndpointInvalid' }
        @{ Case = 'an endpoint with a query string'; Endpoint = 'https://graph.microsoft.com/v1.0?$top=1'; Loopback = $false; ErrorId = 'DirectoryEndpointInvalid' }
        @{ Case = 'an endpoint with a user name'; Endpoint = 'https://someone@graph.microsoft.com/v1.0'; Loopback = $false; ErrorId = 'DirectoryEndpointInvalid' }
    ) {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($Endpoint, $Loopback)
            $token = ConvertTo-SecureString 'pester-token' -AsPlainText -Force
            Connect-DataShareDirectory -AccessToken $token -GraphEndpoint $Endpoint -AllowHttpLoopback:$Loopback -PassThru
        } -ArgumentList $Endpoint, $Loopback

        $result.Output.Count | Should -Be 0
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].Id | Should -Be "$ErrorId,$ConnectCommand"
        $result.Errors[0].Category | Should -Be 'InvalidArgument'
        $result.Errors[0].Message | Should -Not -BeLike '*pester-token*'
    }

    It 'says -AllowHttpLoopback is what a loopback test server needs' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            Connect-DataShareDirectory -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint 'http://127.0.0.1:9/v1.0'
        }

        $result.Errors[0].Message | Should -BeLike '*-AllowHttpLoopback*'
    }

    It 'refuses a blank token with DirectorySignInIncomplete' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            Connect-DataShareDirectory -AccessToken (ConvertTo-SecureString '   ' -AsPlainText -Force)
        }

        @($result.Errors.Id) | Should -Be @("DirectorySignInIncomplete,$ConnectCommand")
    }

    It 'refuses -DeviceCode without -ClientId with DirectorySignInIncomplete, and leaves the session unconnected' {
        $agreement = New-TestAgreement -ApprovalReference 'DSAP-DIR-NOCLIENT'

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($AgreementId)
            # Both errors are non-terminating: the script goes on to Revoke after the refused Connect.
            Connect-DataShareDirectory -DeviceCode -TenantId contoso.onmicrosoft.com -PassThru
            Revoke-DataShareAccess -AgreementId $AgreementId -Confirm:$false
        } -ArgumentList $agreement.Id

        $result.Output.Count | Should -Be 0
        $result.Warnings.Count | Should -Be 0 -Because 'no device code is asked for'
        @($result.Errors.Id) | Should -Be @("DirectorySignInIncomplete,$ConnectCommand", "DirectoryNotConnected,$RevokeCommand")
        $result.Errors[0].Category | Should -Be 'InvalidArgument'
        $result.Errors[0].Message | Should -BeLike '*DeviceCode sign-in needs -ClientId*'
    }

    It 'refuses an interactive sign-in without -ClientId with DirectorySignInIncomplete' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            Connect-DataShareDirectory -TenantId contoso.onmicrosoft.com -PassThru
        }

        $result.Output.Count | Should -Be 0
        @($result.Errors.Id) | Should -Be @("DirectorySignInIncomplete,$ConnectCommand")
        $result.Errors[0].Category | Should -Be 'InvalidArgument'
        $result.Errors[0].Message | Should -BeLike '*Interactive sign-in needs -ClientId*'
    }

    It 'connects with -DeviceCode and -ClientId without a request or a device code, which waits for the first directory cmdlet' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            Connect-DataShareDirectory -DeviceCode -TenantId contoso.onmicrosoft.com -ClientId 9d2c41f7-3b6e-4c1a-8f0e-5a7b2c9d1e34 -PassThru
        }

        $result.Errors.Count | Should -Be 0 -Because (@($result.Errors.Message) -join '; ')
        $result.Warnings.Count | Should -Be 0
        $result.Output.Count | Should -Be 1
        $result.Output[0].Method | Should -Be 'DeviceCode'
        $result.Output[0].TenantId | Should -Be 'contoso.onmicrosoft.com'
    }

    It 'refuses a certificate without its private key with DirectoryCertificateInvalid' {
        $key = [System.Security.Cryptography.RSA]::Create(2048)
        try {
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=DataShareAdmin Pester', $key,
                [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $withKey = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
            $publicOnly = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($withKey.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Cert))
        }
        finally {
            $key.Dispose()
        }

        $publicOnly.HasPrivateKey | Should -BeFalse
        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($Certificate)
            Connect-DataShareDirectory -TenantId contoso.onmicrosoft.com -ClientId 9d2c41f7-3b6e-4c1a-8f0e-5a7b2c9d1e34 -Certificate $Certificate
        } -ArgumentList $publicOnly

        @($result.Errors.Id) | Should -Be @("DirectoryCertificateInvalid,$ConnectCommand")
    }

    It 'refuses a thumbprint in neither personal store with DirectoryCertificateNotFound' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            Connect-DataShareDirectory -TenantId contoso.onmicrosoft.com -ClientId 9d2c41f7-3b6e-4c1a-8f0e-5a7b2c9d1e34 `
                -CertificateThumbprint '00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00 11 22 33'
        }

        @($result.Errors.Id) | Should -Be @("DirectoryCertificateNotFound,$ConnectCommand")
        $result.Errors[0].Category | Should -Be 'ObjectNotFound'
        $result.Errors[0].Message | Should -BeLike '*00112233445566778899AABBCCDDEEFF00112233*'
    }

    It 'connects to a loopback test server with -AllowHttpLoopback, makes no request, and returns no secret with -PassThru' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            $token = ConvertTo-SecureString 'pester-secret-token' -AsPlainText -Force
            $info = Connect-DataShareDirectory -AccessToken $token -GraphEndpoint 'http://127.0.0.1:9/v1.0/' -AllowHttpLoopback `
                -TenantId contoso.onmicrosoft.com -Sender datashare@contoso.example -PassThru
            [pscustomobject]@{ Info = $info; Text = ($info | Format-List * | Out-String) }
        }

        $result.Errors.Count | Should -Be 0 -Because 'nothing listens on port 9, and connecting makes no request'
        $info = $result.Output[0].Info
        $info | Should -BeOfType ([DataShareAdmin.DirectoryConnectionInfo])
        $info.Method | Should -Be 'AccessToken'
        $info.GraphEndpoint.ToString() | Should -Be 'http://127.0.0.1:9/v1.0' -Because 'a trailing / is removed'
        $info.TenantId | Should -Be 'contoso.onmicrosoft.com'
        $info.Sender | Should -Be 'datashare@contoso.example'
        $result.Output[0].Text | Should -Not -BeLike '*pester-secret-token*'
    }

    It 'leaves the session unconnected when connecting fails' {
        $recipient = Add-DataShareRecipient -AgreementId (New-TestAgreement).Id -Name 'Una Connected' -Email 'una.connected@example.org' -ErrorAction Stop

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($RecipientId)
            # Both errors are non-terminating: the script goes on to Resolve after the refused Connect.
            Connect-DataShareDirectory -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint 'http://graph.example.org/v1.0'
            Resolve-DataShareRecipient -RecipientId $RecipientId
        } -ArgumentList $recipient.Id

        @($result.Errors.Id) | Should -Be @("DirectoryEndpointInsecure,$ConnectCommand", "DirectoryNotConnected,$ResolveCommand")
    }
}

Describe 'Before connecting to the directory' {
    BeforeAll {
        $Agreement = New-TestAgreement -ApprovalReference 'DSAP-DIR-UNCONNECTED'
        $Recipient = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Noor Unconnected' -Email 'noor.unconnected@example.org' -ErrorAction Stop
    }

    It 'Resolve-DataShareRecipient <How> stops with DirectoryNotConnected and records nothing' -ForEach @(
        @{ How = 'by agreement'; Script = { param($AgreementId, $RecipientId) Resolve-DataShareRecipient -AgreementId $AgreementId } }
        @{ How = 'by recipient id'; Script = { param($AgreementId, $RecipientId) Resolve-DataShareRecipient -RecipientId $RecipientId } }
        @{ How = 'with recipients piped in'; Script = { param($AgreementId, $RecipientId) Get-DataShareRecipient -AgreementId $AgreementId | Resolve-DataShareRecipient } }
    ) {
        $before = Get-DataShareTestState

        $result = Invoke-InFreshRunspace -ScriptBlock $Script -ArgumentList $Agreement.Id, $Recipient.Id

        $result.Output.Count | Should -Be 0
        @($result.Errors.Id) | Should -Be @("DirectoryNotConnected,$ResolveCommand")
        $result.Errors[0].Category | Should -Be 'InvalidOperation'
        $result.Errors[0].Message | Should -BeLike '*Connect-DataShareDirectory*'
        (Get-DataShareRecipient -Id $Recipient.Id -ErrorAction Stop).DirectoryObjectId | Should -BeNullOrEmpty
        $after = Get-DataShareTestState
        $after.AuditCount | Should -Be $before.AuditCount
        $after.AuditHead | Should -Be $before.AuditHead
    }

    It 'Revoke-DataShareAccess <How> stops with DirectoryNotConnected and changes nothing' -ForEach @(
        @{ How = 'by agreement'; Script = { param($AgreementId) Revoke-DataShareAccess -AgreementId $AgreementId -Confirm:$false } }
        @{ How = 'with recipients piped in'; Script = { param($AgreementId) Get-DataShareRecipient -AgreementId $AgreementId | Revoke-DataShareAccess -Confirm:$false } }
        @{ How = 'with -WhatIf'; Script = { param($AgreementId) Revoke-DataShareAccess $AgreementId -WhatIf } }
    ) {
        $before = Get-DataShareTestState

        $result = Invoke-InFreshRunspace -ScriptBlock $Script -ArgumentList $Agreement.Id

        $result.Output.Count | Should -Be 0
        @($result.Errors.Id) | Should -Be @("DirectoryNotConnected,$RevokeCommand")
        $result.Errors[0].Category | Should -Be 'InvalidOperation'
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
        Get-AuditActions | Should -Not -Contain 'Access.Revoke'
    }

    It 'Revoke-DataShareAccess names an unknown agreement before it needs the directory' {
        $result = Invoke-InFreshRunspace -ScriptBlock { Revoke-DataShareAccess -AgreementId 'NOSUCHDIR1' -Confirm:$false }

        @($result.Errors.Id) | Should -Be @("AgreementNotFound,$RevokeCommand")
    }
}

Describe 'Send-DataShareNotice without a directory connection' {
    BeforeAll {
        $Ending = New-AgreementEndingIn -Days 10 -Prefix 'NEAR'
        $Later = New-AgreementEndingIn -Days 100 -Prefix 'FAR'
        $EndingEmails = @(Get-DataShareRecipient -AgreementId $Ending.Id -ErrorAction Stop | ForEach-Object Email)
        $LaterEmails = @(Get-DataShareRecipient -AgreementId $Later.Id -ErrorAction Stop | ForEach-Object Email)
    }

    It '-Kind AgreementEnding -WithinDays 30 -WhatIf sends nothing, needs no connection, and writes nothing' {
        $before = Get-DataShareTestState

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($Agreements)
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $Agreements -WhatIf
        } -ArgumentList (, @($Ending.Id, $Later.Id))

        $result.Output.Count | Should -Be 0 -Because 'nothing was sent'
        $result.Errors.Count | Should -Be 0 -Because '-WhatIf needs no directory connection'
        $result.Warnings.Count | Should -Be 0
        $after = Get-DataShareTestState
        $after.AuditCount | Should -Be $before.AuditCount
        $after.AuditHead | Should -Be $before.AuditHead
        Get-AuditActions | Should -Not -Contain 'Notice.Send'
    }

    It '-WhatIf shows who would be mailed, and copied, for the agreements that end within the window only' {
        # The What if messages are written to the host, not to a stream: a child pwsh prints them on standard output.
        $script = @'
param($Manifest, $Register, $Near, $Far)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
Connect-DataShareRegister -Path $Register
Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $Near, $Far -WhatIf
'@
        $scriptPath = Join-Path $TestDrive 'notice-whatif.ps1'
        Set-Content -LiteralPath $scriptPath -Value $script -Encoding utf8
        $run = Invoke-DataShareTestPwsh -ArgumentList '-File', $scriptPath, '-Manifest', $DataShareModuleManifest, '-Register', $RegisterPath,
            '-Near', $Ending.Id, '-Far', $Later.Id
        $lines = $run.Lines
        $run.ExitCode | Should -Be 0 -Because $run.Output

        $whatIf = @($lines | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 1 -Because "only $($Ending.Id) ends within 30 days: $($lines -join ' | ')"
        $whatIf[0] | Should -BeLike "*Mail the AgreementEnding notice about $($Ending.Id) (copy to $($Ending.OfficerEmail))*"
        foreach ($email in $EndingEmails) {
            $whatIf[0] | Should -BeLike "*$email*"
        }

        foreach ($email in $LaterEmails) {
            ($lines -join ' ') | Should -Not -BeLike "*$email*"
        }

        Get-AuditActions | Should -Not -Contain 'Notice.Send'
    }

    It 'without -WhatIf, stops with DirectoryNotConnected at the first notice and sends nothing' {
        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($AgreementId)
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $AgreementId -Confirm:$false
        } -ArgumentList $Ending.Id

        $result.Output.Count | Should -Be 0
        @($result.Errors.Id) | Should -Be @("DirectoryNotConnected,$NoticeCommand")
        $result.Errors[0].Message | Should -BeLike '*Connect-DataShareDirectory*'
        Get-AuditActions | Should -Not -Contain 'Notice.Send'
    }

    It '-Kind TransferIssued with a transfer that carries no link stops with TransferLinkUnavailable' {
        $transfer = [DataShareAdmin.DataShareTransfer]@{ Id = 'TR-0000000000'; AgreementId = $Ending.Id }
        $transfer.Uri | Should -BeNullOrEmpty

        foreach ($whatIf in $false, $true) {
            $result = Invoke-InFreshRunspace -ScriptBlock {
                param($Transfer, $WhatIf)
                $Transfer | Send-DataShareNotice -Kind TransferIssued -WhatIf:$WhatIf -Confirm:$false
            } -ArgumentList $transfer, $whatIf

            $result.Output.Count | Should -Be 0
            @($result.Errors.Id) | Should -Be @("TransferLinkUnavailable,$NoticeCommand")
            $result.Errors[0].Category | Should -Be 'InvalidOperation'
            $result.Errors[0].Message | Should -BeLike '*New-DataShareTransfer -FromTransfer TR-0000000000*'
        }

        Get-AuditActions | Should -Not -Contain 'Notice.Send'
    }

    It 'refuses a piped transfer with another -Kind (NoticeKindInvalid), and TransferIssued with no transfer (NoticeKindNeedsTransfer)' {
        $transfer = [DataShareAdmin.DataShareTransfer]@{ Id = 'TR-0000000001'; AgreementId = $Ending.Id; Uri = [DataShareAdmin.DataShareLink]::new([uri]'https://contosodata.blob.core.windows.net/dsa-x?sig=secret') }

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($Transfer)
            $Transfer | Send-DataShareNotice -Kind AgreementEnding -WhatIf
            Send-DataShareNotice -Kind TransferIssued -WhatIf
        } -ArgumentList $transfer

        @($result.Errors.Id) | Should -Be @("NoticeKindInvalid,$NoticeCommand", "NoticeKindNeedsTransfer,$NoticeCommand")
        foreach ($problem in $result.Errors) {
            $problem.Message | Should -Not -BeLike '*sig=secret*'
        }
    }

    It '-AgreementId NOPE1 -WhatIf is an AgreementNotFound error, not a quiet "no notices"' {
        $before = Get-DataShareTestState

        $result = Invoke-InFreshRunspace -ScriptBlock {
            Send-DataShareNotice -Kind AgreementEnding -AgreementId NOPE1 -WhatIf
        }

        $result.Output.Count | Should -Be 0
        @($result.Errors.Id) | Should -Be @("AgreementNotFound,$NoticeCommand")
        $result.Errors[0].Category | Should -Be 'ObjectNotFound'
        $result.Errors[0].Message | Should -BeLike '*NOPE1*'
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
    }

    It 'with only unknown agreement ids sends nothing, and with a known one as well goes on to it' {
        # Unconnected and without -WhatIf: a notice that was to be sent would stop with DirectoryNotConnected. Only
        # unknown ids must not fall back to every agreement (the NEAR one is due), so there is no such error.
        $result = Invoke-InFreshRunspace -ScriptBlock {
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId NOPE1, NOPE2 -Confirm:$false
        }

        @($result.Errors.Id) | Should -Be @("AgreementNotFound,$NoticeCommand", "AgreementNotFound,$NoticeCommand")

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($AgreementId)
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId NOPE1, $AgreementId -Confirm:$false
        } -ArgumentList $Ending.Id

        @($result.Errors.Id) | Should -Be @("AgreementNotFound,$NoticeCommand", "DirectoryNotConnected,$NoticeCommand")
        Get-AuditActions | Should -Not -Contain 'Notice.Send'
    }
}

Describe 'Agreements'' access groups and responsible officer' {
    It 'records the access groups as lower-case GUIDs, each once, and the officer' {
        $parameters = Get-DataShareTestAgreementParameter
        $null = Initialize-DataShareTestOrganisation -Name $parameters.Organisation
        $created = New-DataShareAgreement @parameters -AccessGroupId '{8C1F3A52-0B7E-4D2A-9A64-2F0E5C1D7B90}', '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90', '2b6e0d4f93a14c7eb5d80f1e2a3b4c5d' `
            -OfficerName '  Asha Khan ' -OfficerEmail ' asha.khan@contoso.example ' -ErrorAction Stop

        @($created.AccessGroupIds) | Should -Be @('8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90', '2b6e0d4f-93a1-4c7e-b5d8-0f1e2a3b4c5d')
        $created.OfficerName | Should -BeExactly 'Asha Khan'
        $created.OfficerEmail | Should -BeExactly 'asha.khan@contoso.example'

        $stored = Get-DataShareAgreement -Id $created.Id -ErrorAction Stop
        @($stored.AccessGroupIds) | Should -Be @('8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90', '2b6e0d4f-93a1-4c7e-b5d8-0f1e2a3b4c5d')
        $stored.OfficerEmail | Should -BeExactly 'asha.khan@contoso.example'
    }

    It 'New-DataShareAgreement refuses a group named by its display name with AgreementAccessGroupInvalid and creates nothing' {
        $parameters = Get-DataShareTestAgreementParameter
        $null = Initialize-DataShareTestOrganisation -Name $parameters.Organisation
        $before = Get-DataShareTestState

        { New-DataShareAgreement @parameters -AccessGroupId 'Approved researchers' -ErrorAction Stop } |
            Should -Throw -ErrorId "AgreementAccessGroupInvalid,$NewAgreementCommand" -ExpectedMessage "*'Approved researchers'*"

        $after = Get-DataShareTestState
        $after.Agreements | Should -Be $before.Agreements
        $after.AuditHead | Should -Be $before.AuditHead
    }

    Context 'Set-DataShareAgreement' {
        BeforeAll {
            $Agreement = New-TestAgreement
            Set-DataShareAgreement -Id $Agreement.Id -AccessGroupId '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90' -OfficerName 'Asha Khan' `
                -OfficerEmail 'asha.khan@contoso.example' -ErrorAction Stop
        }

        It 'refuses -AccessGroupId <Value> with AgreementAccessGroupInvalid and writes nothing' -ForEach @(
            @{ Value = 'nope' }
            @{ Value = '8c1f3a52-0b7e-4d2a-9a64' }
        ) {
            $before = Get-DataShareTestState

            { Set-DataShareAgreement -Id $Agreement.Id -AccessGroupId $Value -ErrorAction Stop } |
                Should -Throw -ErrorId "AgreementAccessGroupInvalid,$SetAgreementCommand"

            $after = Get-DataShareTestState
            $after.AuditCount | Should -Be $before.AuditCount
            $after.AuditHead | Should -Be $before.AuditHead
            @((Get-DataShareAgreement -Id $Agreement.Id -ErrorAction Stop).AccessGroupIds) | Should -Be @('8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90')
        }

        It 'refuses -OfficerEmail <Value> with AgreementOfficerEmailInvalid and writes nothing' -ForEach @(
            @{ Value = 'bad' }
            @{ Value = 'asha khan@contoso.example' }
        ) {
            $before = Get-DataShareTestState

            { Set-DataShareAgreement -Id $Agreement.Id -OfficerEmail $Value -ErrorAction Stop } |
                Should -Throw -ErrorId "AgreementOfficerEmailInvalid,$SetAgreementCommand"

            $after = Get-DataShareTestState
            $after.AuditCount | Should -Be $before.AuditCount
            $after.AuditHead | Should -Be $before.AuditHead
            (Get-DataShareAgreement -Id $Agreement.Id -ErrorAction Stop).OfficerEmail | Should -BeExactly 'asha.khan@contoso.example'
        }

        It 'refuses a bad group given with a good officer email, and changes neither' {
            { Set-DataShareAgreement -Id $Agreement.Id -AccessGroupId 'nope' -OfficerEmail 'someone.else@contoso.example' -ErrorAction Stop } |
                Should -Throw -ErrorId "AgreementAccessGroupInvalid,$SetAgreementCommand"

            $stored = Get-DataShareAgreement -Id $Agreement.Id -ErrorAction Stop
            $stored.OfficerEmail | Should -BeExactly 'asha.khan@contoso.example'
            @($stored.AccessGroupIds) | Should -Be @('8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90')
        }

        It 'records a change of groups in the audit log, and clears groups and officer with empty values' {
            Set-DataShareAgreement -Id $Agreement.Id -AccessGroupId '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90', '2b6e0d4f-93a1-4c7e-b5d8-0f1e2a3b4c5d' -ErrorAction Stop
            $entry = Get-DataShareAuditLog -TargetId $Agreement.Id -Action 'Agreement.Update' -ErrorAction Stop | Select-Object -Last 1
            $entry.Details['AccessGroupIds'] |
                Should -Be '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90 -> 8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90, 2b6e0d4f-93a1-4c7e-b5d8-0f1e2a3b4c5d'

            Set-DataShareAgreement -Id $Agreement.Id -AccessGroupId @() -OfficerName '' -OfficerEmail '' -ErrorAction Stop

            $stored = Get-DataShareAgreement -Id $Agreement.Id -ErrorAction Stop
            @($stored.AccessGroupIds).Count | Should -Be 0
            $stored.OfficerName | Should -BeNullOrEmpty
            $stored.OfficerEmail | Should -BeNullOrEmpty
        }
    }
}

Describe 'The directory policy settings' {
    It 'has <Name> with the default <Default>' -ForEach @(
        @{ Name = 'DirectoryAccountRequired'; Default = 'true' }
        @{ Name = 'DirectoryRequiredGroupId'; Default = '' }
        @{ Name = 'DirectoryBlockGuestSignIn'; Default = 'false' }
        @{ Name = 'NoticeSender'; Default = '' }
        @{ Name = 'NoticeRepeatDays'; Default = '7' }
    ) {
        $setting = Get-DataSharePolicy -Name $Name -ErrorAction Stop

        "$($setting.DefaultValue)" | Should -BeExactly $Default
        $setting.Area | Should -Be 'Directory'
    }

    It 'refuses <Value> for <Name> with PolicyValueInvalid' -ForEach @(
        @{ Name = 'DirectoryRequiredGroupId'; Value = 'Approved researchers' }
        @{ Name = 'NoticeSender'; Value = 'not-a-mailbox' }
        @{ Name = 'DirectoryBlockGuestSignIn'; Value = 'sometimes' }
        @{ Name = 'NoticeRepeatDays'; Value = '366' }
        @{ Name = 'NoticeRepeatDays'; Value = 'weekly' }
    ) {
        { Set-DataSharePolicy -Name $Name -Value $Value -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicyValueInvalid,DataShareAdmin.Commands.SetDataSharePolicyCommand'
    }
}

Describe 'Resolve-DataShareRecipient against a loopback stand-in for Microsoft Graph' {
    BeforeAll {
        $GuestId = '6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6'
        $GuestPrincipalName = 'jo.guest_example.org#EXT#@contoso.onmicrosoft.com'
        $Graph = Start-FakeGraph -Users @{
            'jo.guest@example.org' = @{
                id                = $GuestId
                displayName       = 'Jo Guest'
                mail              = 'jo.guest@example.org'
                userPrincipalName = $GuestPrincipalName
                userType          = 'Guest'
                accountEnabled    = $true
            }
        }

        $Agreement = New-TestAgreement -ApprovalReference 'DSAP-DIR-GRAPH'
        $Guest = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Jo Guest' -Email 'Jo.Guest@Example.org' -ErrorAction Stop
        $Nobody = Add-DataShareRecipient -AgreementId $Agreement.Id -Name 'Nia Nobody' -Email 'nia.nobody@example.org' -ErrorAction Stop

        $ResolveOnce = {
            param($Endpoint, $RecipientId)
            $token = ConvertTo-SecureString 'pester-graph-token' -AsPlainText -Force
            Connect-DataShareDirectory -AccessToken $token -GraphEndpoint $Endpoint -AllowHttpLoopback -ErrorAction Stop
            Resolve-DataShareRecipient -RecipientId $RecipientId
        }
    }

    AfterAll {
        Stop-FakeGraph $Graph
    }

    It 'records the guest''s object id, found by mail although the user principal name differs, with a Person.Resolve entry' {
        $result = Invoke-InFreshRunspace -ScriptBlock $ResolveOnce -ArgumentList $Graph.Endpoint, $Guest.Id

        $result.Errors.Count | Should -Be 0 -Because (@($result.Errors.Message) -join '; ')
        $result.Output.Count | Should -Be 1
        $resolution = $result.Output[0]
        $resolution | Should -BeOfType ([DataShareAdmin.DirectoryResolution])
        $resolution.Status | Should -Be ([DataShareAdmin.DirectoryMatch]::Resolved)
        $resolution.ObjectId | Should -Be $GuestId
        $resolution.UserPrincipalName | Should -Be $GuestPrincipalName
        $resolution.UserType | Should -Be 'Guest'
        $resolution.AccountEnabled | Should -BeTrue
        $resolution.Recorded | Should -BeTrue
        $resolution.RecipientId | Should -Be $Guest.Id

        (Get-DataShareRecipient -Id $Guest.Id -ErrorAction Stop).DirectoryObjectId | Should -Be $GuestId
        $entry = @(Get-DataShareAuditLog -Action 'Person.Resolve' -TargetId $Guest.PersonId -ErrorAction Stop)
        $entry.Count | Should -Be 1
        $entry[0].TargetType | Should -Be 'Person'
        $entry[0].Details['ObjectId'] | Should -Be $GuestId
        $entry[0].Details['UserType'] | Should -Be 'Guest'

        $request = @($Graph.Requests.ToArray() | Where-Object Path -EQ '/v1.0/users')[-1]
        $request.Method | Should -Be 'GET'
        $request.Authorization | Should -Be 'Bearer pester-graph-token'
        $request.ConsistencyLevel | Should -Be 'eventual'
        $request.Query | Should -BeLike "*mail eq 'Jo.Guest@Example.org'*"
        $request.Query | Should -BeLike "*proxyAddresses/any(p:p eq 'smtp:Jo.Guest@Example.org')*"
    }

    It 'writes nothing when the account found is the one already recorded' {
        $before = Get-DataShareTestState

        $result = Invoke-InFreshRunspace -ScriptBlock $ResolveOnce -ArgumentList $Graph.Endpoint, $Guest.Id

        $result.Errors.Count | Should -Be 0
        $result.Output[0].Status | Should -Be ([DataShareAdmin.DirectoryMatch]::Resolved)
        $result.Output[0].Recorded | Should -BeFalse
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
    }

    It 'warns about a person with no account and records nothing' {
        $before = Get-DataShareTestState

        $result = Invoke-InFreshRunspace -ScriptBlock $ResolveOnce -ArgumentList $Graph.Endpoint, $Nobody.Id

        $result.Errors.Count | Should -Be 0
        $result.Output[0].Status | Should -Be ([DataShareAdmin.DirectoryMatch]::NotFound)
        $result.Output[0].Recorded | Should -BeFalse
        $result.Output[0].ObjectId | Should -BeNullOrEmpty
        @($result.Warnings) | Should -HaveCount 1
        $result.Warnings[0] | Should -BeLike "nia.nobody@example.org ($($Nobody.Id)):*Invite the person as a guest*"
        (Get-DataShareRecipient -Id $Nobody.Id -ErrorAction Stop).DirectoryObjectId | Should -BeNullOrEmpty
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
    }
}

Describe 'Revoke-DataShareAccess against a loopback stand-in for Microsoft Graph' {
    BeforeAll {
        $JoId = '3c9e7a51-2d4b-4f6e-8a1c-5b7d9e0f1a2b'
        $SharedGroup = '8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90'
        $MissingGroup = '00000000-1111-2222-3333-444444444444'
        $Graph = Start-FakeGraph -Users @{
            'jo.revoke@example.org' = @{
                id                = $JoId
                displayName       = 'Jo Revoke'
                mail              = 'jo.revoke@example.org'
                userPrincipalName = 'jo.revoke_example.org#EXT#@contoso.onmicrosoft.com'
                userType          = 'Guest'
                accountEnabled    = $true
            }
        } -Groups @{ $SharedGroup = @($JoId) }

        # Jo is on two agreements that use the same group: the one revoked (which also names a group that does not
        # exist) and a suspended one, which gives no access and so keeps no one in the group.
        $Revoked = New-TestAgreement -ApprovalReference 'DSAP-DIR-REVOKED'
        $Suspended = New-TestAgreement -ApprovalReference 'DSAP-DIR-SUSPENDED'
        Set-DataShareAgreement -Id $Revoked.Id -AccessGroupId $MissingGroup, $SharedGroup -ErrorAction Stop
        Set-DataShareAgreement -Id $Suspended.Id -AccessGroupId $SharedGroup -ErrorAction Stop
        $Jo = Add-DataShareRecipient -AgreementId $Revoked.Id -Name 'Jo Revoke' -Email 'jo.revoke@example.org' -ErrorAction Stop
        $null = Add-DataShareRecipient -AgreementId $Suspended.Id -Name 'Jo Revoke' -Email 'jo.revoke@example.org' -ErrorAction Stop
        Set-DataShareAgreement -Id $Suspended.Id -Suspended $true -Confirm:$false -ErrorAction Stop
    }

    AfterAll {
        Stop-FakeGraph $Graph
    }

    It 'takes the person out of a group a suspended agreement also uses, and reports a group that does not exist as a failed, audited change' {
        (Get-DataShareAgreement -Id $Suspended.Id -ErrorAction Stop).Status | Should -Be 'Suspended'

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($Endpoint, $AgreementId)
            $token = ConvertTo-SecureString 'pester-graph-token' -AsPlainText -Force
            Connect-DataShareDirectory -AccessToken $token -GraphEndpoint $Endpoint -AllowHttpLoopback -ErrorAction Stop
            $null = Resolve-DataShareRecipient -AgreementId $AgreementId -ErrorAction Stop
            Revoke-DataShareAccess -AgreementId $AgreementId -Confirm:$false
        } -ArgumentList $Graph.Endpoint, $Revoked.Id

        $changes = @($result.Output)
        $changes.Count | Should -Be 2 -Because (@($result.Errors.Message) -join '; ')
        $changes[0].Action | Should -Be ([DataShareAdmin.AccessAction]::Failed)
        $changes[0].GroupId | Should -Be $MissingGroup
        $changes[0].Reason | Should -BeLike "*$MissingGroup*does not exist in the directory*"
        $changes[1].Action | Should -Be ([DataShareAdmin.AccessAction]::RemovedFromGroup) -Because 'a suspended agreement keeps no one''s group'
        $changes[1].GroupId | Should -Be $SharedGroup
        foreach ($change in $changes) {
            $change.RecipientId | Should -Be $Jo.Id
            $change.ObjectId | Should -Be $JoId
        }

        @($result.Errors.Id) | Should -Be @("AccessRevokeFailed,$RevokeCommand")
        $result.Errors[0].Category | Should -Be 'WriteError'
        $Graph.Groups[$SharedGroup].Count | Should -Be 0

        # Each group was looked up once; nothing was asked of the group that does not exist beyond that.
        $paths = @($Graph.Requests.ToArray() | ForEach-Object { '{0} {1}' -f $_.Method, [System.Uri]::UnescapeDataString($_.Path) })
        @($paths | Where-Object { $_ -eq "GET /v1.0/groups/$MissingGroup" }).Count | Should -Be 1
        @($paths | Where-Object { $_ -eq "GET /v1.0/groups/$SharedGroup" }).Count | Should -Be 1
        @($paths | Where-Object { $_ -like "DELETE */groups/$MissingGroup/*" }).Count | Should -Be 0
        @($paths | Where-Object { $_ -eq "DELETE /v1.0/groups/$SharedGroup/members/$JoId/`$ref" }).Count | Should -Be 1

        $audit = @(Get-DataShareAuditLog -Action 'Access.Revoke' -TargetId $Jo.Id -ErrorAction Stop)
        @($audit | ForEach-Object { $_.Details['Result'] }) | Should -Be @('Failed', 'RemovedFromGroup')
        $audit[0].Details['GroupId'] | Should -Be $MissingGroup
        $audit[0].Details['Reason'] | Should -BeLike '*does not exist in the directory*'
    }
}

Describe 'Send-DataShareNotice against a loopback stand-in for Microsoft Graph' {
    BeforeAll {
        # The stand-in answers every sendMail with 404, as for a mailbox that does not exist.
        $Graph = Start-FakeGraph -Users @{}
        $First = New-AgreementEndingIn -Days 5 -Prefix 'MBXA'
        $Second = New-AgreementEndingIn -Days 6 -Prefix 'MBXB'

        $SendBoth = {
            param($Endpoint, $Agreements, $Sender)
            $token = ConvertTo-SecureString 'pester-graph-token' -AsPlainText -Force
            $connect = @{ AccessToken = $token; GraphEndpoint = $Endpoint; AllowHttpLoopback = $true; ErrorAction = 'Stop' }
            if ($Sender) {
                $connect.Sender = $Sender
            }

            Connect-DataShareDirectory @connect
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $Agreements -Confirm:$false
        }

        function Get-SendMailPath {
            <# The paths of the sendMail requests the stand-in has had so far, decoded. #>
            @($Graph.Requests.ToArray() | Where-Object { $_.Method -eq 'POST' -and $_.Path -like '*/sendMail' } |
                    ForEach-Object { [System.Uri]::UnescapeDataString($_.Path) })
        }
    }

    AfterAll {
        Set-DataSharePolicy -Name NoticeSender -Default -Confirm:$false -ErrorAction SilentlyContinue
        Stop-FakeGraph $Graph
    }

    It 'with a delegated sign-in sends from the officer''s own mailbox, whatever NoticeSender says, and one notice failing does not stop the other' {
        Set-DataSharePolicy -Name NoticeSender -Value 'datashare@contoso.example' -Confirm:$false -ErrorAction Stop
        $before = Get-DataShareTestState
        $sentBefore = (Get-SendMailPath).Count

        $result = Invoke-InFreshRunspace -ScriptBlock $SendBoth -ArgumentList $Graph.Endpoint, @($First.Id, $Second.Id), $null

        $notices = @($result.Output)
        $notices.Count | Should -Be 2 -Because 'a notice that was not sent is returned too'
        @($notices | ForEach-Object Subject) | Should -Be @($First.Id, $Second.Id)
        foreach ($notice in $notices) {
            $notice | Should -BeOfType ([DataShareAdmin.DataShareNotice])
            $notice.Sent | Should -BeFalse
            $notice.Problem | Should -Not -BeNullOrEmpty
        }

        @($result.Errors.Id) | Should -Be @("NoticeNotSent,$NoticeCommand", "NoticeNotSent,$NoticeCommand")
        $result.Errors[0].Category | Should -Be 'WriteError'
        $result.Errors[0].Message | Should -BeLike "*AgreementEnding notice about $($First.Id)*was not sent*"

        $paths = @(Get-SendMailPath | Select-Object -Skip $sentBefore)
        $paths | Should -Be @('/v1.0/me/sendMail', '/v1.0/me/sendMail') -Because 'NoticeSender is for application sign-ins only'
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead -Because 'a notice that was not sent is not audited'
    }

    It 'with a delegated sign-in and -Sender sends from that (shared) mailbox' {
        $sentBefore = (Get-SendMailPath).Count

        $result = Invoke-InFreshRunspace -ScriptBlock $SendBoth -ArgumentList $Graph.Endpoint, @($First.Id), 'shared.notices@contoso.example'

        @($result.Output).Count | Should -Be 1
        @($result.Errors.Id) | Should -Be @("NoticeNotSent,$NoticeCommand")
        @(Get-SendMailPath | Select-Object -Skip $sentBefore) | Should -Be @('/v1.0/users/shared.notices@contoso.example/sendMail')
    }

    It 'with an application sign-in and neither -Sender nor NoticeSender stops with NoticeSenderMissing before anything is sent' {
        Set-DataSharePolicy -Name NoticeSender -Default -Confirm:$false -ErrorAction Stop
        $requestsBefore = $Graph.Requests.Count

        $result = Invoke-InFreshRunspace -ScriptBlock {
            param($Endpoint, $Agreements)
            # A managed identity: connecting makes no request, and no token is needed before the sender is checked.
            Connect-DataShareDirectory -ManagedIdentity -GraphEndpoint $Endpoint -AllowHttpLoopback -ErrorAction Stop
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $Agreements -Confirm:$false
        } -ArgumentList $Graph.Endpoint, @($First.Id, $Second.Id)

        $result.Output.Count | Should -Be 0
        @($result.Errors.Id) | Should -Be @("NoticeSenderMissing,$NoticeCommand")
        $result.Errors[0].Category | Should -Be 'InvalidOperation'
        $Graph.Requests.Count | Should -Be $requestsBefore
    }
}

Describe 'Send-DataShareNotice does not mail the same notice again within NoticeRepeatDays' {
    BeforeAll {
        $Mailbox = 'notices@contoso.example'
        $Graph = Start-FakeGraph -Users @{} -Mailboxes $Mailbox
        $Ending = New-AgreementEndingIn -Days 4 -Prefix 'RPTA'

        $Send = {
            param($Endpoint, $AgreementId, $Sender, $Force)
            $token = ConvertTo-SecureString 'pester-graph-token' -AsPlainText -Force
            Connect-DataShareDirectory -AccessToken $token -GraphEndpoint $Endpoint -AllowHttpLoopback -Sender $Sender -ErrorAction Stop
            Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $AgreementId -Force:$Force -Confirm:$false -Verbose 4>&1
        }

        function Get-MailCount {
            @($Graph.Requests.ToArray() | Where-Object { $_.Method -eq 'POST' -and $_.Path -like '*/sendMail' }).Count
        }
    }

    AfterAll {
        Set-DataSharePolicy -Name NoticeRepeatDays -Default -Confirm:$false -ErrorAction SilentlyContinue
        Stop-FakeGraph $Graph
    }

    It 'mails it once, holds it back on the next run with a verbose message, and mails it again with -Force' {
        $first = Invoke-InFreshRunspace -ScriptBlock $Send -ArgumentList $Graph.Endpoint, $Ending.Id, $Mailbox, $false
        @($first.Errors) | Should -HaveCount 0
        $sent = @($first.Output | Where-Object { $_ -is [DataShareAdmin.DataShareNotice] })
        $sent | Should -HaveCount 1
        $sent[0].Sent | Should -BeTrue
        $sent[0].Due | Should -Be $Ending.EndsOn.Date
        Get-MailCount | Should -Be 1

        $second = Invoke-InFreshRunspace -ScriptBlock $Send -ArgumentList $Graph.Endpoint, $Ending.Id, $Mailbox, $false
        @($second.Errors) | Should -HaveCount 0
        @($second.Output | Where-Object { $_ -is [DataShareAdmin.DataShareNotice] }) | Should -HaveCount 0
        @($second.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "*notice about $($Ending.Id) again*-Force*" }) |
            Should -HaveCount 1
        Get-MailCount | Should -Be 1 -Because 'the notice went within NoticeRepeatDays (7)'

        $forced = Invoke-InFreshRunspace -ScriptBlock $Send -ArgumentList $Graph.Endpoint, $Ending.Id, $Mailbox, $true
        @($forced.Output | Where-Object { $_ -is [DataShareAdmin.DataShareNotice] }) | Should -HaveCount 1
        Get-MailCount | Should -Be 2
    }

    It 'mails it on every run when NoticeRepeatDays is 0' {
        Set-DataSharePolicy -Name NoticeRepeatDays -Value 0 -Confirm:$false -ErrorAction Stop
        $before = Get-MailCount

        $result = Invoke-InFreshRunspace -ScriptBlock $Send -ArgumentList $Graph.Endpoint, $Ending.Id, $Mailbox, $false

        @($result.Output | Where-Object { $_ -is [DataShareAdmin.DataShareNotice] }) | Should -HaveCount 1
        Get-MailCount | Should -Be ($before + 1)
    }
}

Describe 'One agreement''s people resolved, tested, mailed and revoked against a loopback stand-in for Microsoft Graph' {
    BeforeAll {
        $Token = 'secret-graph-token-4b1d'
        $JoId = '6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6'
        $SamId = '0b7e4d2a-9a64-4f0e-8c1f-3a520b7e4d2a'
        $Group = '5d3e1f0a-7b2c-4e9d-8a61-0c4b2e7f9d13'
        $Mailbox = 'notices@contoso.example'
        $Graph = Start-FakeGraph -Users @{
            'jo.dir@example.org'      = @{ id = $JoId; displayName = 'Jo Dir'; mail = 'jo.dir@example.org'; userPrincipalName = 'jo.dir_example.org#EXT#@contoso.onmicrosoft.com'; userType = 'Guest'; accountEnabled = $true }
            'sam.dir@contoso.example' = @{ id = $SamId; displayName = 'Sam Dir'; mail = 'sam.dir@contoso.example'; userPrincipalName = 'sam.dir@contoso.example'; userType = 'Member'; accountEnabled = $false }
        } -Groups @{ $Group = @($JoId, $SamId) } -Mailboxes $Mailbox

        $Shared = New-TestAgreement -Id (New-DataShareTestId -Prefix 'DIR') -StartsOn $Today.AddDays(-30) -EndsOn $Today.AddDays(20) -ApprovalReference 'DSAP-DIR-ONE'
        Set-DataShareAgreement -Id $Shared.Id -AccessGroupId $Group -OfficerName 'Ada Officer' -OfficerEmail 'ada@council.example' -ErrorAction Stop
        $People = @{}
        foreach ($email in 'jo.dir@example.org', 'sam.dir@contoso.example', 'nobody.dir@example.org') {
            $People[$email] = Add-DataShareRecipient -AgreementId $Shared.Id -Name $email.Split('@')[0] -Email $email -ErrorAction Stop
        }

        $Connected = {
            param($Endpoint, $Token, $Mailbox, $Command)
            Connect-DataShareDirectory -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -GraphEndpoint $Endpoint -AllowHttpLoopback -Sender $Mailbox -ErrorAction Stop
            & ([scriptblock]::Create($Command))
        }

        function Invoke-Connected {
            <# Runs a command in a runspace of its own connected to the stand-in (so the connection ends with it); every stream. #>
            param([Parameter(Mandatory)] [string] $Command)
            Invoke-DataShareTestRunspace -ScriptBlock $Connected -ArgumentList $Graph.Endpoint, $Token, $Mailbox, $Command
        }

        function Get-PeopleAudit([string] $Action) {
            $ids = @($People.Values | ForEach-Object { $_.PersonId; $_.Id })
            @(Get-DataShareAuditLog -Action $Action -ErrorAction Stop | Where-Object TargetId -In $ids)
        }
    }

    AfterAll {
        Stop-FakeGraph $Graph
    }

    It 'resolves each account, says which are missing or disabled, and shows the token to Graph only' {
        $requestsBefore = $Graph.Requests.Count

        $run = Invoke-Connected "Get-DataShareAgreement -Id $($Shared.Id) | Resolve-DataShareRecipient -Verbose"

        $run.Error | Should -BeNullOrEmpty
        $byEmail = @{}
        foreach ($resolution in $run.Output) {
            $byEmail[$resolution.Email] = $resolution
        }

        $byEmail['jo.dir@example.org'].Status | Should -Be ([DataShareAdmin.DirectoryMatch]::Resolved)
        $byEmail['jo.dir@example.org'].UserType | Should -Be 'Guest'
        $byEmail['jo.dir@example.org'].UserPrincipalName | Should -Be 'jo.dir_example.org#EXT#@contoso.onmicrosoft.com'
        $byEmail['sam.dir@contoso.example'].Status | Should -Be ([DataShareAdmin.DirectoryMatch]::Disabled)
        $byEmail['nobody.dir@example.org'].Status | Should -Be ([DataShareAdmin.DirectoryMatch]::NotFound)
        @($run.Warning.Message | Where-Object { $_ -like '*nobody.dir@example.org*' }) | Should -Not -BeNullOrEmpty
        @($run.Warning.Message | Where-Object { $_ -like '*disabled*' }) | Should -Not -BeNullOrEmpty
        (Get-DataShareRecipient -Id $People['jo.dir@example.org'].Id -ErrorAction Stop).DirectoryObjectId | Should -Be $JoId
        (Get-PeopleAudit 'Person.Resolve').Count | Should -Be 2

        $requests = @($Graph.Requests.ToArray() | Select-Object -Skip $requestsBefore)
        $requests | Should -Not -BeNullOrEmpty
        $requests | ForEach-Object { $_.Authorization | Should -Be "Bearer $Token" }
        $everything = @(Get-DataShareAuditLog -ErrorAction Stop | ForEach-Object { $_.Details.Values }) + @($run.Verbose.Message) + @($run.Warning.Message)
        ($everything -join "`n") | Should -Not -BeLike "*$Token*"
    }

    It 'tests each recipient''s account once connected' {
        $run = Invoke-Connected "Test-DataShareRecipient -AgreementId $($Shared.Id)"

        $run.Error | Should -BeNullOrEmpty
        $check = @{}
        foreach ($result in $run.Output) {
            $check[$result.Email] = $result.Checks | Where-Object Name -EQ 'Directory'
        }

        $check['jo.dir@example.org'].Passed | Should -BeTrue -Because $check['jo.dir@example.org'].Reason
        $check['sam.dir@contoso.example'].Reason | Should -BeLike '*disabled*'
        $check['nobody.dir@example.org'].Reason | Should -BeLike '*Resolve-DataShareRecipient*'
    }

    It 'mails the agreement-ending notice to every recipient, copying the officer, and audits it' {
        $requestsBefore = $Graph.Requests.Count

        $run = Invoke-Connected "Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -AgreementId $($Shared.Id) -Confirm:`$false"

        $run.Error | Should -BeNullOrEmpty
        $notice = @($run.Output)
        $notice.Count | Should -Be 1
        @($notice[0].To | Sort-Object) | Should -Be @('jo.dir@example.org', 'nobody.dir@example.org', 'sam.dir@contoso.example')
        @($notice[0].Cc) | Should -Be @('ada@council.example')
        $mail = @($Graph.Requests.ToArray() | Select-Object -Skip $requestsBefore | Where-Object { $_.Method -eq 'POST' -and $_.Path -like '*/sendMail' })
        $mail.Count | Should -Be 1
        $mail[0].Body | Should -BeLike "*$($Shared.Id)*"
        @(Get-DataShareAuditLog -Action 'Notice.Send' -ErrorAction Stop | Where-Object { ($_.Details.Values -join ' ') -like "*$($Shared.Id)*" -or $_.TargetId -eq $Shared.Id }) |
            Should -HaveCount 1
    }

    It 'revokes nothing with -WhatIf, then takes each resolved person out of the group and names the one never resolved' {
        $requestsBefore = $Graph.Requests.Count
        $whatIf = Invoke-Connected "Revoke-DataShareAccess -AgreementId $($Shared.Id) -WhatIf"

        $whatIf.Error | Should -BeNullOrEmpty
        @($Graph.Requests.ToArray() | Select-Object -Skip $requestsBefore | Where-Object Method -EQ 'DELETE') | Should -BeNullOrEmpty
        @($Graph.Groups[$Group] | Sort-Object) | Should -Be @(@($JoId, $SamId) | Sort-Object)

        $run = Invoke-Connected "Revoke-DataShareAccess -AgreementId $($Shared.Id) -Confirm:`$false -WarningAction SilentlyContinue"

        $run.Error | Should -BeNullOrEmpty
        @($run.Output | Where-Object Action -EQ ([DataShareAdmin.AccessAction]::RemovedFromGroup)).Count | Should -Be 2
        @($run.Output | Where-Object Action -EQ ([DataShareAdmin.AccessAction]::NotResolved)).Email | Should -Be @('nobody.dir@example.org')
        $Graph.Groups[$Group].Count | Should -Be 0
        (Get-PeopleAudit 'Access.Revoke').Count | Should -Be 2
    }
}

