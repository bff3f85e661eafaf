using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Tests;

/// <summary>A host that records what the engine asked and said, and answers ShouldProcess as told.</summary>
internal sealed class FakeHost : IOperationHost
{
    public FakeHost(bool approve = true) => Approve = approve;

    public bool Approve { get; set; }

    public List<string> Asked { get; } = new();

    public List<string> Verbose { get; } = new();

    public List<string> Warnings { get; } = new();

    public CancellationToken CancellationToken => Cancellation.Token;

    /// <summary>When set, decides by target instead of <see cref="Approve"/>.</summary>
    public Func<string, bool>? ApproveTarget { get; set; }

    public bool ShouldProcess(string target, string action)
    {
        Asked.Add(action + " | " + target);
        return ApproveTarget?.Invoke(target) ?? Approve;
    }

    /// <summary>Messages on which WriteVerbose throws, as a stopping pipeline's WriteVerbose does.</summary>
    public Func<string, bool>? VerboseThrows { get; set; }

    /// <summary>When set, output from any other thread throws, as a PowerShell cmdlet's does.</summary>
    public int? PipelineThread { get; set; }

    private void OnPipelineThread()
    {
        if (PipelineThread is { } thread && thread != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("The WriteObject and WriteError methods cannot be called from outside the overrides of the BeginProcessing, ProcessRecord, and EndProcessing methods, and they can only be called from within the same thread.");
        }
    }

    public void WriteVerbose(string message)
    {
        OnPipelineThread();
        if (VerboseThrows?.Invoke(message) == true)
        {
            throw new InvalidOperationException("The pipeline has been stopped.");
        }

        Verbose.Add(message);
    }

    public void WriteWarning(string message)
    {
        OnPipelineThread();
        Warnings.Add(message);
    }

    public List<(string Status, int Percent, bool Completed)> Progress { get; } = new();

    public CancellationTokenSource Cancellation { get; } = new();

    public void WriteProgress(string activity, string status, int percentComplete, bool completed) =>
        Progress.Add((status, percentComplete, completed));
}

/// <summary>A register file in a temporary folder, and an engine over it with a fixed clock.</summary>
internal sealed class TestRegister : IDisposable
{
    public TestRegister(DateTimeOffset? now = null)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dsa-core-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "register.db");
        Clock = new FixedClock(now ?? new DateTimeOffset(2026, 6, 15, 9, 30, 0, TimeSpan.Zero));
        Engine = OpenEngine();

        // Agreements point at an organisation in the register; the samples' one is there from the start.
        Samples.AddOrganisation(Engine);
        SetUpEntries = Engine.Register.ReadAuditHead()?.Sequence ?? 0;
    }

    /// <summary>Audit entries the set-up wrote (adding the samples' organisation), before the test's own.</summary>
    public long SetUpEntries { get; }

    public string Directory { get; }

    public string Path { get; }

    public FixedClock Clock { get; }

    public DataShareEngine Engine { get; private set; }

    public static AuditIdentity Identity { get; } = new("tester", "test-machine");

    public DataShareEngine OpenEngine(bool readOnly = false) => DataShareEngine.Open(new EngineOptions
    {
        RegisterPath = Path,
        ReadOnly = readOnly,

        // The first opening makes the register; nothing makes one without being asked.
        CreateRegister = !readOnly,
        Clock = Clock,
        Identity = Identity,
    });

    /// <summary>Runs SQL on the register file directly, around the module, as someone with write access to the file could.</summary>
    public int ExecuteRaw(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>Audit entries written since set-up.</summary>
    public long AuditCount() => (Engine.Register.ReadAuditHead()?.Sequence ?? 0) - SetUpEntries;

    public void Dispose()
    {
        Engine.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Samples
{
    /// <summary>
    /// Changes an agreement's terms as an officer must: directly before approval, by a variation requested and approved
    /// today after it. Null when the host declined.
    /// </summary>
    public static DataShareAgreement? Vary(DataShareEngine engine, string id, Agreements.AgreementChanges changes, IOperationHost host)
    {
        if (engine.Agreements.Get(id).ApprovedOn is null)
        {
            return engine.Agreements.Update(id, changes, host);
        }

        var variation = engine.Agreements.RequestVariation(id, changes, "Varied by the test.", host);
        return variation is null || engine.Agreements.ApproveVariation(variation.Id, "DSAP-VARIED", engine.Calendar.Today, host) is null ? null : engine.Agreements.Get(id);
    }

    public const string OrganisationName = "University of Example";

    /// <summary>A panel decision with the four tests met, each with a note (what every approval now records).</summary>
    public static PanelDecision Decision(DecisionMaker by = DecisionMaker.Panel, params string[] conditions)
    {
        var decision = DataShareAdmin.Core.Decisions.PanelDecisions.Approval("Gateway and basis confirmed", "Ethics approval seen", "Items limited to the question", "Secure research service");
        decision.DecidedBy = by;
        decision.Conditions = conditions;
        return decision;
    }

    /// <summary>A refusal's decision: the tests given not met (Proportionate by default), each with a note.</summary>
    public static PanelDecision Refusal(params PanelTest[] failed) => new()
    {
        Tests = (failed.Length == 0 ? new[] { PanelTest.Proportionate } : failed).Select(t => new PanelTestResult { Test = t, Passed = false, Note = t + " not shown" }).ToArray(),
    };

    /// <summary>The samples' organisation, once per register; with a passed assessment when <paramref name="assessedOn"/> is given.</summary>
    public static DataShareOrganisation AddOrganisation(DataShareEngine engine, string? assessedOn = null, string? validUntil = null)
    {
        var organisation = engine.Register.FindOrganisationByName(OrganisationName)
            ?? engine.Organisations.Create(OrganisationName, "1 College Road, Exampleton", "Dee Pioh", "dpo@example.ac.uk", new FakeHost())!;
        if (assessedOn is not null)
        {
            engine.Organisations.AddAssessment(new DataShareAdmin.Core.Organisations.AssessmentRequest
            {
                Organisation = organisation.Id,
                AssessedOn = DateTime.Parse(assessedOn, System.Globalization.CultureInfo.InvariantCulture),
                ValidUntil = validUntil is null ? null : DateTime.Parse(validUntil, System.Globalization.CultureInfo.InvariantCulture),
                Outcome = AssessmentOutcome.Passed,
                Reference = "ISQ-" + assessedOn,
            }, new FakeHost());
        }

        return organisation;
    }

    /// <summary>A DPIA signed off on the day the agreement starts: a DirectTransfer agreement gets no transfers without one.</summary>
    public static DataShareDpia AddDpia(DataShareEngine engine, string agreementId, string reference = "DPIA-1") =>
        engine.Reviews.SetDpia(new DataShareAdmin.Core.Reviews.DpiaDraft
        {
            AgreementId = agreementId,
            Reference = reference,
            SignedOffOn = new[] { engine.Agreements.Get(agreementId).StartsOn, engine.Calendar.Today }.Min(),
            SignedOffBy = "Data Protection Officer",
            ResidualRisk = ResidualRisk.Low,
            Mitigations = "Pseudonymised extract; named recipients only.",
        }, new FakeHost())!;

    public static DataShareAgreement Agreement(string id = "DS00752", string starts = "2026-01-01", string ends = "2026-12-31") => new()
    {
        Id = id,
        Organisation = "University of Example",
        Title = "Attainment gaps",
        Purpose = "Research into attainment gaps",
        LegalGateway = "Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
        LawfulBasis = "Article 6(1)(e)",
        AccessRoute = AccessRoute.DirectTransfer,
        DirectTransferJustification = "The analysis needs software the secure research service does not offer.",
        StartsOn = DateTime.Parse(starts, System.Globalization.CultureInfo.InvariantCulture),
        EndsOn = DateTime.Parse(ends, System.Globalization.CultureInfo.InvariantCulture),
        RetentionDays = 30,
        DataItems = new[] { new DataItem("KS2 attainment:B3"), new DataItem("FSM eligibility", "C", 4) },
    };
}
