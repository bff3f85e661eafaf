# Not part of the suite: the Pester runner's own tests (RunnerTests.cs) run this file and check what the runner makes of
# a failure, a skip, a failed set-up and the pwsh on PATH.
Describe 'The runner' {
    It 'passes' {
        1 | Should -Be 1
    }

    It 'fails with its message' {
        'what was there' | Should -Be 'what was expected'
    }

    It 'skips with its reason' {
        Set-ItResult -Skipped -Because 'this sample says so'
    }

    It 'finds the decoy first on PATH after pwsh''s own folder, never another pwsh' {
        # pwsh puts its own folder ($PSHOME) first on PATH; the runner puts the decoy right after it.
        $found = @(Get-Command -Name pwsh -CommandType Application -All | Where-Object { (Split-Path $_.Source -Parent) -ne $PSHOME })
        $found[0].Source | Should -BeLike '*datashareadmin-pester-decoy-*'
        $output = & $found[0].Source -NoProfile -Command 'exit 0' 2>&1
        $LASTEXITCODE | Should -Be 97 -Because "$output"
    }

    Context 'with a set-up that fails' {
        BeforeAll {
            throw 'the set-up of this context failed'
        }

        It 'does not run' {
            1 | Should -Be 1
        }
    }
}
