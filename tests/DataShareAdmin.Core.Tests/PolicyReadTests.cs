using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The policy is read from the register once per piece of work (one engine), not once per rule that needs it: on a
/// Table register each read is an HTTP request. A change made through the engine is seen at once.
/// </summary>
public sealed class PolicyReadTests : TransferTestsBase
{
    [Fact]
    public void A_transfer_reads_the_policy_from_the_register_once()
    {
        using var engine = Counted(out var reads);

        var transfer = engine.Transfers.Issue(Request(), storage, host);

        Assert.NotNull(transfer);
        Assert.Equal(1, reads.Value);
    }

    [Fact]
    public void Adding_a_recipient_reads_only_the_time_zone_by_its_name_never_the_whole_policy()
    {
        // On a Table register the whole policy is a range read, which the emulator answers by scanning the table: a
        // command that needs only "today" looks up the one setting it needs.
        using var engine = Counted(out var reads);

        engine.Recipients.Add("DS1", "New Person", "new.person@example.org", null, host);

        Assert.Equal(0, reads.Value);
        Assert.NotEmpty(engine.Policy.Get().ToList());
        Assert.Equal(1, reads.Value); // the counter does count: listing the settings reads the whole policy once
    }

    [Fact]
    public void One_setting_read_by_its_name_has_the_default_of_the_registers_backend()
    {
        // RequireSeparateApprover defaults to true on the Table register: a value read alone must agree with the list.
        var tables = new Policy.PolicyService(ReadinessPreloadTests.CountingRegister.Over(test.Engine.Register, "AzureTables", null));
        var sqlite = new Policy.PolicyService(test.Engine.Register);

        Assert.Equal("true", tables.EffectiveValue("RequireSeparateApprover"));
        Assert.Equal(tables.Get(n => n == "RequireSeparateApprover").Single().Value, tables.EffectiveValue("RequireSeparateApprover"));
        Assert.Equal("false", sqlite.EffectiveValue("RequireSeparateApprover"));
    }

    [Fact]
    public void The_calendar_follows_a_time_zone_set_in_the_register()
    {
        test.Engine.Policy.Set("TimeZone", "Pacific/Kiritimati", host);
        using var engine = Counted(out var reads);

        Assert.Equal("Pacific/Kiritimati", engine.Calendar.TimeZone.Id);
        Assert.Equal(0, reads.Value);
    }

    [Fact]
    public void A_policy_change_is_seen_by_the_same_engine_at_once()
    {
        using var engine = Counted(out var reads);
        Assert.Equal(24, engine.Policy.SafePeople().CertificateMaxAgeMonths);

        engine.Policy.Set("CertificateMaxAgeMonths", "36", host);

        Assert.Equal(36, engine.Policy.SafePeople().CertificateMaxAgeMonths);
        Assert.Equal("36", engine.Policy.Get(n => n == "CertificateMaxAgeMonths").Single().Value);
        Assert.True(reads.Value >= 2, "the value replaced and the value after the change are read from the register");
    }

    /// <summary>A second engine on the test's register whose every ReadPolicy is counted.</summary>
    private DataShareEngine Counted(out Counter reads)
    {
        var counter = new Counter();
        reads = counter;
        return DataShareEngine.Open(new EngineOptions
        {
            RegisterPath = test.Path,
            Clock = test.Clock,
            Identity = TestRegister.Identity,
            OpenRegister = (location, clock, identity) => CountingRegister.Wrap(SqliteRegister.Open(location, clock, identity), counter),
        });
    }

    public sealed class Counter
    {
        private int value;

        public int Value => Volatile.Read(ref value);

        public void Add() => Interlocked.Increment(ref value);
    }

    /// <summary>Passes every call through to a real register, counting ReadPolicy.</summary>
    public class CountingRegister : DispatchProxy
    {
        private IDataShareRegister inner = null!;
        private Counter reads = null!;

        public static IDataShareRegister Wrap(IDataShareRegister inner, Counter reads)
        {
            var proxy = Create<IDataShareRegister, CountingRegister>();
            var counting = (CountingRegister)(object)proxy;
            counting.inner = inner;
            counting.reads = reads;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IDataShareRegister.ReadPolicy))
            {
                reads.Add();
            }

            try
            {
                return targetMethod.Invoke(inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
