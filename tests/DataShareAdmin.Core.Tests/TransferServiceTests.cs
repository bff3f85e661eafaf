using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Tests;

public sealed class TransferServiceTests : TransferTestsBase
{
    [Fact]
    public void An_issued_transfer_records_files_recipients_window_and_a_holding_but_never_the_link()
    {
        var transfer = Engine.Transfers.Issue(Request(), storage, host)!;

        Assert.StartsWith("TR-", transfer.Id, StringComparison.Ordinal);
        Assert.Equal(TransferStatus.Active, transfer.Status);
        Assert.Equal(TransferLinkKind.StoredAccessPolicy, transfer.LinkKind);
        Assert.Equal(transfer.Id, transfer.AccessPolicyId);
        Assert.Equal(Now.AddMinutes(-5), transfer.StartsOn);
        Assert.Equal(Now.AddDays(3), transfer.ExpiresOn);
        Assert.Equal(new[] { jo.Id }, transfer.RecipientIds);
        var file = Assert.Single(transfer.Files);
        Assert.Equal(("pupils.csv", 17L), (file.Name, file.Size));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(extract))).ToLowerInvariant(), file.Sha256);
        Assert.Contains("sig=SECRETSIGNATURE", transfer.Uri!.Reveal().Query, StringComparison.Ordinal);
        Assert.Equal(transfer.Uri.Reveal().GetLeftPart(UriPartial.Path) + "/pupils.csv", file.Uri!.Reveal().GetLeftPart(UriPartial.Path));
        Assert.Equal(transfer.Uri.Reveal().Query, file.Uri.Reveal().Query);
        Assert.DoesNotContain("SECRETSIGNATURE", transfer.Uri.ToString() + transfer.Uri.Address + file.Uri.ToString() + file.Uri.Address, StringComparison.Ordinal);
        Assert.Contains(transfer.Id, storage.Policies[transfer.Container]);

        var stored = Engine.Register.FindTransfer(transfer.Id)!;
        Assert.Null(stored.Uri);
        Assert.Null(stored.Files[0].Uri);
        Assert.Equal((file.Sha256, transfer.ExpiresOn, transfer.Container), (stored.Files[0].Sha256, stored.ExpiresOn, stored.Container));

        // Due: the day after the link's last day (18 June) plus one grace day.
        var holding = Engine.Register.FindHolding(transfer.HoldingId)!;
        Assert.Equal((HoldingKind.BlobContainer, "DS1", transfer.Container, new DateTime(2026, 6, 20)), (holding.Kind, holding.AgreementId, holding.Container, holding.DueOn));
        Assert.Equal("https://contosodata.blob.core.windows.net/" + transfer.Container, holding.Location);

        var audit = Engine.Register.ReadAuditLog(0).Last();
        Assert.Equal(("Transfer.Issue", transfer.Id), (audit.Action, audit.TargetId));
        Assert.Equal("pupils.csv:17:" + file.Sha256, audit.Details["Files"]);
        Assert.DoesNotContain(Engine.Register.ReadAuditLog(0), e => e.Details.Values.Any(v => v.Contains("SECRET", StringComparison.Ordinal)));
        Assert.DoesNotContain(host.Verbose, v => v.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_goes_only_to_an_organisation_whose_latest_assessment_passed_and_lasts_through_the_link_s_last_day()
    {
        var organisation = Engine.Organisations.Get(Samples.OrganisationName);

        // A later failed assessment overrides the earlier pass.
        Engine.Organisations.AddAssessment(new AssessmentRequest { Organisation = organisation.Id, AssessedOn = new DateTime(2026, 6, 1), Outcome = AssessmentOutcome.Failed, Reference = "ISQ-F" }, host);
        var error = Refused(Request(), "TransferOrganisationNotAssessed");
        Assert.Equal(DataShareErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("ISQ-F", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed", error.Message, StringComparison.Ordinal);

        // A new pass current only through 17 June: a three-day link (last day 18 June) is refused naming both days.
        Engine.Organisations.AddAssessment(new AssessmentRequest { Organisation = organisation.Id, AssessedOn = new DateTime(2026, 6, 10), ValidUntil = new DateTime(2026, 6, 17), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-P" }, host);
        error = Refused(Request(), "TransferOrganisationNotAssessed");
        Assert.Contains("2026-06-17", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-06-18", error.Message, StringComparison.Ordinal);

        // A one-day link ends within it.
        Assert.NotNull(Engine.Transfers.Issue(Request(TimeSpan.FromDays(1)), storage, host));
    }

    [Fact]
    public void An_agreement_approved_before_justifications_were_recorded_keeps_its_status_but_gets_no_transfer_until_it_has_one()
    {
        // As the schema 5 upgrade leaves an agreement approved for direct transfer by the previous release.
        var legacy = Engine.Register.FindAgreement("DS1")!;
        legacy.DirectTransferJustification = null;
        Engine.Register.UpdateAgreement(legacy, new AuditEvent("Test.Legacy", "Agreement", "DS1"));

        var error = Refused(Request(), "TransferJustificationMissing");
        Assert.Equal(DataShareErrorCategory.InvalidOperation, error.Category);
        Assert.Contains("-DirectTransferJustification", error.Message, StringComparison.Ordinal);
        Assert.Equal(AgreementStatus.Active, Engine.Agreements.Get("DS1").Status);

        Samples.Vary(Engine, "DS1", new AgreementChanges { DirectTransferJustification = "Linkage with the university's own cohort needs its own secure environment." }, host);
        Assert.NotNull(Engine.Transfers.Issue(Request(), storage, host));
    }

    [Fact]
    public void A_folder_sends_every_file_under_it_with_relative_names_and_an_empty_file_warns()
    {
        Directory.CreateDirectory(Path.Combine(folder, "lookups"));
        File.WriteAllText(Path.Combine(folder, "lookups", "schools.csv"), "urn\n1\n");
        File.WriteAllBytes(Path.Combine(folder, "empty.txt"), Array.Empty<byte>());

        var transfer = Engine.Transfers.Issue(Request(null, folder), storage, host)!;

        Assert.Equal(new[] { "empty.txt", "lookups/schools.csv", "pupils.csv" }, transfer.Files.Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(transfer.Files.Sum(f => f.Size), transfer.TotalBytes);
        Assert.Contains(host.Warnings, w => w.Contains("empty.txt", StringComparison.Ordinal) && w.Contains("0 bytes", StringComparison.Ordinal));
        Assert.EndsWith("/lookups/schools.csv", transfer.Files.Single(f => f.Name == "lookups/schools.csv").Uri!.Reveal().AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_refusal_has_its_own_error_and_creates_nothing()
    {
        Refused(Request(TimeSpan.FromDays(8)), "TransferLifetimeTooLong");
        Refused(Request(TimeSpan.FromMilliseconds(500)), "TransferLifetimeInvalid");
        Refused(Request(null, Path.Combine(folder, "missing.csv")), "TransferFileNotFound");
        Refused(Request(null, extract, extract), "TransferFileNameDuplicate");
        Refused(new TransferRequest { AgreementId = "DS1", Paths = new[] { extract }, ValidFor = TimeSpan.FromDays(1), AllowedIpRange = "10.0.0.9-10.0.0.1" }, "TransferIpRangeInvalid");
        Refused(new TransferRequest { AgreementId = "NOPE1", Paths = new[] { extract }, ValidFor = TimeSpan.FromDays(1) }, "AgreementNotFound");
        var empty = Path.Combine(test.Directory, "empty-folder");
        Directory.CreateDirectory(empty);
        Refused(Request(null, empty), "TransferNoFiles");

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), null, host));
        Assert.Equal("StorageNotConnected", error.ErrorId);
    }

    [Fact]
    public void An_agreement_that_is_not_active_or_not_a_direct_transfer_is_refused()
    {
        Engine.Agreements.Update("DS1", new Agreements.AgreementChanges { IsSuspended = true }, host);
        Assert.Contains("Suspended", Refused(Request(), "TransferAgreementNotActive").Message, StringComparison.Ordinal);
        Engine.Agreements.Update("DS1", new Agreements.AgreementChanges { IsSuspended = false }, host);
        Samples.Vary(Engine, "DS1", new Agreements.AgreementChanges { AccessRoute = AccessRoute.SecureResearchService }, host);
        Refused(Request(), "TransferRouteNotDirect");
    }

    [Fact]
    public void A_link_that_would_outlast_the_agreement_is_refused()
    {
        test.Clock.UtcNow = new DateTimeOffset(2026, 12, 29, 9, 0, 0, TimeSpan.Zero);
        Assert.Contains("2027-01-01", Refused(Request(TimeSpan.FromDays(3)), "TransferOutlastsAgreement").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_items_rated_outside_policy_are_refused_naming_them()
    {
        Engine.Policy.Set("TransferAllowedIdentificationRisk", "1,2,3", host);
        var error = Refused(Request(), "TransferDataItemNotAllowed");
        Assert.Contains("FSM eligibility (C4)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("KS2", error.Message, StringComparison.Ordinal);

        Engine.Policy.Set("TransferAllowedIdentificationRisk", null, host);
        Engine.Policy.Set("TransferAllowedSensitivity", "A", host);
        Assert.Contains("KS2 attainment (B3)", Refused(Request(), "TransferDataItemNotAllowed").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipient_whose_certificate_goes_stale_before_the_last_day_is_refused_with_the_day_named()
    {
        // Issued 2024-06-16: acceptable through 2026-06-16 (24 months), so ready today but not on 18 June.
        var sam = Engine.Recipients.Add("DS1", "Sam Smith", "sam@example.org", null, host)!;
        MakeReady(sam, "2024-06-16", "009876543210");

        var error = Refused(Request(TimeSpan.FromDays(3)), "TransferRecipientNotReady");
        Assert.Contains("sam@example.org", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-06-18 (the link's last day)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("jo@example.org", error.Message, StringComparison.Ordinal);

        // A shorter link, ending while the certificate is still acceptable, is issued.
        Assert.NotNull(Engine.Transfers.Issue(Request(TimeSpan.FromHours(20)), storage, host));
    }

    [Fact]
    public void Named_recipients_must_be_on_the_agreement_and_an_agreement_needs_some()
    {
        Engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);
        Engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 1, 1), Samples.Decision(), host);
        Samples.AddDpia(Engine, "DS2");
        Refused(new TransferRequest { AgreementId = "DS2", Paths = new[] { extract }, ValidFor = TimeSpan.FromDays(1) }, "TransferNoRecipients");
        Refused(new TransferRequest { AgreementId = "DS2", Paths = new[] { extract }, ValidFor = TimeSpan.FromDays(1), RecipientIds = new[] { jo.Id } }, "TransferRecipientNotOnAgreement");
        Refused(new TransferRequest { AgreementId = "DS1", Paths = new[] { extract }, ValidFor = TimeSpan.FromDays(1), RecipientIds = new[] { "RC-0000000000" } }, "RecipientNotFound");
    }

    [Fact]
    public void What_if_creates_nothing()
    {
        host.Approve = false;
        Assert.Null(Engine.Transfers.Issue(Request(), storage, host));
        Assert.Empty(storage.Calls);
        Assert.Empty(Engine.Register.ListTransfers(null));
        Assert.Single(host.Asked, a => a.Contains("Upload into new container", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Upload")]
    [InlineData("AddPolicy")]
    [InlineData("Sign")]
    public void A_failure_at_any_step_removes_the_container_and_says_so(string step)
    {
        storage.FailAt = step;
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));

        Assert.Equal("StorageRequestFailed", error.ErrorId);
        Assert.Contains("was removed, so nothing is left behind", error.Message, StringComparison.Ordinal);
        Assert.Empty(storage.Containers);
        Assert.Equal("Delete", storage.Calls.Last());

        // Transfer.Start before the container, Transfer.Fail after the clean-up (TransferPendingTests has the rest).
        Assert.Equal(before + 2, test.AuditCount());
    }

    [Fact]
    public void A_failed_clean_up_is_reported_with_what_was_left()
    {
        storage.FailAt = "AddPolicy";
        storage.FailAt = "Delete";
        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));

        Assert.Contains("could NOT be removed", error.Message, StringComparison.Ordinal);
        Assert.Contains("the retention sweep deletes it", error.Message, StringComparison.Ordinal);
        Assert.Contains(host.Warnings, w => w.Contains("delete it by hand", StringComparison.Ordinal));
        var holding = Engine.Register.ListHoldings("DS1").Single();
        Assert.Equal((HoldingState.Pending, new DateTime(2026, 6, 15)), (holding.State, holding.DueOn));
        Assert.Single(storage.Containers);
    }

    [Fact]
    public void A_user_delegation_link_fits_the_seven_day_key_window_and_says_how_it_can_be_withdrawn()
    {
        storage.CanSignWithAccountKey = false;
        Engine.Policy.Set("TransferMaxLifetimeDays", "30", host);

        var error = Refused(Request(TimeSpan.FromDays(7)), "TransferLifetimeTooLong");
        Assert.Contains("user-delegation", error.Message, StringComparison.Ordinal);
        Refused(Request(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1)), "TransferLifetimeTooLong");

        var transfer = Engine.Transfers.Issue(Request(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(10)), storage, host)!;
        Assert.Equal(TransferLinkKind.UserDelegation, transfer.LinkKind);
        Assert.Null(transfer.AccessPolicyId);
        Assert.Equal((transfer.StartsOn, transfer.ExpiresOn), storage.DelegationWindow);
        Assert.True(storage.DelegationWindow!.Value.Expiry - storage.DelegationWindow.Value.Start <= TimeSpan.FromDays(7));
        Assert.Contains("revoking all user delegation keys", transfer.Note, StringComparison.Ordinal);
        Assert.Contains(host.Warnings, w => w.Contains("revoking all user delegation keys", StringComparison.Ordinal));
        Assert.DoesNotContain("AddPolicy", storage.Calls);
    }

    [Fact]
    public void Revoking_deletes_the_policy_records_who_and_brings_the_holding_forward()
    {
        var transfer = Engine.Transfers.Issue(Request(TimeSpan.FromDays(5)), storage, host)!;
        Assert.Equal(new DateTime(2026, 6, 22), Engine.Register.FindHolding(transfer.HoldingId)!.DueOn);
        test.Clock.UtcNow = Now.AddDays(1);

        var revoked = Engine.Transfers.Revoke(transfer.Id, storage, host)!;

        Assert.Equal((TransferStatus.Revoked, Now.AddDays(1), "tester"), (revoked.Status, revoked.RevokedAt, revoked.RevokedBy));
        Assert.Contains("30 seconds", revoked.Note, StringComparison.Ordinal);
        Assert.Empty(storage.Policies[transfer.Container]);
        Assert.Equal(new DateTime(2026, 6, 18), Engine.Register.FindHolding(transfer.HoldingId)!.DueOn);
        Assert.Equal("Transfer.Revoke", Engine.Register.ReadAuditLog(0).Last().Action);

        var again = Assert.Throws<DataShareException>(() => Engine.Transfers.Revoke(transfer.Id, storage, host));
        Assert.Equal("TransferAlreadyRevoked", again.ErrorId);
        Assert.Equal("TransferNotFound", Assert.Throws<DataShareException>(() => Engine.Transfers.Revoke("TR-0000000000", storage, host)).ErrorId);
        Assert.Equal("TransferNotFound", Assert.Throws<DataShareException>(() => Engine.Transfers.Revoke("DS1", storage, host)).ErrorId);
    }

    [Fact]
    public void Revoking_needs_the_same_storage_account_and_what_if_changes_nothing()
    {
        var transfer = Engine.Transfers.Issue(Request(), storage, host)!;
        Assert.Equal("StorageNotConnected", Assert.Throws<DataShareException>(() => Engine.Transfers.Revoke(transfer.Id, null, host)).ErrorId);
        var other = new MemoryTransferStorage { AccountName = "otheraccount" };
        Assert.Equal("TransferStorageMismatch", Assert.Throws<DataShareException>(() => Engine.Transfers.Revoke(transfer.Id, other, host)).ErrorId);

        host.Approve = false;
        Assert.Null(Engine.Transfers.Revoke(transfer.Id, storage, host));
        Assert.Single(storage.Policies[transfer.Container]);
        Assert.Null(Engine.Register.FindTransfer(transfer.Id)!.RevokedAt);
    }

    [Fact]
    public void A_fresh_link_for_uploaded_files_adds_a_policy_and_moves_the_shared_holding_to_the_later_expiry()
    {
        var first = Engine.Transfers.Issue(Request(TimeSpan.FromDays(2)), storage, host)!;
        Engine.Transfers.Revoke(first.Id, storage, host);
        test.Clock.UtcNow = Now.AddDays(1);

        var second = Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(4) }, storage, host)!;

        Assert.Equal((first.Container, first.HoldingId, first.Id), (second.Container, second.HoldingId, second.FromTransferId));
        Assert.Equal(first.Files[0].Sha256, second.Files[0].Sha256);
        Assert.Equal(new[] { second.Id }, storage.Policies[first.Container]);
        Assert.Equal(new DateTime(2026, 6, 22), Engine.Register.FindHolding(first.HoldingId)!.DueOn);
        Assert.Single(Engine.Register.ListHoldings(null));
    }

    [Fact]
    public void A_fresh_link_is_refused_when_the_files_changed_or_are_gone_and_then_nothing_is_added()
    {
        var first = Engine.Transfers.Issue(Request(), storage, host)!;
        storage.Containers[first.Container]["pupils.csv"].Metadata[BlobTransferStorage.Sha256Key] = "00";
        var changed = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host));
        Assert.Equal("TransferFilesChanged", changed.ErrorId);

        storage.Containers.Remove(first.Container);
        var gone = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host));
        Assert.Equal("TransferFilesGone", gone.ErrorId);
        Assert.Single(Engine.Register.ListTransfers(null));

        var mismatch = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, AgreementId = "DS9", ValidFor = TimeSpan.FromDays(1) }, storage, host));
        Assert.Equal("TransferAgreementMismatch", mismatch.ErrorId);
    }

    [Fact]
    public void A_fresh_link_whose_record_cannot_be_written_removes_the_policy_it_added()
    {
        var first = Engine.Transfers.Issue(Request(), storage, host)!;
        var policies = storage.Policies[first.Container].ToList();
        for (var i = 0; i < 4; i++)
        {
            Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host);
        }

        var full = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host));
        Assert.Equal(("TransferAccessPoliciesFull", DataShareErrorCategory.LimitsExceeded), (full.ErrorId, full.Category));
        Assert.Equal(5, storage.Policies[first.Container].Count);

        storage.Policies[first.Container].RemoveRange(1, 4);
        storage.FailAt = "Sign";
        Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host));
        Assert.Equal(policies, storage.Policies[first.Container]);
    }

    [Fact]
    public void Listing_filters_by_agreement_and_status()
    {
        var expiring = Engine.Transfers.Issue(Request(TimeSpan.FromHours(1)), storage, host)!;
        var revoked = Engine.Transfers.Issue(Request(), storage, host)!;
        Engine.Transfers.Revoke(revoked.Id, storage, host);
        var active = Engine.Transfers.Issue(Request(), storage, host)!;
        test.Clock.UtcNow = Now.AddHours(2);

        Assert.Equal(new[] { expiring.Id }, Engine.Transfers.Find(null, new[] { TransferStatus.Expired }).Select(t => t.Id));
        Assert.Equal(new[] { active.Id }, Engine.Transfers.Find("ds1", new[] { TransferStatus.Active }).Select(t => t.Id));
        Assert.Equal(3, Engine.Transfers.Find("DS1", null).Count());
        Assert.Equal(TransferStatus.Revoked, Engine.Transfers.Get(revoked.Id.ToLowerInvariant()).Status);
        Assert.Equal("AgreementNotFound", Assert.Throws<DataShareException>(() => Engine.Transfers.Find("NOPE1", null).ToList()).ErrorId);
    }

    [Fact]
    public void A_transfer_whose_container_a_sweep_destroyed_no_longer_says_active()
    {
        var transfer = Engine.Transfers.Issue(Request(TimeSpan.FromDays(3)), storage, host)!;
        var other = Engine.Transfers.Issue(Request(TimeSpan.FromDays(3)), storage, host)!;

        // Ended yesterday with nothing kept after: both containers fall due today, while their links would still work.
        Samples.Vary(Engine, "DS1", new AgreementChanges { EndsOn = new DateTime(2026, 6, 14), RetentionDays = 0 }, host);
        var blobs = new MemoryRetentionStorage();
        blobs.Add(transfer.Container, "pupils.csv", 17);
        blobs.Add(other.Container, "pupils.csv", 17);
        var swept = Engine.Retention.Sweep(new Retention.SweepOptions { HoldingIds = new[] { transfer.HoldingId } }, _ => blobs, host, e => throw e).ToList();
        Assert.Equal(DestructionOutcome.Destroyed, Assert.Single(swept).Outcome);

        Assert.Equal(TransferStatus.Destroyed, Engine.Transfers.Get(transfer.Id).Status);
        Assert.Equal(TransferStatus.Active, Engine.Transfers.Get(other.Id).Status);
        Assert.Equal(new[] { transfer.Id }, Engine.Transfers.Find("DS1", new[] { TransferStatus.Destroyed }).Select(t => t.Id));
        Assert.Equal(new[] { other.Id }, Engine.Transfers.Find(null, new[] { TransferStatus.Active }).Select(t => t.Id));

        // Revoking it afterwards is recorded, and it still says its files are gone.
        Assert.Equal(TransferStatus.Destroyed, Engine.Transfers.Revoke(transfer.Id, storage, host)!.Status);
    }

    [Fact]
    public void Ending_an_agreement_before_a_live_link_s_last_day_warns_naming_the_link_and_how_to_withdraw_it()
    {
        var live = Engine.Transfers.Issue(Request(TimeSpan.FromDays(3)), storage, host)!;
        var expiring = Engine.Transfers.Issue(Request(TimeSpan.FromHours(1)), storage, host)!;
        var revoked = Engine.Transfers.Issue(Request(TimeSpan.FromDays(3)), storage, host)!;
        Engine.Transfers.Revoke(revoked.Id, storage, host);
        test.Clock.UtcNow = Now.AddHours(2);
        host.Warnings.Clear();

        // Still ends after every link: nothing to say.
        Samples.Vary(Engine, "DS1", new AgreementChanges { EndsOn = new DateTime(2026, 11, 30) }, host);
        Assert.Empty(host.Warnings);

        // -WhatIf changes nothing and so warns of nothing.
        var declining = new FakeHost(approve: false);
        Assert.Null(Samples.Vary(Engine, "DS1", new AgreementChanges { EndsOn = new DateTime(2026, 6, 16) }, declining));
        Assert.Empty(declining.Warnings);

        // Now ends on the 16th, before the live link's last day (the 18th): the live link only, and the exact commands.
        Samples.Vary(Engine, "DS1", new AgreementChanges { EndsOn = new DateTime(2026, 6, 16) }, host);
        var warning = Assert.Single(host.Warnings);
        Assert.Contains(live.Id, warning, StringComparison.Ordinal);
        Assert.Contains("2026-06-18 09:00 UTC", warning, StringComparison.Ordinal);
        Assert.Contains("2026-06-16", warning, StringComparison.Ordinal);
        Assert.Contains("Revoke-DataShareTransfer " + live.Id, warning, StringComparison.Ordinal);
        Assert.Contains("New-DataShareTransfer -FromTransfer " + live.Id, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(expiring.Id, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(revoked.Id, warning, StringComparison.Ordinal);

        // Ended already: revoke now, nothing to re-issue.
        host.Warnings.Clear();
        Samples.Vary(Engine, "DS1", new AgreementChanges { EndsOn = new DateTime(2026, 6, 14) }, host);
        warning = Assert.Single(host.Warnings);
        Assert.Contains("ended on 2026-06-14", warning, StringComparison.Ordinal);
        Assert.Contains("Revoke-DataShareTransfer " + live.Id, warning, StringComparison.Ordinal);
        Assert.DoesNotContain("-FromTransfer", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Ending_an_agreement_early_under_a_user_delegation_link_says_how_such_a_link_is_withdrawn()
    {
        storage.CanSignWithAccountKey = false;
        var live = Engine.Transfers.Issue(Request(TimeSpan.FromDays(3)), storage, host)!;
        host.Warnings.Clear();

        Samples.Vary(Engine, "DS1", new AgreementChanges { EndsOn = new DateTime(2026, 6, 14) }, host);

        var warning = Assert.Single(host.Warnings);
        Assert.Contains(live.Id, warning, StringComparison.Ordinal);
        Assert.Contains("user delegation keys of storage account contosodata", warning, StringComparison.Ordinal);
        Assert.Contains(live.Container, warning, StringComparison.Ordinal);
    }

}
