using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.SafePeople;

/// <summary>
/// Applies every safe-people check to a recipient on a day: an acceptable disclosure certificate, a signed
/// declaration for the agreement, completed training, and (for an agreement that sends data directly) the recipient
/// organisation's current security assessment. One result per recipient, nothing held across recipients but a small
/// cache of agreements, so any number of recipients can stream through.
/// </summary>
public sealed class ReadinessService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly Func<SafePeoplePolicy> policy;
    private readonly Dictionary<string, (DateTime EndsOn, AccessRoute Route, string? OrganisationId)> agreementFacts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<SecurityAssessment>> assessments = new(StringComparer.Ordinal);
    private const int PreloadAfter = 20;

    /// <summary>About how many one-person queries cost as much as one page (up to 1,000 rows) of a read of everything.</summary>
    private const int QueriesPerPage = 5;

    private Dictionary<string, List<DisclosureCertificate>>? preloaded;
    private long? preloadAfter;
    private int lookups;

    private readonly Func<DirectoryAccess.DirectoryCheck?>? directory;

    /// <param name="directory">
    /// The directory check for this piece of work, when the session is connected to the directory and the work asks
    /// for it (it judges the account as it is now); null or answering null when there is none.
    /// </param>
    public ReadinessService(IDataShareRegister register, ShareCalendar calendar, Func<SafePeoplePolicy> policy, Func<DirectoryAccess.DirectoryCheck?>? directory = null)
    {
        this.register = register;
        this.calendar = calendar;
        this.policy = policy;
        this.directory = directory;
    }

    private DirectoryAccess.DirectoryCheck? Directory => directory?.Invoke();

    public RecipientTestResult Test(DataShareRecipient recipient, DateTime? asOf, int? warnWithinDays) => Test(recipient, asOf, warnWithinDays, out _);

    /// <summary>The test, and the certificate it judged by: the acceptable one lasting longest, else the latest issued.</summary>
    public RecipientTestResult Test(DataShareRecipient recipient, DateTime? asOf, int? warnWithinDays, out CertificateTestResult? certificate)
    {
        var rules = policy();
        var day = (asOf ?? calendar.Today).Date;
        var checks = new List<SafePeopleCheck>(5);
        var agreement = Agreement(recipient.AgreementId);

        if (!recipient.IsActive)
        {
            checks.Add(Fail("Recipient", $"Removed from agreement {recipient.AgreementId} on {recipient.RemovedAt:yyyy-MM-dd}."));
        }

        checks.Add(CertificateCheck(recipient.PersonId, rules, day, out certificate));
        if (rules.DeclarationRequired)
        {
            checks.Add(DateCheck("Declaration", recipient.DeclarationSignedOn, day, 0,
                $"No signed individual declaration is recorded for agreement {recipient.AgreementId}.", "Signed"));
        }

        if (rules.TrainingRequired)
        {
            checks.Add(DateCheck("Training", recipient.TrainingCompletedOn, day, rules.TrainingMaxAgeMonths,
                "No completed data-protection and information-security training is recorded.", "Completed"));
        }

        checks.Add(OrganisationCheck(agreement.Route, agreement.OrganisationId, day));
        if (Directory is { Applies: true } directory)
        {
            checks.Add(directory.Check(recipient.Email, recipient.DirectoryObjectId));
        }

        var result = new RecipientTestResult
        {
            RecipientId = recipient.Id,
            AgreementId = recipient.AgreementId,
            PersonId = recipient.PersonId,
            Name = recipient.Name,
            Email = recipient.Email,
            AsOf = day,
            Checks = checks.ToArray(),
            AgreementEndsOn = agreement.EndsOn,
        };

        var failed = new List<string>();
        DateTime? readyUntil = null;
        foreach (var check in checks)
        {
            if (!check.Passed)
            {
                failed.Add(check.Name);
            }
            else if (check.ValidUntil is { } until && (readyUntil is null || until < readyUntil))
            {
                readyUntil = until;
            }
        }

        result.FailedChecks = failed.ToArray();
        result.IsReady = failed.Count == 0;
        if (!result.IsReady)
        {
            return result;
        }

        result.ReadyUntil = readyUntil;
        var window = warnWithinDays ?? rules.ReadinessWarningDays;
        if (readyUntil is { } last)
        {
            var left = (int)(last - day).TotalDays;
            if (left <= window)
            {
                result.Warning = true;
                result.WarningReason = $"Ready only until {DateText.FormatDate(last)} ({left} days): renew before then.";
            }
            else if (last < result.AgreementEndsOn)
            {
                result.Warning = true;
                result.WarningReason = $"Ready until {DateText.FormatDate(last)}, before agreement {recipient.AgreementId} ends on {DateText.FormatDate(result.AgreementEndsOn)}.";
            }
        }

        return result;
    }

    private SafePeopleCheck CertificateCheck(string personId, SafePeoplePolicy rules, DateTime day, out CertificateTestResult? chosen)
    {
        CertificateTestResult? best = null;
        CertificateTestResult? latest = null;
        foreach (var certificate in Certificates(personId))
        {
            var verdict = CertificateRules.Evaluate(certificate, rules, day);
            if (verdict.IsValid && (best is null || verdict.ValidUntil > best.ValidUntil))
            {
                best = verdict;
            }

            if (latest is null || certificate.IssuedOn >= latest.IssuedOn)
            {
                latest = verdict;
            }
        }

        chosen = best ?? latest;
        if (best is not null)
        {
            return new SafePeopleCheck
            {
                Name = "Certificate",
                Passed = true,
                ValidUntil = best.ValidUntil,
                Reason = $"{best.Issuer} {best.Level} certificate {best.CertificateId}: {best.Reason}",
            };
        }

        return Fail("Certificate", latest is null
            ? "No disclosure certificate is recorded for this person."
            : $"{latest.Issuer} {latest.Level} certificate {latest.CertificateId}: {latest.Reason}");
    }

    private static SafePeopleCheck DateCheck(string name, DateTime? date, DateTime day, int maxAgeMonths, string missing, string verb)
    {
        if (date is null)
        {
            return Fail(name, missing);
        }

        if (date.Value.Date > day)
        {
            return Fail(name, $"{verb} on {DateText.FormatDate(date.Value)}, after {DateText.FormatDate(day)}.");
        }

        if (maxAgeMonths <= 0)
        {
            return new SafePeopleCheck { Name = name, Passed = true, Reason = $"{verb} on {DateText.FormatDate(date.Value)}." };
        }

        var until = date.Value.Date.AddMonths(maxAgeMonths);
        return day > until
            ? Fail(name, $"{verb} on {DateText.FormatDate(date.Value)}; it lapsed after {DateText.FormatDate(until)} ({maxAgeMonths} months).")
            : new SafePeopleCheck { Name = name, Passed = true, ValidUntil = until, Reason = $"{verb} on {DateText.FormatDate(date.Value)}, current through {DateText.FormatDate(until)}." };
    }

    /// <summary>
    /// The security assessment, which matters when data goes to the organisation directly; for the secure research
    /// service route the check passes and says what the standing is.
    /// </summary>
    private SafePeopleCheck OrganisationCheck(AccessRoute route, string? organisationId, DateTime day)
    {
        var verdict = organisationId is null
            ? OrganisationRules.NoOrganisation
            : OrganisationRules.Evaluate(Assessments(organisationId), day);
        if (route != AccessRoute.DirectTransfer)
        {
            return new SafePeopleCheck { Name = "Organisation", Passed = true, Reason = "Not required: the data stays in the secure research service. " + verdict.Reason };
        }

        return verdict.State == AssessmentState.Current
            ? new SafePeopleCheck { Name = "Organisation", Passed = true, ValidUntil = verdict.ValidUntil, Reason = verdict.Reason }
            : Fail("Organisation", verdict.Reason + " Data goes directly only to an organisation whose security assessment passed and is current.");
    }

    /// <summary>
    /// Says this piece of work tests (nearly) everyone in the register — all recipients, the SafePeople report — so on
    /// a Table register every certificate is read at once after the first few people rather than person by person.
    /// </summary>
    public void ExpectWholeRegister() => preloadAfter = PreloadAfter;

    /// <summary>
    /// A person's certificates. On a register where each read is a request over the network (the Azure Table
    /// register), testing many people one query each is slow, so every certificate is read once, in key order, and
    /// held by person for the rest of the piece of work — once that is the cheaper way. For the whole register
    /// (<see cref="ExpectWholeRegister"/>) that is after <see cref="PreloadAfter"/> people. Otherwise it is once the
    /// queries made would have paid for reading everything: about one page per 1,000 rows, bounded by the audit log's
    /// length (every certificate, person and place was audited), so testing one agreement's people on a large register
    /// never reads all of it, and a long run pays at most about twice the cheaper way. A local register keeps one
    /// indexed query per person, and memory flat.
    /// </summary>
    private IEnumerable<DisclosureCertificate> Certificates(string personId)
    {
        if (preloaded is null && register.Info.Backend == "AzureTables" && ++lookups > PreloadAfter
            && lookups > (preloadAfter ??= Math.Max(PreloadAfter, (register.ReadAuditHead()?.Sequence ?? 0) / 1000 * QueriesPerPage)))
        {
            preloaded = new Dictionary<string, List<DisclosureCertificate>>(StringComparer.Ordinal);
            foreach (var certificate in register.ListCertificates(null))
            {
                if (!preloaded.TryGetValue(certificate.PersonId, out var list))
                {
                    list = new List<DisclosureCertificate>(1);
                    preloaded[certificate.PersonId] = list;
                }

                list.Add(certificate);
            }
        }

        if (preloaded is null)
        {
            return register.ListCertificates(personId);
        }

        return preloaded.TryGetValue(personId, out var found) ? found : (IEnumerable<DisclosureCertificate>)Array.Empty<DisclosureCertificate>();
    }

    /// <summary>Forgets what was read about organisations (the engine calls it when an assessment is recorded).</summary>
    public void ForgetOrganisations() => assessments.Clear();

    /// <summary>An organisation's assessments, read once per piece of work (a shared register answers each read over the network).</summary>
    private List<SecurityAssessment> Assessments(string organisationId)
    {
        if (!assessments.TryGetValue(organisationId, out var list))
        {
            list = new List<SecurityAssessment>(register.ListAssessments(organisationId));
            assessments[organisationId] = list;
        }

        return list;
    }

    private (DateTime EndsOn, AccessRoute Route, string? OrganisationId) Agreement(string agreementId)
    {
        if (!agreementFacts.TryGetValue(agreementId, out var facts))
        {
            var agreement = register.FindAgreement(agreementId);
            facts = agreement is null
                ? (DateTime.MaxValue.Date, AccessRoute.SecureResearchService, null)
                : (agreement.EndsOn, agreement.AccessRoute, agreement.OrganisationId);
            agreementFacts[agreementId] = facts;
        }

        return facts;
    }

    private static SafePeopleCheck Fail(string name, string reason) => new() { Name = name, Passed = false, Reason = reason };
}
