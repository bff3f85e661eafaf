using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>
/// One hosted runspace (core cmdlets only) with the built module imported, a register of its own holding an approved
/// DirectTransfer agreement DS1 with one ready recipient, and a storage connection to Azurite. Set up once; each
/// <see cref="Transfer"/> is one New-DataShareTransfer call, as a user would type it.
/// </summary>
internal sealed partial class ModuleSession : IDisposable
{
    public const string TransferScript = "New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00";

    private readonly Runspace runspace;

    public ModuleSession(string manifest, string registerPath, string connectionString)
    {
        if (!File.Exists(manifest))
        {
            throw new BenchmarkException($"No module manifest at {manifest}: build it first (dotnet build DataShareAdmin.sln -c Release).");
        }

        // Keep the module away from the user's own register, even before Connect-DataShareRegister.
        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", registerPath);
        runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        try
        {
            Run("Import-Module", "Import-Module $args[0] -ErrorAction Stop", manifest);
            Run("Connect-DataShareRegister", "Connect-DataShareRegister -Path $args[0] -Create", registerPath);

            // Dates around today wide enough that the register's own calendar (Europe/London) cannot disagree.
            var today = DateTime.UtcNow.Date;
            string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Run("register setup", string.Join(Environment.NewLine,
                $"New-DataShareOrganisation 'University of Example' | Add-DataShareSecurityAssessment -AssessedOn {Day(-30)} -ValidUntil {Day(365)} -Outcome Passed -Reference ISQ-1 | Out-Null",
                "New-DataShareAgreement -Id DS1 -Organisation 'University of Example' -Title 'Transfer benchmark' " +
                "-Purpose 'Research into attainment gaps' -LegalGateway 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009' " +
                $"-LawfulBasis 'Article 6(1)(e)' -AccessRoute DirectTransfer -DirectTransferJustification 'Benchmark' -StartsOn {Day(-30)} -EndsOn {Day(365)} -DataItem 'KS2 attainment:B3', 'FSM eligibility:C4' | Out-Null",
                $"Approve-DataShareAgreement DS1 -Reference DSAP-1 -ApprovedOn {Day(-40)} -Legal 'Gateway in the catalogue' -Ethical 'Benchmark' -Proportionate 'Benchmark' -Secure 'Benchmark' | Out-Null",
                $"Set-DataShareDpia -AgreementId DS1 -Reference DPIA-1 -SignedOffOn {Day(-40)} -SignedOffBy DPO -ResidualRisk Low -Mitigations 'Benchmark' | Out-Null",
                $"Add-DataShareRecipient DS1 -Name 'Jo Bloggs' -Email jo@example.org | Set-DataShareRecipient -DeclarationSignedOn {Day(-20)} -TrainingCompletedOn {Day(-50)} | Out-Null",
                $"Get-DataShareRecipient DS1 -Email jo@example.org | Add-DisclosureCertificate -Issuer DBS -Level Basic -Number 001234567890 -IssuedOn {Day(-60)} -HolderName 'Jo Bloggs' | Out-Null"));
            ConnectStorage(connectionString);
        }
        catch
        {
            runspace.Dispose();
            throw;
        }
    }

    /// <summary>Connects the session to (another) Azurite: Connect-DataShareStorage, untimed.</summary>
    public void ConnectStorage(string connectionString) =>
        Run("Connect-DataShareStorage", "Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback | Out-Null", connectionString);

    /// <summary>
    /// Prepares the New-DataShareTransfer call (outside any timer); invoking it is the timed part, then
    /// <see cref="Check"/> verifies what it returned.
    /// </summary>
    public PowerShell Prepare(string path)
    {
        var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(TransferScript).AddArgument(path);
        return shell;
    }

    /// <summary>
    /// Checks one transfer's output: no errors, one file of the expected size whose SHA-256 is the expected one.
    /// Returns the transfer's container, for deleting it.
    /// </summary>
    public static string Check(PowerShell shell, Collection<PSObject> output, long expectedSize, string expectedSha256)
    {
        if (shell.HadErrors || shell.Streams.Error.Count > 0)
        {
            throw new BenchmarkException("New-DataShareTransfer reported errors: " + string.Join(Environment.NewLine, shell.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }

        if (output.Count != 1)
        {
            throw new BenchmarkException($"New-DataShareTransfer returned {output.Count} objects, not one transfer.");
        }

        var transfer = output[0];
        var container = transfer.Properties["Container"]?.Value as string;
        var files = (transfer.Properties["Files"]?.Value as IEnumerable)?.Cast<object>().Select(PSObject.AsPSObject).ToArray();
        if (string.IsNullOrEmpty(container) || files is null)
        {
            throw new BenchmarkException($"New-DataShareTransfer returned a {transfer.BaseObject.GetType().FullName} without Container and Files.");
        }

        if (files.Length != 1)
        {
            throw new BenchmarkException($"The transfer holds {files.Length} files, not one.");
        }

        var size = Convert.ToInt64(files[0].Properties["Size"]?.Value, CultureInfo.InvariantCulture);
        var sha256 = files[0].Properties["Sha256"]?.Value as string ?? string.Empty;
        if (size != expectedSize)
        {
            throw new BenchmarkException($"The transfer's file has Size {size}, not the file's length {expectedSize}.");
        }

        if (!Sha256Hex().IsMatch(sha256))
        {
            throw new BenchmarkException($"The transfer's file has Sha256 '{sha256}', not 64 lower-case hex digits.");
        }

        if (!string.Equals(sha256, expectedSha256, StringComparison.Ordinal))
        {
            throw new BenchmarkException($"The transfer's file has SHA-256 {sha256}, but the file's is {expectedSha256}.");
        }

        return container;
    }

    public void Dispose() => runspace.Dispose();

    private void Run(string what, string script, params object[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        try
        {
            shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"{what} failed: {ex.Message}");
        }

        if (shell.HadErrors || shell.Streams.Error.Count > 0)
        {
            throw new BenchmarkException($"{what} reported errors: " + string.Join(Environment.NewLine, shell.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}

/// <summary>A failed run: the message is printed and the exit code is 1.</summary>