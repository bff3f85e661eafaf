using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// When the readiness test reads every certificate at once instead of person by person. On a Table register each read
/// is a request, so a long run is cheaper with one read of everything; testing one agreement's few people on a large
/// register must not read it all. A stand-in register says it is a Table register (and how long its audit log is)
/// over a SQLite one, and counts the certificate reads.
/// </summary>
public sealed class ReadinessPreloadTests : IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();

    public ReadinessPreloadTests()
    {
        var engine = test.Engine;
        Samples.AddOrganisation(engine, assessedOn: "2026-02-01", validUntil: "2027-12-31");
        engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Approve("DS1", "R", new DateTime(2026, 1, 1), Samples.Decision(), host);
        for (var i = 0; i < 30; i++)
        {
            var recipient = engine.Recipients.Add("DS1", $"Person {i}", $"person{i}@example.org", null, host)!;
            if (i % 5 != 0)
            {
                engine.Recipients.Update(recipient.Id, new People.RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2026, 1, 5) }, host);
            }

            if (i % 3 != 0)
            {
                // Two in three have a certificate, some of them too old to count.
                engine.Certificates.Add(recipient.Id, new CertificateDraft
                {
                    Issuer = "DBS",
                    Level = "Enhanced",
                    Number = (100000000000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    IssuedOn = new DateTime(2023 + (i % 4), 3, 1),
                    HolderName = $"Person {i}",
                }, host);
            }
        }
    }

    public void Dispose() => test.Dispose();

    private IEnumerable<DataShareRecipient> Recipients => test.Engine.Register.ListRecipients("DS1", includeRemoved: false);

    private (CountingRegister Counts, List<RecipientTestResult> Results) TestEveryone(string backend, long? auditEntries, bool wholeRegister)
    {
        var register = CountingRegister.Over(test.Engine.Register, backend, auditEntries);
        var readiness = new ReadinessService(register, test.Engine.Calendar, () => SafePeoplePolicy.From(new Dictionary<string, string>()));
        if (wholeRegister)
        {
            readiness.ExpectWholeRegister();
        }

        var results = Recipients.ToList().Select(r => readiness.Test(r, null, null)).ToList();
        return ((CountingRegister)(object)register, results);
    }

    [Fact]
    public void A_few_people_on_a_large_table_register_are_read_person_by_person()
    {
        var (counts, _) = TestEveryone("AzureTables", auditEntries: 1_000_000, wholeRegister: false);

        Assert.Equal((0, 30), (counts.WholeReads, counts.PersonReads));
    }

    [Fact]
    public void On_a_small_table_register_or_for_the_whole_register_everything_is_read_once_after_twenty_people()
    {
        var small = TestEveryone("AzureTables", auditEntries: null, wholeRegister: false);
        var whole = TestEveryone("AzureTables", auditEntries: 1_000_000, wholeRegister: true);

        Assert.Equal((1, 20), (small.Counts.WholeReads, small.Counts.PersonReads));
        Assert.Equal((1, 20), (whole.Counts.WholeReads, whole.Counts.PersonReads));
    }

    [Fact]
    public void A_local_register_is_always_read_person_by_person_and_every_way_gives_the_same_answers()
    {
        var local = TestEveryone("SQLite", auditEntries: 1_000_000, wholeRegister: true);
        var preloaded = TestEveryone("AzureTables", auditEntries: null, wholeRegister: true);
        var byPerson = TestEveryone("AzureTables", auditEntries: 1_000_000, wholeRegister: false);

        Assert.Equal((0, 30), (local.Counts.WholeReads, local.Counts.PersonReads));
        static IEnumerable<string> Answers(List<RecipientTestResult> results) =>
            results.Select(r => $"{r.RecipientId} {r.IsReady} {r.ReadyUntil:yyyy-MM-dd} {string.Join(",", r.Checks.Select(c => c.Name + "=" + c.Passed))}");
        Assert.Contains(local.Results, r => r.IsReady);
        Assert.Contains(local.Results, r => !r.IsReady);
        Assert.Equal(Answers(local.Results), Answers(preloaded.Results));
        Assert.Equal(Answers(local.Results), Answers(byPerson.Results));
    }

    /// <summary>A register that passes every call on, but names another backend and audit length, and counts certificate reads.</summary>
    public class CountingRegister : DispatchProxy
    {
        private IDataShareRegister inner = null!;
        private string backend = string.Empty;
        private long? auditEntries;

        public int WholeReads { get; private set; }

        public int PersonReads { get; private set; }

        public static IDataShareRegister Over(IDataShareRegister inner, string backend, long? auditEntries)
        {
            var proxy = Create<IDataShareRegister, CountingRegister>();
            var counting = (CountingRegister)(object)proxy;
            counting.inner = inner;
            counting.backend = backend;
            counting.auditEntries = auditEntries;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod!.Name)
            {
                case "get_Info":
                    var info = inner.Info;
                    return new RegisterInfo { Backend = backend, Location = info.Location, Source = info.Source, SchemaVersion = info.SchemaVersion, Actor = info.Actor };
                case "ReadAuditHead" when auditEntries is { } entries:
                    return new AuditHead { Sequence = entries, Hash = new string('0', 64) };
                case "ListCertificates":
                    if (args![0] is null)
                    {
                        WholeReads++;
                    }
                    else
                    {
                        PersonReads++;
                    }

                    break;
            }

            try
            {
                return targetMethod.Invoke(inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
