using System;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Register;

/// <summary>A copy of the engine's register about to be made: where it goes, and what it will hold.</summary>
public sealed class RegisterCopyPlan
{
    internal RegisterCopyPlan(string target, string? path, TableRegisterOptions? table, RegisterCopyResult counts)
    {
        Target = target;
        Path = path;
        Table = table;
        Counts = counts;
    }

    /// <summary>The destination as a register names itself ("SQLite:/path", "AzureTables:…").</summary>
    public string Target { get; }

    /// <summary>What the copy will write, for -WhatIf and -Confirm.</summary>
    public string Description =>
        $"Copy {Counts.Agreements} agreement(s), {Counts.Recipients} recipient(s), {Counts.Certificates} certificate(s), {Counts.Holdings} holding(s), {Counts.Transfers} transfer(s) and {Counts.AuditEntries} audit entries from {Counts.Source}";

    internal string? Path { get; }

    internal TableRegisterOptions? Table { get; }

    internal RegisterCopyResult Counts { get; }
}

/// <summary>
/// Copy-DataShareRegister's work: the engine's register copied into a new, empty SQLite file or Table register, which
/// this service opens (and makes), then checked against the original (<see cref="RegisterCopier"/>).
/// </summary>
public sealed class RegisterCopyService
{
    private readonly IDataShareRegister source;
    private readonly IClock clock;
    private readonly AuditIdentity identity;

    public RegisterCopyService(IDataShareRegister source, IClock clock, AuditIdentity identity)
    {
        this.source = source;
        this.clock = clock;
        this.identity = identity;
    }

    /// <summary>
    /// The copy into a SQLite file (<paramref name="path"/>) or a Table register (<paramref name="table"/>), counted;
    /// RegisterCopyToItself when the destination is the register being copied.
    /// </summary>
    public RegisterCopyPlan Plan(string? path, TableRegisterOptions? table)
    {
        var target = table is not null ? "AzureTables:" + TableRegister.LocationOf(table) : "SQLite:" + path;
        if (string.Equals(target, source.Info.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new DataShareException("RegisterCopyToItself", DataShareErrorCategory.InvalidArgument,
                $"The destination is the register this session uses ({source.Info}). Copy into another register.", target);
        }

        return new RegisterCopyPlan(target, path, table, RegisterCopier.Count(source));
    }

    /// <summary>Makes the destination, copies into it and checks the copy; the result says whether it verified.</summary>
    public RegisterCopyResult Copy(RegisterCopyPlan plan, IOperationHost host)
    {
        using var destination = plan.Table is not null
            ? (IDataShareRegister)TableRegister.Open(plan.Table, clock, identity, create: true)
            : SqliteRegister.Open(new RegisterLocation(plan.Path!, "Parameter", createIfMissing: true), clock, identity);
        return RegisterCopier.Copy(source, destination, clock, host, plan.Counts);
    }
}
