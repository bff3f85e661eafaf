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

    /// <summary>Each kind of record a copy counts, as the check afterwards names it.</summary>
    private static readonly (string Kind, Func<RegisterCopyResult, long> Count)[] Kinds =
    {
        ("organisations", r => r.Organisations),
        ("assessments", r => r.Assessments),
        ("agreements", r => r.Agreements),
        ("people", r => r.People),
        ("recipients", r => r.Recipients),
        ("policy settings", r => r.Policy),
        ("certificates", r => r.Certificates),
        ("holdings", r => r.Holdings),
        ("transfers", r => r.Transfers),
        ("destruction records", r => r.Destructions),
        ("confirmations", r => r.Confirmations),
        ("terms versions", r => r.TermsVersions),
        ("variations", r => r.Variations),
        ("output releases", r => r.OutputReleases),
        ("output release cells", r => r.OutputReleaseCells),
        ("DPIA revisions", r => r.Dpias),
        ("reviews", r => r.Reviews),
        ("review triggers", r => r.ReviewTriggers),
        ("incidents", r => r.Incidents),
        ("audit entries", r => r.AuditEntries),
    };

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
            TermsVersions = snapshot.TermsVersions.LongCount(),
            Variations = snapshot.Variations.LongCount(),
            OutputReleases = snapshot.OutputReleases.LongCount(),
            OutputReleaseCells = snapshot.OutputReleaseCells.LongCount(),
            Dpias = snapshot.Dpias.LongCount(),
            Reviews = snapshot.Reviews.LongCount(),
            ReviewTriggers = snapshot.ReviewTriggers.LongCount(),
            Incidents = snapshot.Incidents.LongCount(),
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
        TermsVersions = register.ListAgreements().Select(a => a.Id).ToList().SelectMany(register.ListTermsVersions),
        Variations = register.ListVariations(null),
        OutputReleases = register.ListOutputReleases(null),
        OutputReleaseCells = register.ListOutputReleaseCells(null),
        Dpias = register.ListDpias(null),
        Reviews = register.ListReviews(null),
        ReviewTriggers = register.ListReviewTriggers(null),
        Incidents = register.ListIncidents(null),
        LegalGateways = register.ListLegalGateways(),
        // Every stored row: one numbered below 1 is refused by the copy rather than silently left behind.
        AuditLog = register.ReadAuditLog(long.MinValue),
        AuditHead = register.ReadAuditHead(),
    };

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (which must be empty), then checks the copy.</summary>
    /// <param name="counted">The source's counts when the caller has just taken them (Copy-DataShareRegister does, to say what it will copy), so the source is not read a further time.</param>
    public static RegisterCopyResult Copy(IDataShareRegister source, IDataShareRegister destination, IClock clock, IOperationHost host, RegisterCopyResult? counted = null)
    {
        var expected = counted ?? Count(source);
        var total = Math.Max(1, Kinds.Sum(kind => kind.Count(expected)));
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

        foreach (var (kind, count) in Kinds)
        {
            Same(kind, count(expected), count(copied));
        }

        var expectedHead = source.ReadAuditHead();
        var chain = AuditVerifier.Verify(destination.ReadAuditLog(long.MinValue), destination.ReadAuditHead(), expectedHead);
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
