#Requires -Version 7.4
# docs/nightly-sweep.ps1 writes what it does through PowerShell's streams (information for its lines, error for its
# problems), so a transcript (Start-Transcript), a host that reads the streams (DataShareAdmin.Host, Azure Automation)
# and -InformationVariable/-ErrorVariable all get them. Run here in this session, against a register in $TestDrive.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $NightlySweepScript = Join-Path $RepositoryRoot 'docs/nightly-sweep.ps1'
    $Today = (Get-Date).Date

    function Invoke-NightlyInSession {
        <# Runs the script here under a transcript; returns its exit code, streams and the transcript's text. #>
        param([Parameter(Mandatory)] [string] $Register)

        $transcript = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.txt')
        $null = Start-Transcript -LiteralPath $transcript
        try {
            $global:LASTEXITCODE = 0
            # Errors are shown as a host shows them (a scheduled pwsh prints them, and so transcribes them).
            & $NightlySweepScript -RegisterPath $Register -InformationVariable information -ErrorVariable problems -ErrorAction Continue 2>&1 |
                Out-Default
            $code = $global:LASTEXITCODE
        }
        finally {
            $null = Stop-Transcript
        }

        [pscustomobject]@{
            ExitCode    = $code
            Information = @($information | ForEach-Object { "$($_.MessageData)" })
            Errors      = @($problems | ForEach-Object { $_.Exception.Message })
            Transcript  = Get-Content -LiteralPath $transcript -Raw
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'docs/nightly-sweep.ps1 writes through PowerShell streams' {
    It 'never writes to the host UI directly' {
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($NightlySweepScript, [ref]$null, [ref]$errors)
        $errors.Count | Should -Be 0
        $hostUse = @($ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.VariablePath.UserPath -eq 'host'
                }, $true))
        $hostUse.Count | Should -Be 0 -Because 'what $host.UI writes reaches neither a transcript nor a host that reads the streams'
    }

    It 'puts each line of a sweep in the information stream and in a transcript' {
        $null = New-TestAgreement -Id 'NGT00001' -StartsOn $Today.AddDays(-100) -EndsOn $Today.AddDays(-5) -RetentionDays 0
        $folder = Join-Path $TestDrive 'holdings/nightly'
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Content -LiteralPath (Join-Path $folder 'pupils.csv') -Value 'upn'
        $holding = Register-DataShareHolding -AgreementId 'NGT00001' -Location $folder -ErrorAction Stop

        $run = Invoke-NightlyInSession -Register $RegisterPath

        $run.ExitCode | Should -Be 0 -Because ($run.Information -join "`n")
        Test-Path -LiteralPath $folder | Should -BeFalse
        $record = @($run.Information | Where-Object { $_ -like "*NGT00001 $($holding.Id) Destroyed*" })
        $record.Count | Should -Be 1
        $summary = @($run.Information | Where-Object { $_ -like '*Done: 1 destroyed, 0 blocked, 0 incomplete, 0 error(s).' })
        $summary.Count | Should -Be 1
        $run.Information[0] | Should -BeLike '*Retention sweep on * against the register *'
        foreach ($line in $run.Information) {
            $run.Transcript | Should -Match ([regex]::Escape($line)) -Because 'every line reaches the transcript'
        }
    }

    It 'puts its problems in the error stream and in a transcript, and still exits with its code' {
        $missing = Join-Path $TestDrive 'no-such-register.db'

        $run = Invoke-NightlyInSession -Register $missing

        $run.ExitCode | Should -Not -Be 0
        $run.Errors.Count | Should -BeGreaterThan 0
        ($run.Errors -join "`n") | Should -BeLike "*$missing*"
        foreach ($message in $run.Errors) {
            $run.Transcript | Should -Match ([regex]::Escape(($message -split "`n")[0])) -Because 'every problem reaches the transcript'
        }

        Test-Path -LiteralPath $missing | Should -BeFalse
    }
}
