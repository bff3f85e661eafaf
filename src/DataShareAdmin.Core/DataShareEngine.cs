using System;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core;

/// <summary>How to open the engine: which register, which clock, who is acting.</summary>
public sealed class EngineOptions
{
    /// <summary>An explicit register file; null means the usual search (environment, machine configuration, user folder).</summary>
    public string? RegisterPath { get; set; }

    public bool ReadOnly { get; set; }

    public IClock Clock { get; set; } = SystemClock.Instance;

    public AuditIdentity? Identity { get; set; }

    public string TimeZoneId { get; set; } = ShareCalendar.DefaultTimeZoneId;

    /// <summary>A seam for tests and later backends: opens the register for a location.</summary>
    public Func<RegisterLocation, IClock, AuditIdentity, IDataShareRegister>? OpenRegister { get; set; }
}

/// <summary>The engine for one piece of work (one cmdlet invocation): the register and the services over it.</summary>
public sealed class DataShareEngine : IDisposable
{
    private DataShareEngine(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity)
    {
        Register = register;
        Calendar = calendar;
        Agreements = new AgreementService(register, calendar, clock, identity.User);
        Recipients = new RecipientService(register, calendar, clock, identity.User);
        Audit = new AuditService(register, clock);
    }

    public IDataShareRegister Register { get; }

    public ShareCalendar Calendar { get; }

    public AgreementService Agreements { get; }

    public RecipientService Recipients { get; }

    public AuditService Audit { get; }

    public static DataShareEngine Open(EngineOptions options)
    {
        var identity = options.Identity ?? AuditIdentity.Current();
        var calendar = new ShareCalendar(options.Clock, ShareCalendar.FindTimeZone(options.TimeZoneId));
        var location = RegisterLocation.Resolve(options.RegisterPath, options.ReadOnly);
        var register = options.OpenRegister is null
            ? SqliteRegister.Open(location, options.Clock, identity)
            : options.OpenRegister(location, options.Clock, identity);
        return new DataShareEngine(register, calendar, options.Clock, identity);
    }

    public void Dispose() => Register.Dispose();
}
