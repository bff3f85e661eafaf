#Requires -Version 7.4
# Files and paths that are not what a cmdlet expects: a binary file given to Import-DisclosureCertificate, and report
# paths that are devices, pipes, sockets, links or carry a NUL. Each is a clear error with its own id, and nothing
# else is touched (a device, pipe or link at a report's path is never replaced by a regular file).
#
# Devices are made with mknod inside $TestDrive, never the machine's own /dev/null.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $Today = (Get-Date).Date
    $ExportCommand = 'DataShareAdmin.Commands.ExportDataShareReportCommand'
    $ImportCommand = 'DataShareAdmin.Commands.ImportDisclosureCertificateCommand'
    $null = New-TestAgreement -Id 'BAD00001'
    $null = Add-DataShareRecipient -AgreementId 'BAD00001' -Name 'Bo Binary' -Email 'bo.binary@example.ac.uk' -ErrorAction Stop

    function Get-FileType {
        <# What the operating system says is at the path: 'regular file', 'character special file', 'fifo', 'socket', 'symbolic link', ... #>
        param([Parameter(Mandatory)] [string] $Path)
        (& stat --format '%F' -- $Path 2>$null)
    }

    function Invoke-Report {
        <# Export-DataShareReport -Force to the path; returns the error it wrote or threw. #>
        param([Parameter(Mandatory)] [string] $Path)
        $caught = $null
        try {
            Export-DataShareReport -Kind Register -Format Csv -Path $Path -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
            $caught = $err | Select-Object -First 1
        }
        catch {
            $caught = $_
        }

        $caught
    }
}

AfterAll {
    Restore-DataShareTestEnvironment
}

Describe 'Import-DisclosureCertificate given a file that is not CSV' {
    It 'says a <Kind> is not a CSV file, without dumping its bytes, and imports nothing' -ForEach @(
        @{ Kind = 'workbook (.xlsx)'; Name = 'certificates.xlsx'; Bytes = [byte[]](0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00) + [byte[]](1..200); Hint = '*Excel*CSV*' }
        @{ Kind = 'PDF'; Name = 'certificates.pdf'; Bytes = [System.Text.Encoding]::ASCII.GetBytes("%PDF-1.7`n%") + [byte[]](0x80, 0x81, 0x00, 0x02) + [byte[]](1..64); Hint = '*PDF*' }
        @{ Kind = 'binary file'; Name = 'certificates.csv'; Bytes = [byte[]](0..255) + [byte[]](0..255); Hint = '*not a CSV*' }
    ) {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllBytes($path, $Bytes)
        $before = Get-DataShareTestState

        $results = @(Import-DisclosureCertificate -Path $path -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $results.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "CertificateImportNotCsv,$ImportCommand"
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].Exception.Message | Should -BeLike "*$Name*"
        $err[0].Exception.Message | Should -BeLike '*not a CSV*'
        $err[0].Exception.Message | Should -BeLike $Hint
        $err[0].Exception.Message | Should -Not -Match '[\x00-\x08\x0E-\x1F\x7F-\x9F\uFFFD]' -Because 'no bytes of the file are dumped'
        $err[0].Exception.Message.Length | Should -BeLessThan 400
        (Get-DataShareTestState).AuditHead | Should -Be $before.AuditHead
    }

    It 'goes on with the next file' {
        $binary = Join-Path $TestDrive 'first.csv'
        [System.IO.File]::WriteAllBytes($binary, [byte[]](0, 1, 2, 3, 0, 0, 0, 9))
        $good = Join-Path $TestDrive 'second.csv'
        "Email,Issuer,Level,Number,IssuedOn`nbo.binary@example.ac.uk,DBS,Basic,000000700001,$($Today.AddDays(-5).ToString('yyyy-MM-dd'))" |
            Set-Content -LiteralPath $good

        $results = @(Import-DisclosureCertificate -Path $binary, $good -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err)

        $results.Status | Should -Be @('Added')
        $err.FullyQualifiedErrorId | Should -Be @("CertificateImportNotCsv,$ImportCommand")
    }

    It 'still reads a CSV saved as Unicode text (UTF-16 with its byte order mark)' {
        $path = Join-Path $TestDrive 'unicode.csv'
        $text = "Email`tIssuer`tLevel`tNumber`tIssuedOn`r`nbo.binary@example.ac.uk`tDBS`tBasic`t000000700002`t$($Today.AddDays(-6).ToString('yyyy-MM-dd'))`r`n"
        [System.IO.File]::WriteAllText($path, $text, [System.Text.UnicodeEncoding]::new($false, $true))

        $results = @(Import-DisclosureCertificate -Path $path -Confirm:$false -ErrorAction Stop)
        $results.Status | Should -Be @('Added')
    }
}

Describe 'Export-DataShareReport never replaces anything but a regular file' {
    It 'refuses a character device at the path, even with -Force, and leaves it a device' {
        $device = Join-Path $TestDrive 'null-device'
        & mknod $device c 1 3 2>$null
        if ($LASTEXITCODE -ne 0) {
            Set-ItResult -Skipped -Because 'making a device node needs root (mknod failed), so this case cannot be set up here'
            return
        }

        $problem = Invoke-Report $device

        $problem.FullyQualifiedErrorId | Should -Be "ReportPathInvalid,$ExportCommand"
        $problem.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem.Exception.Message | Should -BeLike '*device*regular file*'
        Get-FileType $device | Should -Be 'character special file'
        @(Get-ChildItem -LiteralPath $TestDrive -Filter 'null-device.partial-*').Count | Should -Be 0
    }

    It 'refuses a named pipe, a socket and a symbolic link at the path, and leaves each as it was' {
        $fifo = Join-Path $TestDrive 'report-pipe'
        & mkfifo $fifo
        $socketPath = Join-Path $TestDrive 'report-socket'
        $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        $socket.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($socketPath))
        $real = Join-Path $TestDrive 'real-report.csv'
        Set-Content -LiteralPath $real -Value 'kept'
        $link = Join-Path $TestDrive 'report-link.csv'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $real
        try {
            foreach ($case in @(@{ Path = $fifo; Type = 'fifo'; Word = 'pipe' }, @{ Path = $socketPath; Type = 'socket'; Word = 'socket' }, @{ Path = $link; Type = 'symbolic link'; Word = 'link' })) {
                $problem = Invoke-Report $case.Path
                $problem.FullyQualifiedErrorId | Should -Be "ReportPathInvalid,$ExportCommand" -Because $case.Type
                $problem.Exception.Message | Should -BeLike "*$($case.Word)*"
                Get-FileType $case.Path | Should -Be $case.Type
            }
        }
        finally {
            $socket.Dispose()
        }

        Get-Content -LiteralPath $real | Should -Be 'kept'
    }

    It 'refuses a path with a NUL in it as ReportPathInvalid' {
        $problem = Invoke-Report (Join-Path $TestDrive "report`0.csv")

        $problem.FullyQualifiedErrorId | Should -Be "ReportPathInvalid,$ExportCommand"
        $problem.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem.Exception.Message | Should -BeLike '*NUL*'
    }

    It 'still replaces a regular file with -Force' {
        $path = Join-Path $TestDrive 'replace-me.csv'
        Set-Content -LiteralPath $path -Value 'old'
        Export-DataShareReport -Kind Register -Format Csv -Path $path -Force -Confirm:$false -ErrorAction Stop
        Get-FileType $path | Should -Be 'regular file'
        (Get-Content -LiteralPath $path -Raw) | Should -BeLike '*BAD00001*'
    }
}
