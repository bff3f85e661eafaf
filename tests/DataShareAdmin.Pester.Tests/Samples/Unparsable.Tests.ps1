# Not part of the suite: a file that does not parse, so Pester finds no test in it (RunnerTests.cs).
Describe 'Never closed' {
    It 'is never found' {
        1 | Should -Be 1
    }
