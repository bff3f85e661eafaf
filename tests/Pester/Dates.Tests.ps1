#Requires -Version 7.4
# Dates given as text (typed, or cells of Import-Csv) are read in the one order the user meant: year first (ISO) and
# month names always, day first or month first only as the register's policy DateOrder says (day first by default),
# and anything ambiguous is refused before anything is written. Every date parameter of every cmdlet does this.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $NewCommand = 'DataShareAdmin.Commands.NewDataShareAgreementCommand'

    function Get-DateProblem {
        <# The engine's error id inside a binding error (DateInvalid, DateAmbiguous), and the binding error itself. #>
        param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $Record)
        $inner = $Record.Exception
        while ($null -ne $inner -and $inner -isnot [DataShareAdmin.DataShareException]) {
            $inner = $inner.InnerException
        }

        [pscustomobject]@{
            Id       = $Record.FullyQualifiedErrorId
            Category = "$($Record.CategoryInfo.Category)"
            ErrorId  = if ($inner) { $inner.ErrorId } else { $null }
            Message  = $Record.Exception.Message
        }
    }

    function Invoke-Refused {
        <# Runs a command whose arguments cannot be bound (a terminating binding error) and returns Get-DateProblem of it. #>
        param([Parameter(Mandatory)] [scriptblock] $Command)
        $caught = $null
        try {
            & $Command
        }
        catch {
            $caught = $_
        }

        $caught | Should -Not -BeNullOrEmpty -Because 'the command is refused'
        Get-DateProblem $caught
    }

    function New-AgreementCsv {
        <# A CSV as an officer's spreadsheet exports it: one row per agreement, dates as text. #>
        param([Parameter(Mandatory)] [object[]] $Rows)
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.csv')
        $Rows | ForEach-Object {
            $row = Get-DataShareTestAgreementParameter -Id $_.Id
            [pscustomobject]@{
                Id            = $_.Id
                Organisation  = $row.Organisation
                Title         = $row.Title
                Purpose       = $row.Purpose
                LegalGateway  = $row.LegalGateway
                LawfulBasis   = $row.LawfulBasis
                AccessRoute   = $row.AccessRoute
                StartsOn      = $_.StartsOn
                EndsOn        = $_.EndsOn
                RetentionDays = 30
                DataItem      = 'KS2 attainment:B3; Attendance:C2'
            }
        } | Export-Csv -LiteralPath $path -NoTypeInformation
        $path
    }

    $null = Initialize-DataShareTestOrganisation
}

AfterAll {
    Set-DataSharePolicy -Name DateOrder -Default -Confirm:$false -ErrorAction SilentlyContinue
    Restore-DataShareTestEnvironment
}

Describe 'Dates given as text' {
    AfterEach {
        Set-DataSharePolicy -Name DateOrder -Default -Confirm:$false -ErrorAction Stop
    }

    It 'reads 05/03/2026 from Import-Csv as 5 March, as the default policy (DayMonthYear) says' {
        $csv = New-AgreementCsv -Rows @(@{ Id = 'DTE00001'; StartsOn = '05/03/2026'; EndsOn = '31/12/2026' })

        $created = @(Import-Csv -LiteralPath $csv | New-DataShareAgreement -Confirm:$false -ErrorAction Stop)

        $created.Count | Should -Be 1
        $created[0].StartsOn | Should -Be ([datetime]::new(2026, 3, 5))
        $created[0].EndsOn | Should -Be ([datetime]::new(2026, 12, 31))
        (Get-DataShareAgreement -Id 'DTE00001').StartsOn | Should -Be ([datetime]::new(2026, 3, 5))
    }

    It 'refuses a row whose date is not a day read day first, writes nothing for it, and goes on with the rest' {
        $csv = New-AgreementCsv -Rows @(
            @{ Id = 'DTE00002'; StartsOn = '03/13/2026'; EndsOn = '31/12/2026' }
            @{ Id = 'DTE00003'; StartsOn = '2026-03-13'; EndsOn = '31 December 2026' }
            @{ Id = 'DTE00004'; StartsOn = '05/03/26'; EndsOn = '31/12/2026' })
        $before = Get-DataShareTestState

        $created = @(Import-Csv -LiteralPath $csv | New-DataShareAgreement -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $created.Id | Should -Be @('DTE00003')
        $created[0].StartsOn | Should -Be ([datetime]::new(2026, 3, 13))
        $err.Count | Should -Be 2
        $problems = @($err | ForEach-Object { Get-DateProblem $_ })
        $problems[0].Id | Should -Be "ParameterArgumentTransformationError,$NewCommand"
        $problems[0].Category | Should -Be 'InvalidData'
        $problems[0].ErrorId | Should -Be 'DateInvalid'
        $problems[0].Message | Should -BeLike "*'03/13/2026' is not a date*2026-03-13*DateOrder*DayMonthYear*"
        $problems[1].ErrorId | Should -Be 'DateAmbiguous'
        $problems[1].Message | Should -BeLike '*two-digit year*'
        @(Get-DataShareAgreement -Id 'DTE00002', 'DTE00004' -ErrorAction SilentlyContinue).Count | Should -Be 0
        (Get-DataShareTestState).Agreements | Should -Be ($before.Agreements + 1)
    }

    It 'refuses the text Export-Csv makes of its own dates when read back day first, and writes nothing' {
        $agreement = New-TestAgreement -Id 'DTE00009' -StartsOn ([datetime]::new(2026, 1, 1)) -EndsOn ([datetime]::new(2027, 11, 1))
        $exported = Join-Path $TestDrive 'exported.csv'
        Get-DataShareAgreement -Id $agreement.Id | Export-Csv -LiteralPath $exported -NoTypeInformation
        $endsOn = (Import-Csv -LiteralPath $exported).EndsOn
        $endsOn | Should -Be '11/01/2027 00:00:00' -Because 'PowerShell writes a date month first, with the time'
        $csv = New-AgreementCsv -Rows @(@{ Id = 'DTE00010'; StartsOn = '2026-01-01'; EndsOn = $endsOn })
        $before = Get-DataShareTestState

        $created = @(Import-Csv -LiteralPath $csv | New-DataShareAgreement -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $created.Count | Should -Be 0
        $err.Count | Should -Be 1
        $problem = Get-DateProblem $err[0]
        $problem.ErrorId | Should -Be 'DateAmbiguous'
        $problem.Category | Should -Be 'InvalidData'
        $problem.Message | Should -BeLike "*'11/01/2027 00:00:00' is how PowerShell writes a date*2027-11-01*2027-01-11*"
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
    }

    It 'reads the same text month first once the policy says MonthDayYear' {
        Set-DataSharePolicy -Name DateOrder -Value MonthDayYear -Confirm:$false -ErrorAction Stop

        # Splatted as text: New-TestAgreement's own [datetime] parameters would convert it first.
        $parameters = Get-DataShareTestAgreementParameter -Id 'DTE00005'
        $parameters.StartsOn = '05/03/2026'
        $parameters.EndsOn = '12/31/2026'
        $agreement = New-DataShareAgreement @parameters -Confirm:$false -ErrorAction Stop
        $agreement.StartsOn | Should -Be ([datetime]::new(2026, 5, 3))

        # A value on the command line that cannot be bound stops the command (PowerShell's binding error).
        $caught = Invoke-Refused { Set-DataShareAgreement -Id 'DTE00005' -EndsOn '31/12/2026' -Confirm:$false }
        $caught.ErrorId | Should -Be 'DateInvalid'
        $caught.Id | Should -Be 'ParameterArgumentTransformationError,DataShareAdmin.Commands.SetDataShareAgreementCommand'
        (Get-DataShareAgreement -Id 'DTE00005').EndsOn | Should -Be ([datetime]::new(2026, 12, 31))
    }

    It 'refuses a date with the year last when the policy reads only year-first dates' {
        Set-DataSharePolicy -Name DateOrder -Value YMD -Confirm:$false -ErrorAction Stop
        (Get-DataSharePolicy -Name DateOrder).Value | Should -Be 'YearMonthDay'
        $before = Get-DataShareTestState

        $parameters = Get-DataShareTestAgreementParameter -Id 'DTE00006'
        $parameters.StartsOn = '05/03/2026'
        $problem = Invoke-Refused { New-DataShareAgreement @parameters -Confirm:$false }

        $problem.ErrorId | Should -Be 'DateAmbiguous'
        $problem.Message | Should -BeLike '*2026-03-05 or 2026-05-03*'
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead

        $parameters.StartsOn = '2026-03-05'
        (New-DataShareAgreement @parameters -Confirm:$false -ErrorAction Stop).StartsOn | Should -Be ([datetime]::new(2026, 3, 5))
    }

    It 'refuses an unknown date order with PolicyValueInvalid' {
        Set-DataSharePolicy -Name DateOrder -Value 'Sideways' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PolicyValueInvalid,*'
        (Get-DataSharePolicy -Name DateOrder).Value | Should -Be 'DayMonthYear'
    }

    It 'refuses a number, which PowerShell would read as ticks' {
        $problem = Invoke-Refused { Get-DataShareAgreement -AsOf 20260305 }
        $problem.ErrorId | Should -Be 'DateInvalid'
        $problem.Category | Should -Be 'InvalidData'
    }

    It 'takes dates and times as objects, and reads a zone on the audit log''s moments' {
        $agreement = Get-DataShareAgreement -Id 'DTE00001'
        (Get-DataShareAgreement -Id 'DTE00001' -AsOf ([datetime]::new(2026, 4, 1))).StatusAsOf | Should -Be ([datetime]::new(2026, 4, 1))
        (Get-DataShareAgreement -Id 'DTE00001' -AsOf ([datetimeoffset]::new(2026, 4, 1, 0, 30, 0, [timespan]::FromHours(2)))).StatusAsOf |
            Should -Be ([datetime]::new(2026, 4, 1))

        $created = (Get-DataShareAuditLog -TargetId 'DTE00001' -Action 'Agreement.Create')[0].Timestamp
        $justBefore = $created.UtcDateTime.AddSeconds(-1).ToString('yyyy-MM-ddTHH:mm:ssZ')
        $justAfter = $created.ToOffset([timespan]::FromHours(5)).AddSeconds(1).ToString('yyyy-MM-ddTHH:mm:sszzz')
        @(Get-DataShareAuditLog -TargetId 'DTE00001' -After $justBefore -Before $justAfter).Action | Should -Contain 'Agreement.Create'
        @(Get-DataShareAuditLog -TargetId 'DTE00001' -After $justAfter).Action | Should -Not -Contain 'Agreement.Create'
        $agreement | Should -Not -BeNullOrEmpty
    }

    It 'reads day-first dates on every date parameter of every cmdlet' {
        $dateTypes = [datetime], [Nullable[datetime]]
        $parameters = @(foreach ($command in Get-Command -Module DataShareAdmin) {
                foreach ($parameter in $command.Parameters.Values) {
                    if ($parameter.ParameterType -in $dateTypes) {
                        [pscustomobject]@{
                            Name      = "$($command.Name) -$($parameter.Name)"
                            Transform = @($parameter.Attributes | Where-Object { $_.GetType().Name -eq 'DateTransformationAttribute' }).Count
                        }
                    }
                }
            })

        $parameters.Count | Should -BeGreaterThan 20
        foreach ($parameter in $parameters) {
            $parameter.Transform | Should -Be 1 -Because "$($parameter.Name) must read dates in the policy's order"
        }

        (Test-DataShareRecipient -AgreementId 'DTE00001' -AsOf '01/04/2026' -ErrorAction Stop | Select-Object -First 1) | Out-Null
        @(Get-DataShareRetentionPlan -AsOf '01/04/2026' -WarningAction SilentlyContinue -ErrorAction Stop) | Out-Null
        (Get-DataShareOrganisation -AsOf '01/04/2026' -ErrorAction Stop | Select-Object -First 1).StatusAsOf | Should -Be ([datetime]::new(2026, 4, 1))
    }
}
