#Requires -Version 7.4
# The register seen from other processes and other OS users, as they use it in production: a compliance officer who
# may read the register file but not write its folder reads everything with -ReadOnly and leaves nothing behind that
# stops the owner writing; a reader and the owner at work at the same time do not disturb each other; and a scheduled
# sweep whose register variable is mistyped fails loudly instead of sweeping a new, empty register.
#
# The two-user tests switch, as root, to two unprivileged users with runuser: 'daemon' owns the register and
# 'nobody' reads it (root itself may write anything, so it could not show what an owner is refused). They run a copy
# of this pwsh and of the built module from a folder both users may read (the dotnet tool's pwsh sits under /root).
# CI runs as root; elsewhere (not root, not Linux, or without runuser) they are skipped and the Describe says why.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1') -DiscoveryOnly

    $UsersSkipReason = $null
    if (-not $IsLinux) {
        $UsersSkipReason = 'needs Linux'
    }
    elseif ((& id -u) -ne '0') {
        $UsersSkipReason = 'needs root, to run as two other users with runuser (CI runs as root)'
    }
    elseif (-not (Get-Command -Name runuser -CommandType Application -ErrorAction SilentlyContinue)) {
        $UsersSkipReason = 'needs runuser (util-linux)'
    }
    elseif (@('daemon', 'nobody' | Where-Object { -not (& getent passwd $_) }).Count -gt 0) {
        $UsersSkipReason = "needs the system users 'daemon' and 'nobody'"
    }

    $UsersDescribeName = if ($UsersSkipReason) { "Readers and the owner as two OS users (skipped: $UsersSkipReason)" } else { 'Readers and the owner as two OS users' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $RepositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent

    function Invoke-ChildPowerShell {
        <#
        Runs a script file in a child pwsh like this one, as -User when given (through runuser, with the HOME given),
        and returns its exit code, standard output and standard error. Under the dotnet tool [Environment]::ProcessPath
        is dotnet, so the child is `dotnet <PSHOME>/pwsh.dll`; otherwise it is the pwsh executable in <PSHOME>.
        #>
        param(
            [Parameter(Mandatory)] [string] $Script,
            [object[]] $ArgumentList = @(),
            [string] $User,
            [string] $UserHome,
            [string] $PowerShellHome = $PSHOME,
            [hashtable] $Environment = @{},
            [switch] $NoWait
        )

        $process = [System.Environment]::ProcessPath
        $command = [System.Collections.Generic.List[string]]::new()
        if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
            $command.Add($process)
            $command.Add((Join-Path $PowerShellHome 'pwsh.dll'))
        }
        else {
            $command.Add((Join-Path $PowerShellHome ([System.IO.Path]::GetFileName($process))))
        }

        foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $Script) + @($ArgumentList | ForEach-Object { "$_" })) {
            $command.Add($argument)
        }

        $start = [System.Diagnostics.ProcessStartInfo]::new()
        if ($User) {
            # runuser sets HOME to the user's own (/nonexistent for nobody): env puts a writable one back.
            $start.FileName = 'runuser'
            foreach ($argument in @('-u', $User, '--', 'env', "HOME=$UserHome")) {
                $start.ArgumentList.Add($argument)
            }
        }
        else {
            $start.FileName = $command[0]
            $command.RemoveAt(0)
        }

        foreach ($argument in $command) {
            $start.ArgumentList.Add($argument)
        }

        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        foreach ($name in 'DATASHAREADMIN_REGISTER', 'DATASHAREADMIN_CONFIG', 'DATASHAREADMIN_MODULE', 'PSModulePath') {
            $null = $start.Environment.Remove($name)
        }

        $start.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
        foreach ($name in $Environment.Keys) {
            $start.Environment[$name] = $Environment[$name]
        }

        $child = [System.Diagnostics.Process]::Start($start)
        $output = $child.StandardOutput.ReadToEndAsync()
        $errors = $child.StandardError.ReadToEndAsync()
        $run = [pscustomobject]@{ Process = $child; OutputTask = $output; ErrorTask = $errors }
        if ($NoWait) {
            return $run
        }

        Complete-ChildPowerShell -Run $run
    }

    function Complete-ChildPowerShell {
        <# Waits for a child started with -NoWait (up to five minutes: the machine may be busy) and returns what it did. #>
        param([Parameter(Mandatory)] $Run)

        if (-not $Run.Process.WaitForExit(300000)) {
            $Run.Process.Kill($true)
            throw 'The child pwsh did not finish within five minutes.'
        }

        $Run.Process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $Run.Process.ExitCode
            Output   = $Run.OutputTask.Result
            Error    = $Run.ErrorTask.Result
        }
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe $UsersDescribeName -Skip:($null -ne $UsersSkipReason) {
    BeforeAll {
        $Owner = 'daemon'
        $Reader = 'nobody'

        # Everything both users need, in one folder they may both read (and not under $TestDrive, which only root may).
        $Shared = Join-Path ([System.IO.Path]::GetTempPath()) ('dsa-users-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
        $null = New-Item -ItemType Directory -Path $Shared
        $PwshCopy = Join-Path $Shared 'pwsh'
        Copy-Item -LiteralPath $PSHOME -Destination $PwshCopy -Recurse
        $ModuleCopy = Join-Path $Shared 'module'
        Copy-Item -LiteralPath $DataShareModuleDirectory -Destination $ModuleCopy -Recurse
        $Module = Join-Path $ModuleCopy 'DataShareAdmin.psd1'
        $Scripts = Join-Path $Shared 'scripts'
        $null = New-Item -ItemType Directory -Path $Scripts
        & chmod -R 'a+rX' $Shared

        $Homes = @{}
        foreach ($user in $Owner, $Reader) {
            $Homes[$user] = Join-Path $Shared "home-$user"
            $null = New-Item -ItemType Directory -Path $Homes[$user]
            & chown "${user}:" $Homes[$user]
        }

        function Write-Script {
            param([string] $Name, [string] $Text)
            $path = Join-Path $Scripts $Name
            Set-Content -LiteralPath $path -Value $Text -Encoding utf8
            & chmod 'a+r' $path
            $path
        }

        function Invoke-As {
            <# Runs one of the scripts as $User with the shared copies of pwsh and the module; -NoWait returns at once. #>
            param([string] $User, [string] $Script, [object[]] $ArgumentList, [switch] $NoWait)
            Invoke-ChildPowerShell -Script $Script -ArgumentList (@($Module) + $ArgumentList) -User $User -UserHome $Homes[$User] -PowerShellHome $PwshCopy -NoWait:$NoWait
        }

        function New-SharedFolder {
            <# A folder owned by $User with the given mode ('755': only the owner writes; '777': everyone does). #>
            param([string] $User, [string] $Mode, [string] $Prefix = 'register')
            $path = Join-Path $Shared ($Prefix + '-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
            $null = New-Item -ItemType Directory -Path $path
            & chown "${User}:" $path
            & chmod $Mode $path
            $path
        }

        function Get-FolderEntry {
            <# Name and owner of every file in a folder, e.g. 'register.db daemon'. #>
            param([string] $Path)
            @(Get-ChildItem -LiteralPath $Path -Force | ForEach-Object { "$($_.Name) $(& stat -c '%U' $_.FullName)" } | Sort-Object)
        }

        function Wait-ForFile {
            <# Waits for a marker file a child writes (up to five minutes), failing at once if that child has ended. #>
            param([string] $Path, $Run)
            $deadline = [DateTime]::UtcNow.AddMinutes(5)
            while (-not (Test-Path -LiteralPath $Path)) {
                if ($Run.Process.HasExited) {
                    $ended = Complete-ChildPowerShell -Run $Run
                    throw "The child ended (exit $($ended.ExitCode)) before writing $Path. $($ended.Output) $($ended.Error)"
                }

                if ([DateTime]::UtcNow -gt $deadline) {
                    throw "No $Path within five minutes."
                }

                Start-Sleep -Milliseconds 100
            }
        }

        $SetUp = Write-Script 'set-up.ps1' @'
param($Module, $Register, $Holding)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-DataShareRegister -Path $Register -Create
$today = (Get-Date).Date
$null = New-DataShareOrganisation -Name 'University of Example'
$common = @{ Organisation = 'University of Example'; Purpose = 'Research into attainment'; LegalGateway = 'Digital Economy Act 2017 s.64'; LawfulBasis = 'Article 6(1)(e)'; AccessRoute = 'SecureResearchService'; DataItem = 'KS2 attainment:B3' }
$null = New-DataShareAgreement @common -Id DS00001 -Title 'Ended' -StartsOn $today.AddDays(-100) -EndsOn $today.AddDays(-5) -RetentionDays 0
$null = New-DataShareAgreement @common -Id DS00002 -Title 'Active' -StartsOn $today.AddDays(-30) -EndsOn $today.AddDays(300) -RetentionDays 30
$jo = Add-DataShareRecipient -AgreementId DS00002 -Name 'Jo Bloggs' -Email 'jo.bloggs@example.ac.uk' -Role Analyst
$null = Add-DisclosureCertificate -RecipientId $jo.Id -Issuer DBS -Level Basic -Number '001234567890' -IssuedOn $today.AddDays(-30)
$null = Register-DataShareHolding -AgreementId DS00001 -Location $Holding -Confirm:$false
(Test-DataShareAuditLog).EntryCount
'@

        $ReadAll = Write-Script 'read-all.ps1' @'
param($Module, $Register, $Out)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $Module
$info = Connect-DataShareRegister -Path $Register -ReadOnly -PassThru
$audit = Test-DataShareAuditLog
$reports = foreach ($kind in [enum]::GetNames([DataShareAdmin.ReportKind])) {
    foreach ($format in [enum]::GetNames([DataShareAdmin.ReportFormat])) {
        $file = Export-DataShareReport -Kind $kind -Format $format -Path (Join-Path $Out "$kind.$format") -Force -PassThru
        "$kind.$format=$([bool]$file.Length)"
    }
}
$backup = Copy-DataShareRegister -Destination (Join-Path $Out 'backup.db') -Confirm:$false
$result = [ordered]@{
    ReadOnly         = $info.IsReadOnly
    Agreements       = @(Get-DataShareAgreement).Count
    Organisations    = (@(Get-DataShareOrganisation).Name | Sort-Object) -join ','
    Recipients       = @(Get-DataShareRecipient -IncludeRemoved).Count
    Readiness        = @(Get-DataShareRecipient | Test-DataShareRecipient).Count
    Certificates     = @(Get-DisclosureCertificate).Count
    CertificateTests = @(Get-DataShareRecipient | Test-DisclosureCertificate).Count
    Holdings         = @(Get-DataShareHolding -IncludeDestroyed).Count
    Transfers        = @(Get-DataShareTransfer).Count
    Policy           = @(Get-DataSharePolicy).Count
    AuditEntries     = @(Get-DataShareAuditLog).Count
    Intact           = $audit.IsIntact
    AuditCount       = $audit.EntryCount
    Head             = $audit.Head
    Plan             = @(Get-DataShareRetentionPlan).Count
    DryRunRecords    = @(Get-DataShareRetentionPlan | Invoke-DataShareRetentionSweep -WhatIf).Count
    Reports          = $reports -join ';'
    BackupVerified   = $backup.Verified
}
$result | ConvertTo-Json -Compress
'@

        $Write = Write-Script 'write.ps1' @'
param($Module, $Register, $Name)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-DataShareRegister -Path $Register
$null = New-DataShareOrganisation -Name $Name
(Test-DataShareAuditLog).EntryCount
'@

        function New-OwnedRegister {
            <# A register made by the owner in a folder of the given mode, with a due local-folder holding; returns where. #>
            param([string] $Mode)
            $folder = New-SharedFolder -User $Owner -Mode $Mode
            $holding = New-SharedFolder -User $Owner -Mode '755' -Prefix 'holding'
            Set-Content -LiteralPath (Join-Path $holding 'extract.csv') -Value 'id,score'
            & chown "${Owner}:" (Join-Path $holding 'extract.csv')
            $register = Join-Path $folder 'register.db'
            $made = Invoke-As -User $Owner -Script $SetUp -ArgumentList $register, $holding
            $made.ExitCode | Should -Be 0 -Because "the owner sets up the register: $($made.Output) $($made.Error)"
            [pscustomobject]@{ Folder = $folder; Register = $register; Holding = $holding; Entries = [int]($made.Output.Trim() -split "`n")[-1] }
        }

        function Read-All {
            <# Every read command and report as $User with -ReadOnly; returns the child's result as an object. #>
            param([string] $User, [string] $Register)
            $out = Join-Path $Homes[$User] ([guid]::NewGuid().ToString('N').Substring(0, 8))
            $null = New-Item -ItemType Directory -Path $out
            & chown "${User}:" $out
            $read = Invoke-As -User $User -Script $ReadAll -ArgumentList $Register, $out
            $read.ExitCode | Should -Be 0 -Because "$User reads the register: $($read.Output) $($read.Error)"
            ($read.Output.Trim() -split "`n")[-1] | ConvertFrom-Json
        }
    }

    AfterAll {
        if ($Shared -and (Test-Path -LiteralPath $Shared)) {
            Remove-Item -LiteralPath $Shared -Recurse -Force
        }
    }

    It 'lets a reader who may not write the folder run every read command and report with -ReadOnly, creating nothing' {
        $register = New-OwnedRegister -Mode '755'
        $before = Get-FolderEntry -Path $register.Folder
        $before | Should -Be @('register.db daemon') -Because 'the owner''s last connection folded its log into the file'

        $read = Read-All -User $Reader -Register $register.Register

        $read.ReadOnly | Should -BeTrue
        $read.Agreements | Should -Be 2
        $read.Organisations | Should -Be 'University of Example'
        $read.Recipients | Should -Be 1
        $read.Readiness | Should -Be 1
        $read.Certificates | Should -Be 1
        $read.CertificateTests | Should -Be 1
        $read.Holdings | Should -Be 1
        $read.Intact | Should -BeTrue
        $read.AuditCount | Should -Be $register.Entries
        $read.AuditEntries | Should -Be $register.Entries
        $read.Plan | Should -Be 1 -Because 'the ended agreement''s holding is due'
        $read.DryRunRecords | Should -Be 0 -Because 'a dry run records nothing'
        $read.Reports | Should -Not -Match '=False' -Because 'every report was written'
        $read.BackupVerified | Should -BeTrue

        Get-FolderEntry -Path $register.Folder | Should -Be $before -Because 'a reader leaves nothing beside the register (no -wal, -shm or sweep lock)'
        Join-Path $register.Holding 'extract.csv' | Should -Exist -Because 'the dry run deleted nothing'
        $written = Invoke-As -User $Owner -Script $Write -ArgumentList $register.Register, 'After the reader'
        $written.ExitCode | Should -Be 0 -Because "the owner still writes: $($written.Output) $($written.Error)"
        [int]($written.Output.Trim() -split "`n")[-1] | Should -Be ($register.Entries + 1)
    }

    It 'leaves nothing that stops the owner writing when the reader may write the folder too' {
        $register = New-OwnedRegister -Mode '777'

        $null = Read-All -User $Reader -Register $register.Register

        Get-FolderEntry -Path $register.Folder | Should -Be @('register.db daemon') -Because 'the reader made no -wal or -shm of its own'
        $written = Invoke-As -User $Owner -Script $Write -ArgumentList $register.Register, 'After the reader'
        $written.ExitCode | Should -Be 0 -Because "the owner still writes: $($written.Output) $($written.Error)"
        [int]($written.Output.Trim() -split "`n")[-1] | Should -Be ($register.Entries + 1)
    }

    It 'shows a reader the owner''s latest change while the owner is at work, creating nothing' {
        $register = New-OwnedRegister -Mode '755'
        $markers = New-SharedFolder -User $Owner -Mode '777' -Prefix 'markers'
        $ready = Join-Path $markers 'ready'
        $done = Join-Path $markers 'done'

        # The owner keeps the register open (a listing it has not finished) and makes a change meanwhile, which stays
        # in the log: a later connection could not fold it into the file while the listing is open.
        $holder = Write-Script 'owner-at-work.ps1' @'
param($Module, $Register, $Ready, $Done)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-DataShareRegister -Path $Register
$first = $true
Get-DataShareAuditLog | ForEach-Object {
    if ($first) {
        $first = $false
        $null = New-DataShareOrganisation -Name 'Added while at work'
        Set-Content -LiteralPath $Ready -Value 'ready'
        $deadline = [DateTime]::UtcNow.AddMinutes(5)
        while (-not (Test-Path -LiteralPath $Done) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
}
'@
        $run = Invoke-As -User $Owner -Script $holder -ArgumentList $register.Register, $ready, $done -NoWait
        try {
            Wait-ForFile -Path $ready -Run $run
            $whileWorking = Get-FolderEntry -Path $register.Folder
            $whileWorking.Count | Should -Be 3
            foreach ($file in 'register.db daemon', 'register.db-wal daemon', 'register.db-shm daemon') {
                $whileWorking | Should -Contain $file
            }

            $read = Read-All -User $Reader -Register $register.Register

            $read.Organisations | Should -Be 'Added while at work,University of Example' -Because 'a reader beside a writer sees every committed change'
            $read.Intact | Should -BeTrue
            $read.AuditCount | Should -Be ($register.Entries + 1)
            Get-FolderEntry -Path $register.Folder | Should -Be $whileWorking -Because 'the reader created nothing'
        }
        finally {
            Set-Content -LiteralPath $done -Value 'done'
            $ended = Complete-ChildPowerShell -Run $run
        }

        $ended.ExitCode | Should -Be 0 -Because "the owner's work finished: $($ended.Output) $($ended.Error)"
        $written = Invoke-As -User $Owner -Script $Write -ArgumentList $register.Register, 'After both'
        $written.ExitCode | Should -Be 0 -Because "the owner still writes: $($written.Output) $($written.Error)"
    }

    It 'lets the owner write while a reader is part-way through a read, without disturbing the reader' {
        $register = New-OwnedRegister -Mode '755'
        $markers = New-SharedFolder -User $Owner -Mode '777' -Prefix 'markers'
        $reading = Join-Path $markers 'reading'
        $written = Join-Path $markers 'written'

        # The reader lists the audit log slowly: it stops after the first entry until the owner has written.
        $slowReader = Write-Script 'slow-reader.ps1' @'
param($Module, $Register, $Reading, $Written)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-DataShareRegister -Path $Register -ReadOnly
$seen = 0
Get-DataShareAuditLog | ForEach-Object {
    $seen++
    if ($seen -eq 1) {
        Set-Content -LiteralPath $Reading -Value 'reading'
        $deadline = [DateTime]::UtcNow.AddMinutes(5)
        while (-not (Test-Path -LiteralPath $Written) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
}
"$seen $((Test-DataShareAuditLog).EntryCount)"
'@
        $run = Invoke-As -User $Reader -Script $slowReader -ArgumentList $register.Register, $reading, $written -NoWait
        try {
            Wait-ForFile -Path $reading -Run $run
            $write = Invoke-As -User $Owner -Script $Write -ArgumentList $register.Register, 'Written while read'
            $write.ExitCode | Should -Be 0 -Because "the owner writes while the reader reads: $($write.Output) $($write.Error)"
        }
        finally {
            Set-Content -LiteralPath $written -Value 'written'
            $ended = Complete-ChildPowerShell -Run $run
        }

        $ended.ExitCode | Should -Be 0 -Because "the reader finished its read undisturbed: $($ended.Output) $($ended.Error)"
        ($ended.Output.Trim() -split "`n")[-1] | Should -Be "$($register.Entries) $($register.Entries + 1)" -Because 'the listing is the register as it was when it began; the next command sees the change'
        @(Get-FolderEntry -Path $register.Folder | Where-Object { $_ -like "* $Reader" }) | Should -HaveCount 0
    }
}

Describe 'docs/nightly-sweep.ps1 with a register that is not there' {
    BeforeAll {
        $NightlySweep = Join-Path $RepositoryRoot 'docs/nightly-sweep.ps1'
        $Job = Join-Path $TestDrive 'nightly.ps1'
        Set-Content -LiteralPath $Job -Encoding utf8 -Value @'
param($Module, $Script, $RegisterPath)
Import-Module $Module -ErrorAction Stop
if ($RegisterPath) { & $Script -RegisterPath $RegisterPath } else { & $Script }
exit $LASTEXITCODE
'@
    }

    It 'exits 1 and says why when <Case>' -ForEach @(
        @{ Case = 'DATASHAREADMIN_REGISTER is mistyped'; ByVariable = $true }
        @{ Case = '-RegisterPath is mistyped'; ByVariable = $false }
    ) {
        $folder = Join-Path $TestDrive ('srv-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $typo = Join-Path $folder 'regsiter.db'
        $environment = if ($ByVariable) { @{ DATASHAREADMIN_REGISTER = $typo } } else { @{} }
        $arguments = @($DataShareModuleManifest, $NightlySweep) + $(if ($ByVariable) { @() } else { @($typo) })

        $run = Invoke-ChildPowerShell -Script $Job -ArgumentList $arguments -Environment $environment

        $run.ExitCode | Should -Be 1 -Because "a sweep of a register that is not there is a failure: $($run.Output) $($run.Error)"
        "$($run.Output)`n$($run.Error)" | Should -BeLike "*$typo*"
        "$($run.Output)`n$($run.Error)" | Should -Match 'RegisterNotFound|no register'
        $folder | Should -Not -Exist -Because 'no register was created in its place'
    }
}
