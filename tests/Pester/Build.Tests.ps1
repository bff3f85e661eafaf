#Requires -Version 7.4
# build.ps1 as a developer runs it. The real build and test are what `dotnet test DataShareAdmin.sln` does already, so
# here a stand-in dotnet, first on PATH, records what build.ps1 asks of it and builds nothing.

BeforeDiscovery {
    # The stand-in is a shell script: on Windows the test is skipped, and its name says why.
    $BuildDescribeName = 'build.ps1 -Task Test'
    if ($IsWindows) {
        $BuildDescribeName += ' (skipped on Windows: the stand-in dotnet is a shell script)'
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $BuildScript = Join-Path $RepositoryRoot 'build.ps1'

    function Invoke-BuildScript {
        <#
        Runs build.ps1 in a child pwsh with a stand-in dotnet first on PATH that records each call's arguments, one
        line each, and succeeds. Returns the exit code, what was printed and the recorded calls.
        #>
        param([Parameter(Mandatory)] [string[]] $ArgumentList)

        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'calls.txt'
        $standIn = Join-Path $folder 'dotnet'
        Set-Content -LiteralPath $standIn -Value "#!/bin/sh`necho `"`$*`" >> '$log'`nexit 0`n" -NoNewline
        & chmod +x $standIn

        $savedPath = $env:PATH
        try {
            $env:PATH = $folder + [System.IO.Path]::PathSeparator + $env:PATH
            $run = Invoke-DataShareTestPwsh -ArgumentList (@('-File', $BuildScript) + $ArgumentList)
        }
        finally {
            $env:PATH = $savedPath
        }

        [pscustomobject]@{
            ExitCode = $run.ExitCode
            Output   = $run.Output
            Calls    = @(if (Test-Path -LiteralPath $log) { Get-Content -LiteralPath $log })
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe $BuildDescribeName -Skip:$IsWindows {
    It 'builds, then runs every test of the solution through dotnet test, Pester included, and nothing else' {
        $run = Invoke-BuildScript -ArgumentList '-Task', 'Test'

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $solution = Join-Path $RepositoryRoot 'DataShareAdmin.sln'
        $run.Calls | Should -Be @(
            "build $solution -c Release --nologo"
            "test $solution -c Release --no-build --nologo"
        )
        $run.Output | Should -Not -BeLike '*skipped*'
    }
}
