using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Copies a whole register into an empty one (SQLite to Azure Tables, or back): every record as it is, and the audit
/// log with its head, so the copy's history is the original's. Then counts each kind on both sides and verifies the
/// copy's audit chain up to the original's head.
/// </summary>
public static class RegisterCopier
{
    private const string Activity = "Copying the register";

    /// <summary>How many of each kind the register holds (for -WhatIf and for the check afterwards).</summary>
    public static RegisterCopyResult Count(IDataShareRegister register)
    {
        var snapshot = Read(register);
        return new RegisterCopyResult
        {
            Source = register.Info.ToString(),
            Organisations = snapshot.Organisations.LongCount(),
            Assessments = snapshot.Assessments.LongCount(),
            Agreements = snapshot.Agreements.LongCount(),
            People = snapshot.People.LongCount(),
            Recipients = snapshot.Recipients.LongCount(),
            Policy = snapshot.Policy.LongCount(),
            Certificates = snapshot.Certificates.LongCount(),
            Holdings = snapshot.Holdings.LongCount(),
            Transfers = snapshot.Transfers.LongCount(),
            Destructions = snapshot.Destructions.LongCount(),
            Confirmations = snapshot.Confirmations.LongCount(),
            AuditEntries = snapshot.AuditLog.LongCount(),
            SourceHead = snapshot.AuditHead?.ToString(),
        };
    }

    /// <summary>Everything the register holds, each kind read as it is enumerated.</summary>
    public static RegisterSnapshot Read(IDataShareRegister register) => new()
    {
        Organisations = register.ListOrganisations(),
        Assessments = register.ListAssessments(null),
        Agreements = register.ListAgreements(),
        People = register.ListPeople(),
        Recipients = register.ListRecipients(null, includeRemoved: true),
        Policy = register.ReadPolicy(),
        Certificates = register.ListCertificates(null),
        Holdings = register.ListHoldings(null),
        Transfers = register.ListTransfers(null),
        Destructions = register.ListDestructions(null),
        Confirmations = register.ListConfirmations(),
        AuditLog = register.ReadAuditLog(1),
        AuditHead = register.ReadAuditHead(),
    };

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (which must be empty), then checks the copy.</summary>
    /// <param name="counted">The source's counts when the caller has just taken them (Copy-DataShareRegister does, to say what it will copy), so the source is not read a further time.</param>
    public static RegisterCopyResult Copy(IDataShareRegister source, IDataShareRegister destination, IClock clock, IOperationHost host, RegisterCopyResult? counted = null)
    {
        var expected = counted ?? Count(source);
        var total = Math.Max(1, expected.Organisations + expected.Assessments + expected.Agreements + expected.People + expected.Recipients + expected.Policy
            + expected.Certificates + expected.Holdings + expected.Transfers + expected.Destructions + expected.Confirmations + expected.AuditEntries);
        long done = 0;
        host.WriteProgress(Activity, "Starting", 0, completed: false);
        destination.Restore(Read(source), (kind, count) =>
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            done += count;
            host.WriteVerbose($"Copied {count} {kind.ToLowerInvariant()}.");
            host.WriteProgress(Activity, $"{kind}: {count}", (int)Math.Min(99, done * 100 / total), completed: false);
        });
        host.WriteProgress(Activity, "Checking the copy", 99, completed: false);

        var copied = Count(destination);
        var result = expected;
        result.Destination = destination.Info.ToString();
        result.DestinationHead = copied.SourceHead;
        result.CopiedAt = clock.UtcNow;

        var problems = new List<string>();
        void Same(string kind, long want, long got)
        {
            if (want != got)
            {
                problems.Add($"{kind}: {want} in the source, {got} in the copy");
            }
        }

        Same("organisations", expected.Organisations, copied.Organisations);
        Same("assessments", expected.Assessments, copied.Assessments);
        Same("agreements", expected.Agreements, copied.Agreements);
        Same("people", expected.People, copied.People);
        Same("recipients", expected.Recipients, copied.Recipients);
        Same("policy settings", expected.Policy, copied.Policy);
        Same("certificates", expected.Certificates, copied.Certificates);
        Same("holdings", expected.Holdings, copied.Holdings);
        Same("transfers", expected.Transfers, copied.Transfers);
        Same("destruction records", expected.Destructions, copied.Destructions);
        Same("confirmations", expected.Confirmations, copied.Confirmations);
        Same("audit entries", expected.AuditEntries, copied.AuditEntries);

        var expectedHead = source.ReadAuditHead();
        var chain = AuditVerifier.Verify(destination.ReadAuditLog(1), destination.ReadAuditHead(), expectedHead);
        if (!chain.IsIntact)
        {
            problems.Add("the copy's audit log does not verify: " + chain.Problem);
        }

        result.Verified = problems.Count == 0;
        result.Problem = problems.Count == 0 ? null : string.Join("; ", problems);
        host.WriteProgress(Activity, "Done", 100, completed: true);
        return result;
    }
}
