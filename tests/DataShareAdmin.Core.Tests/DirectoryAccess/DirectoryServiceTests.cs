using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.DirectoryAccess;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests.DirectoryAccess;

/// <summary>The engine's directory work (resolve, revoke, readiness, notices) through the real Graph client and the fake Graph.</summary>
public sealed class DirectoryServiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 30, 0, TimeSpan.Zero);

    private const string JoId = "6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    private const string AnnId = "1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d";
    private const string SamId = "0b7e4d2a-9a64-4f0e-8c1f-3a520b7e4d2a";
    private const string DeeId = "9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0";
    private const string GroupA = "8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90";
    private const string GroupB = "2f0e5c1d-7b90-4c1f-8a52-0b7e4d2a9a64";
    private const string Researchers = "5c1d7b90-2f0e-4e5c-9d7b-908c1f3a520b";
    private const string Officer = "officer@contoso.ac.uk";

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly FakeGraphServer server = new();
    private readonly RecordingCredential credential = new();
    private DataShareEngine engine;

    public DirectoryServiceTests()
    {
        engine = Open();
        server.AddUser(JoId, "jo_example.org#EXT#@contoso.onmicrosoft.com", "jo@example.org", "Guest");
        server.AddUser(AnnId, "ann_example.org#EXT#@contoso.onmicrosoft.com", "ann@example.org", "Guest");
        server.AddUser(SamId, "sam@contoso.ac.uk", "sam@contoso.ac.uk");
        server.AddUser(DeeId, "dee@contoso.ac.uk", "dee@contoso.ac.uk", "Member", enabled: false);
    }

    public void Dispose()
    {
        engine.Dispose();
        server.Dispose();
        test.Dispose();
    }

    private DataShareEngine Open(string? sender = null) => DataShareEngine.Open(new EngineOptions
    {
        RegisterPath = test.Path,
        Clock = test.Clock,
        Identity = TestRegister.Identity,
        Directory = credential.Connect(server.GraphEndpoint, applicationPermissions: false, sender),
    });

    private IDirectoryClient Client(string[] permissions) => engine.Directory.Require().Create(permissions);

    private long Head() => engine.Register.ReadAuditHead()?.Sequence ?? 0;

    private List<AuditEntry> AuditSince(long head) => engine.Register.ReadAuditLog(head + 1).ToList();

    private void Agreement(string id, string ends = "2026-12-31", string? officer = null, params string[] groups)
    {
        var agreement = Samples.Agreement(id, "2026-01-01", ends);
        agreement.RetentionDays = 10;
        engine.Agreements.Create(agreement, host);
        engine.Agreements.Approve(id, "DSAP-" + id, new DateTime(2026, 1, 1), Samples.Decision(), host);
        engine.Agreements.Update(id, new AgreementChanges { AccessGroupIds = groups, OfficerEmail = officer }, host);
    }

    /// <summary>A recipient, with the directory account recorded on the person when <paramref name="objectId"/> is given.</summary>
    private DataShareRecipient Recipient(string agreementId, string email, string? objectId = null)
    {
        var recipient = engine.Recipients.Add(agreementId, email.Split('@')[0], email, null, host)!;
        if (objectId is not null && engine.Register.FindRecipient(recipient.Id)!.DirectoryObjectId is null)
        {
            engine.Register.SetPersonDirectoryId(recipient.PersonId, objectId, new AuditEvent("Test.Resolve", "Person", recipient.PersonId));
        }

        return engine.Recipients.Get(recipient.Id);
    }

    [Fact]
    public void Resolving_a_guest_by_mail_records_the_object_id_once_and_audits_it()
    {
        Agreement("DS1");
        var jo = Recipient("DS1", "Jo@Example.org");
        var head = Head();

        var result = engine.Directory.Resolve(jo, Client(DirectoryPermissions.Resolve), host);

        Assert.Equal((DirectoryMatch.Resolved, JoId, "Guest", true, true), (result.Status, result.ObjectId, result.UserType, result.AccountEnabled, result.Recorded));
        Assert.Equal(JoId, engine.Recipients.Get(jo.Id).DirectoryObjectId);
        var audit = Assert.Single(AuditSince(head));
        Assert.Equal(("Person.Resolve", "Person", jo.PersonId), (audit.Action, audit.TargetType, audit.TargetId));
        Assert.Equal((JoId, "jo_example.org#EXT#@contoso.onmicrosoft.com", "Guest", "true"),
            (audit.Details["ObjectId"], audit.Details["UserPrincipalName"], audit.Details["UserType"], audit.Details["AccountEnabled"]));
        Assert.Equal(new[] { $"http://127.0.0.1:{server.Port}/User.Read.All" }, credential.Asked.Single());

        // The same account again: nothing to record.
        var again = engine.Directory.Resolve(engine.Recipients.Get(jo.Id), Client(DirectoryPermissions.Resolve), host);
        Assert.Equal((DirectoryMatch.Resolved, false), (again.Status, again.Recorded));
        Assert.Equal(head + 1, Head());
    }

    [Fact]
    public void No_account_or_two_accounts_record_nothing_and_a_disabled_account_is_recorded_as_disabled()
    {
        Agreement("DS1");
        server.AddUser("7b908c1f-3a52-4b7e-8d2a-9a642f0e5c1d", "jo.bloggs@contoso.ac.uk", "jo.bloggs@contoso.ac.uk", "Member", true, "twice@example.org");
        server.AddUser("3a520b7e-4d2a-4a64-af0e-5c1d7b908c1f", "twice_example.org#EXT#@contoso.onmicrosoft.com", "twice@example.org", "Guest");
        var nobody = Recipient("DS1", "nobody@example.org");
        var twice = Recipient("DS1", "twice@example.org");
        var dee = Recipient("DS1", "dee@contoso.ac.uk");
        var client = Client(DirectoryPermissions.Resolve);
        var head = Head();

        var notFound = engine.Directory.Resolve(nobody, client, host);
        var ambiguous = engine.Directory.Resolve(twice, client, host);

        Assert.Equal((DirectoryMatch.NotFound, null, false), (notFound.Status, notFound.ObjectId, notFound.Recorded));
        Assert.Contains("Invite the person as a guest", notFound.Reason, StringComparison.Ordinal);
        Assert.Equal((DirectoryMatch.Ambiguous, null, false), (ambiguous.Status, ambiguous.ObjectId, ambiguous.Recorded));
        Assert.Contains("2 directory accounts", ambiguous.Reason, StringComparison.Ordinal);
        Assert.Equal(head, Head());
        Assert.Null(engine.Recipients.Get(twice.Id).DirectoryObjectId);

        var disabled = engine.Directory.Resolve(dee, client, host);
        Assert.Equal((DirectoryMatch.Disabled, DeeId, false, true), (disabled.Status, disabled.ObjectId, disabled.AccountEnabled, disabled.Recorded));
        Assert.Equal(DeeId, engine.Recipients.Get(dee.Id).DirectoryObjectId);
        Assert.Equal("false", Assert.Single(AuditSince(head)).Details["AccountEnabled"]);
    }

    [Fact]
    public void A_declining_host_resolves_but_records_nothing()
    {
        Agreement("DS1");
        var jo = Recipient("DS1", "jo@example.org");
        var declining = new FakeHost(approve: false);
        var head = Head();

        var result = engine.Directory.Resolve(jo, Client(DirectoryPermissions.Resolve), declining);

        Assert.Equal((DirectoryMatch.Resolved, JoId, false), (result.Status, result.ObjectId, result.Recorded));
        Assert.Contains(JoId, Assert.Single(declining.Asked), StringComparison.Ordinal);
        Assert.Null(engine.Recipients.Get(jo.Id).DirectoryObjectId);
        Assert.Equal(head, Head());
    }

    [Fact]
    public void Revoking_takes_people_out_of_every_access_group_but_one_another_current_agreement_uses_and_audits_each_change()
    {
        Agreement("DS1", groups: new[] { GroupA, GroupB });
        Agreement("DS2", groups: new[] { GroupB });
        server.AddGroup(GroupA, JoId, SamId);
        server.AddGroup(GroupB, JoId, AnnId, SamId);
        var jo = Recipient("DS1", "jo@example.org", JoId);
        var ann = Recipient("DS1", "ann@example.org", AnnId);
        var nobody = Recipient("DS1", "nobody@example.org");
        Recipient("DS2", "jo@example.org", JoId);
        var head = Head();

        var changes = engine.Directory.Revoke(new[] { jo, ann, nobody }, Client(DirectoryPermissions.RevokeAccess), host).ToList();

        Assert.Equal(new[]
        {
            (jo.Id, AccessAction.RemovedFromGroup, GroupA),
            (jo.Id, AccessAction.KeptForOtherAgreement, GroupB),
            (ann.Id, AccessAction.NotAMember, GroupA),
            (ann.Id, AccessAction.RemovedFromGroup, GroupB),
            (nobody.Id, AccessAction.NotResolved, (string?)null),
        }, changes.Select(c => (c.RecipientId, c.Action, c.GroupId)).ToArray());
        Assert.Contains("DS2", changes[1].Reason, StringComparison.Ordinal);
        Assert.All(changes, c => Assert.Equal(Now, c.At));
        Assert.Equal(new[] { SamId }, server.MembersOf(GroupA));
        Assert.Equal(new[] { JoId, SamId }, server.MembersOf(GroupB));
        Assert.DoesNotContain(server.Requests, r => r.Method == "PATCH");

        var audit = AuditSince(head);
        Assert.All(audit, e => Assert.Equal("Access.Revoke", e.Action));
        Assert.Equal(new[]
        {
            (jo.Id, GroupA, "RemovedFromGroup"),
            (ann.Id, GroupA, "NotAMember"),
            (ann.Id, GroupB, "RemovedFromGroup"),
        }, audit.Select(e => (e.TargetId, e.Details["GroupId"], e.Details["Result"])).ToArray());
        Assert.Equal(("DS1", JoId), (audit[0].Details["AgreementId"], audit[0].Details["ObjectId"]));
        Assert.Equal("1 removed from group " + GroupA + "; 1 removed from group " + GroupB + "; 1 already not a member; 1 kept for another current agreement; 1 not resolved in the directory",
            DirectoryService.Summarise(changes));
    }

    [Fact]
    public void A_declining_host_removes_no_one_and_a_refused_removal_is_a_failed_change_while_the_rest_go_on()
    {
        Agreement("DS1", groups: new[] { GroupA, GroupB });
        server.AddGroup(GroupA, JoId);
        server.AddGroup(GroupB, JoId);
        var jo = Recipient("DS1", "jo@example.org", JoId);
        var head = Head();

        Assert.Empty(engine.Directory.Revoke(new[] { jo }, Client(DirectoryPermissions.RevokeAccess), new FakeHost(approve: false)));
        Assert.DoesNotContain(server.Requests, r => r.Method == "DELETE");
        Assert.Equal(head, Head());

        server.FailNext($"/groups/{GroupA}/members/{JoId}/$ref", 1, 403);
        var changes = engine.Directory.Revoke(new[] { jo }, Client(DirectoryPermissions.RevokeAccess), host).ToList();

        Assert.Equal(new[] { AccessAction.Failed, AccessAction.RemovedFromGroup }, changes.Select(c => c.Action).ToArray());
        Assert.Contains("403", changes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(new[] { JoId }, server.MembersOf(GroupA));
        Assert.Empty(server.MembersOf(GroupB));
        Assert.Equal(new[] { "Failed", "RemovedFromGroup" }, AuditSince(head).Select(e => e.Details["Result"]).ToArray());
    }

    [Fact]
    public void A_mistyped_access_group_is_a_failed_change_not_a_quiet_not_a_member_and_a_suspended_agreement_keeps_no_group()
    {
        const string Mistyped = "00000000-1111-2222-3333-444444444444";
        Agreement("DS1", groups: new[] { Mistyped, GroupA });
        Agreement("DS2", groups: new[] { GroupA });
        server.AddGroup(GroupA, JoId);
        var jo = Recipient("DS1", "jo@example.org", JoId);
        Recipient("DS2", "jo@example.org", JoId);
        engine.Agreements.Update("DS2", new AgreementChanges { IsSuspended = true }, host);
        var head = Head();

        var changes = engine.Directory.Revoke(new[] { jo }, Client(DirectoryPermissions.RevokeAccess), host).ToList();

        // DS2 is suspended, so it gives no access and does not keep Jo in its group.
        Assert.Equal(new[] { (AccessAction.Failed, Mistyped), (AccessAction.RemovedFromGroup, GroupA) }, changes.Select(c => (c.Action, c.GroupId!)).ToArray());
        Assert.Contains("does not exist", changes[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Method == "DELETE" && r.Path.Contains(Mistyped, StringComparison.Ordinal));
        Assert.Empty(server.MembersOf(GroupA));
        Assert.Equal(new[] { "Failed", "RemovedFromGroup" }, AuditSince(head).Select(e => e.Details["Result"]).ToArray());
    }

    [Fact]
    public void A_guest_s_sign_in_is_blocked_only_when_policy_says_so_and_they_have_no_current_agreement_left()
    {
        Agreement("DS1", groups: new[] { GroupA });
        Agreement("DS2");
        server.AddGroup(GroupA, JoId, AnnId, SamId);
        var jo = Recipient("DS1", "jo@example.org", JoId);
        var ann = Recipient("DS1", "ann@example.org", AnnId);
        var sam = Recipient("DS1", "sam@contoso.ac.uk", SamId);
        Recipient("DS2", "jo@example.org", JoId);
        var revoking = new[] { jo, ann, sam };

        // Policy off (the default): groups only.
        var changes = engine.Directory.Revoke(revoking, Client(DirectoryPermissions.RevokeAccess), host).ToList();
        Assert.All(changes, c => Assert.Equal(AccessAction.RemovedFromGroup, c.Action));
        Assert.Empty(server.Patches);

        engine.Policy.Set("DirectoryBlockGuestSignIn", "true", host);
        var head = Head();
        changes = engine.Directory.Revoke(revoking, Client(DirectoryPermissions.RevokeAccess), host).ToList();

        // Jo keeps DS2 and Sam is a member, not a guest: only Ann, a guest with nothing current left, is blocked.
        Assert.Equal(new[]
        {
            (jo.Id, AccessAction.NotAMember),
            (ann.Id, AccessAction.NotAMember),
            (ann.Id, AccessAction.SignInBlocked),
            (sam.Id, AccessAction.NotAMember),
        }, changes.Select(c => (c.RecipientId, c.Action)).ToArray());
        Assert.Equal(new[] { (AnnId, false) }, server.Patches);
        Assert.False(server.User(AnnId).AccountEnabled);
        var blocked = Assert.Single(AuditSince(head), e => e.Action == "Access.BlockSignIn");
        Assert.Equal((ann.Id, AnnId, "SignInBlocked"), (blocked.TargetId, blocked.Details["ObjectId"], blocked.Details["Result"]));

        // Already blocked: not patched again.
        engine.Directory.Revoke(new[] { ann }, Client(DirectoryPermissions.RevokeAccess), host).ToList();
        Assert.Single(server.Patches);
    }

    [Fact]
    public void The_sweep_takes_an_ended_agreement_s_access_away_before_deleting_its_data_and_records_what_it_removed()
    {
        Agreement("DS1", ends: "2026-06-30", groups: new[] { GroupA });
        server.AddGroup(GroupA, JoId, SamId);
        Recipient("DS1", "jo@example.org", JoId);
        Recipient("DS1", "nobody@example.org");
        var folder = Path.Combine(test.Directory, "extract");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pupils.csv"), "upn,ks2\n");
        engine.Retention.Register("DS1", folder, host);
        bool? dataThereWhenRevoked = null;
        server.OnRequest = r => dataThereWhenRevoked ??= r.Method == "DELETE" ? File.Exists(Path.Combine(folder, "pupils.csv")) : null;

        // Ended 30 June, kept 10 days: due 11 July.
        test.Clock.UtcNow = new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);
        var errors = new List<DataShareException>();
        var record = Assert.Single(engine.Retention.Sweep(new SweepOptions(), _ => null, host, errors.Add));

        Assert.Empty(errors);
        Assert.Equal(DestructionOutcome.Destroyed, record.Outcome);
        Assert.False(Directory.Exists(folder));
        Assert.True(dataThereWhenRevoked);
        Assert.Equal(new[] { SamId }, server.MembersOf(GroupA));
        Assert.Equal($"1 removed from group {GroupA}; 1 not resolved in the directory", record.AccessRemoved);
        Assert.Equal(record.AccessRemoved, engine.Register.ReadAuditLog(1).Last(e => e.Details.ContainsKey("AccessRemoved")).Details["AccessRemoved"]);
        Assert.All(credential.Asked, scopes => Assert.Equal(new[] { "User.Read.All", "GroupMember.ReadWrite.All", "User.EnableDisableAccount.All" },
            scopes.Select(s => s.Split('/').Last()).ToArray()));
    }

    [Fact]
    public void The_readiness_directory_check_fails_unresolved_disabled_and_non_members_and_reads_the_group_once()
    {
        Agreement("DS1");
        server.PageSize = 2;
        server.AddGroup(Researchers, "11111111-0000-0000-0000-000000000001", "11111111-0000-0000-0000-000000000002", DeeId, "11111111-0000-0000-0000-000000000003", JoId);
        engine.Policy.Set("DirectoryRequiredGroupId", Researchers, host);
        var jo = Recipient("DS1", "jo@example.org", JoId);
        var nobody = Recipient("DS1", "nobody@example.org");
        var dee = Recipient("DS1", "dee@contoso.ac.uk", DeeId);
        var sam = Recipient("DS1", "sam@contoso.ac.uk", SamId);

        engine.UseDirectoryChecks(CancellationToken.None);
        SafePeopleCheck Check(DataShareRecipient recipient) => engine.Readiness.Test(recipient, null, null).Checks.Single(c => c.Name == "Directory");
        var checks = new[] { jo, nobody, dee, sam, jo }.Select(Check).ToList();

        Assert.Equal(new[] { true, false, false, false, true }, checks.Select(c => c.Passed).ToArray());
        Assert.Contains(Researchers, checks[0].Reason, StringComparison.Ordinal);
        Assert.Contains("Resolve-DataShareRecipient", checks[1].Reason, StringComparison.Ordinal);
        Assert.Contains("disabled", checks[2].Reason, StringComparison.Ordinal);
        Assert.Contains("not a member of the required group", checks[3].Reason, StringComparison.Ordinal);

        // The group once, page by page (five members, two a page); each account once.
        var pages = server.RequestsTo($"/groups/{Researchers}/transitiveMembers");
        Assert.Equal(3, pages.Count);
        Assert.Single(pages, p => !p.Query.ContainsKey("$skiptoken"));
        Assert.Single(server.RequestsTo("/users/" + JoId));
        Assert.Single(server.RequestsTo("/users/" + DeeId));
        Assert.All(credential.Asked, scopes => Assert.Equal(new[] { "User.Read.All", "GroupMember.Read.All" }, scopes.Select(s => s.Split('/').Last()).ToArray()));
    }

    [Fact]
    public void The_directory_check_passes_an_enabled_account_when_no_group_is_required()
    {
        Agreement("DS1");
        var sam = Recipient("DS1", "sam@contoso.ac.uk", SamId);

        engine.UseDirectoryChecks(CancellationToken.None);
        var check = engine.Readiness.Test(sam, null, null).Checks.Single(c => c.Name == "Directory");

        Assert.True(check.Passed, check.Reason);
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("/groups", StringComparison.Ordinal));
    }

    [Fact]
    public void Agreements_ending_within_the_window_are_mailed_to_their_recipients_with_the_officer_in_copy()
    {
        Agreement("DS1", ends: "2026-06-30", officer: Officer);
        Agreement("DS2", officer: Officer);
        Recipient("DS1", "jo@example.org");
        Recipient("DS1", "sam@contoso.ac.uk");
        Recipient("DS2", "ann@example.org");
        var head = Head();

        var notice = Assert.Single(engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => Client(DirectoryPermissions.Notice), host));

        Assert.Equal((NoticeKind.AgreementEnding, "DS1", true), (notice.Kind, notice.AgreementId, notice.Sent));
        var mail = Assert.Single(server.Mails);
        Assert.Null(mail.Sender);
        Assert.Single(server.RequestsTo("/me/sendMail", "POST"));
        // Recipients added in the same instant come in id order: compare as sets.
        Assert.Equal(new[] { "jo@example.org", "sam@contoso.ac.uk" }, mail.To.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { Officer }, mail.Cc);
        Assert.Equal("Agreement DS1 ends on 2026-06-30", mail.Subject);
        Assert.Contains("destroyed within 10 day(s)", mail.Body, StringComparison.Ordinal);
        Assert.True(mail.SaveToSentItems);
        var audit = Assert.Single(AuditSince(head));
        Assert.Equal(("Notice.Send", "DS1", string.Join(", ", mail.To), Officer, "true"),
            (audit.Action, audit.TargetId, audit.Details["To"], audit.Details["Cc"], audit.Details["SavedToSentItems"]));
        Assert.Equal(new[] { $"http://127.0.0.1:{server.Port}/Mail.Send" }, credential.Asked.Single());
    }

    [Fact]
    public void A_notice_goes_again_only_after_NoticeRepeatDays_when_its_due_day_changes_or_with_force()
    {
        Agreement("DS1", ends: "2026-06-30", officer: Officer);
        Agreement("DS2", ends: "2026-07-05", officer: Officer);
        Recipient("DS1", "jo@example.org");
        Recipient("DS2", "ann@example.org");
        var client = Client(DirectoryPermissions.Notice);
        List<string> Run(bool force = false) =>
            engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => client, host, force).Select(n => n.Subject).ToList();

        Assert.Equal(new[] { "DS1", "DS2" }, Run());
        var first = Assert.Single(engine.Register.ReadAuditLog(1), e => e.Action == "Notice.Send" && e.TargetId == "DS1");
        Assert.Equal("2026-06-30", first.Details["Due"]);

        // The next night: nothing new, and nothing mailed; verbose output says why.
        test.Clock.UtcNow = Now.AddDays(1);
        var head = Head();
        Assert.Empty(Run());
        Assert.Equal(head, Head());
        Assert.Equal(2, server.Mails.Count);
        Assert.Contains(host.Verbose, m => m.Contains("AgreementEnding notice about DS1 again", StringComparison.Ordinal) && m.Contains("2026-06-15 09:30 UTC", StringComparison.Ordinal));

        // DS2 is extended to a day still in the window: a new due day is a new notice; DS1 is not mailed again.
        Samples.Vary(engine, "DS2", new AgreementChanges { EndsOn = new DateTime(2026, 7, 10) }, host);
        Assert.Equal(new[] { "DS2" }, Run());

        Assert.Equal(3, server.Mails.Count);

        // Late on the sixth day nothing goes; on the seventh DS1 goes again, even a few minutes earlier in the day than it
        // first went (whole days count, so a nightly job's jitter does not put it off a day); DS2's new notice went on day 1.
        test.Clock.UtcNow = Now.AddDays(6).AddHours(12);
        Assert.Empty(Run());
        test.Clock.UtcNow = Now.AddDays(7).AddMinutes(-5);
        Assert.Equal(new[] { "DS1" }, Run());

        // -Force mails everything in the window, whatever went before.
        Assert.Equal(new[] { "DS1", "DS2" }, Run(force: true));
        Assert.Equal(6, server.Mails.Count);
        Assert.Equal(6, engine.Register.ReadAuditLog(1).Count(e => e.Action == "Notice.Send"));

        // NoticeRepeatDays 0: every run mails everything in its window.
        engine.Policy.Set("NoticeRepeatDays", "0", host);
        Assert.Equal(new[] { "DS1", "DS2" }, Run());
    }

    [Fact]
    public void A_notice_entry_changed_outside_the_module_does_not_hold_the_notice_back()
    {
        Agreement("DS1", ends: "2026-06-30", officer: Officer);
        Recipient("DS1", "jo@example.org");
        var client = Client(DirectoryPermissions.Notice);
        List<string> Run() => engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => client, host, false).Select(n => n.Subject).ToList();
        Assert.Equal(new[] { "DS1" }, Run());
        var sent = Assert.Single(engine.Register.ReadAuditLog(1), e => e.Action == "Notice.Send");

        // The entry's details re-spaced by hand: the same values, but not as the module wrote them.
        Assert.Equal(1, test.ExecuteRaw($"UPDATE audit_log SET details = ' ' || details WHERE sequence = {sent.Sequence}"));
        test.Clock.UtcNow = Now.AddDays(1);

        Assert.Equal(new[] { "DS1" }, Run());
        Assert.Equal(2, server.Mails.Count);
    }

    [Fact]
    public void A_transfer_link_is_mailed_from_the_sender_without_a_copy_in_sent_items_and_never_reaches_the_audit_log()
    {
        engine.Dispose();
        engine = Open(sender: "notices@contoso.ac.uk");
        server.AddUser("4d2a9a64-2f0e-4c1d-8b90-8c1f3a520b7e", "notices@contoso.ac.uk", "notices@contoso.ac.uk");
        Agreement("DS1", officer: Officer);
        var jo = Recipient("DS1", "jo@example.org");
        var transfer = new DataShareTransfer
        {
            Id = "TR-20260615-ABCD",
            AgreementId = "DS1",
            RecipientIds = new[] { jo.Id },
            ExpiresOn = Now.AddDays(3),
            Files = new[] { new TransferFile { Name = "pupils.csv", Size = 17, Sha256 = new string('a', 64) } },
        };
        var client = Client(DirectoryPermissions.Notice);
        var head = Head();

        var error = Assert.Throws<DataShareException>(() => engine.Directory.SendTransferIssued(transfer, () => client, host));
        Assert.Equal(("TransferLinkUnavailable", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
        Assert.Empty(server.Mails);

        transfer.Uri = new DataShareLink(new Uri("https://contosodata.blob.core.windows.net/tr-20260615-abcd?sv=2025-01-05&si=TR&sr=c&sig=SECRETSIGNATURE"));
        var notice = engine.Directory.SendTransferIssued(transfer, () => client, host)!;

        Assert.Equal((NoticeKind.TransferIssued, true, false), (notice.Kind, notice.Sent, notice.SavedToSentItems));
        var mail = Assert.Single(server.Mails);
        Assert.Equal(("notices@contoso.ac.uk", (bool?)false), (mail.Sender, mail.SaveToSentItems));
        Assert.Single(server.RequestsTo("/users/notices@contoso.ac.uk/sendMail", "POST"));
        Assert.Equal(new[] { "jo@example.org" }, mail.To);
        Assert.Equal(new[] { Officer }, mail.Cc);
        Assert.Contains("sig=SECRETSIGNATURE", mail.Body, StringComparison.Ordinal);
        Assert.Contains("pupils.csv  17 bytes  " + new string('a', 64), mail.Body, StringComparison.Ordinal);

        var audit = Assert.Single(AuditSince(head));
        Assert.Equal(("Notice.Send", "Transfer", transfer.Id, "false"), (audit.Action, audit.TargetType, audit.TargetId, audit.Details["SavedToSentItems"]));
        Assert.DoesNotContain(engine.Register.ReadAuditLog(1), e => e.Details.Values.Any(v => v is not null && v.Contains("SECRET", StringComparison.Ordinal)));
        Assert.DoesNotContain(host.Verbose.Concat(host.Warnings).Concat(host.Asked), m => m.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public void With_application_permissions_notices_need_a_sender_and_one_failed_mailbox_does_not_stop_the_others()
    {
        engine.Dispose();
        engine = DataShareEngine.Open(new EngineOptions
        {
            RegisterPath = test.Path,
            Clock = test.Clock,
            Identity = TestRegister.Identity,
            Directory = credential.Connect(server.GraphEndpoint, applicationPermissions: true),
        });
        Agreement("DS1", ends: "2026-07-01");
        Agreement("DS2", ends: "2026-07-02");
        Recipient("DS1", "jo@example.org");
        Recipient("DS2", "ann@example.org");

        var missing = Assert.Throws<DataShareException>(() => engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => Client(DirectoryPermissions.Notice), host).ToList());
        Assert.Equal(("NoticeSenderMissing", DataShareErrorCategory.InvalidOperation), (missing.ErrorId, missing.Category));
        Assert.Empty(server.Mails);

        engine.Policy.Set("NoticeSender", Officer, host);
        server.AddUser("7d6c5b4a-3928-4716-a5b4-c3d2e1f0a9b8", Officer, Officer);
        // The first mail meets a service that stays busy through every retry (Retry-After: 0 keeps the test quick).
        server.FailNext($"/users/{Officer}/sendMail", 6, 503, retryAfterSeconds: 0);
        var notices = engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => Client(DirectoryPermissions.Notice), host).ToList();

        Assert.Equal(2, notices.Count);
        Assert.Contains("after 6 attempts", notices[0].Problem, StringComparison.Ordinal);
        Assert.False(notices[0].Sent);
        Assert.True(notices[1].Sent);
        Assert.Single(server.Mails);
        Assert.Equal(Officer, server.Mails[0].Sender);

        // The failed notice was not audited, so the next run mails it, and only it.
        var again = Assert.Single(engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => Client(DirectoryPermissions.Notice), host));
        Assert.Equal(("DS1", true), (again.Subject, again.Sent));
        Assert.Equal(2, server.Mails.Count);
    }

    [Fact]
    public void Officers_sign_in_through_their_organisation_s_app_and_a_token_keeps_its_own_expiry()
    {
        foreach (var signIn in new[] { DirectorySignIn.Interactive, DirectorySignIn.DeviceCode })
        {
            var error = Assert.Throws<DataShareException>(() => DirectoryConnection.Create(new DirectoryConnectionOptions { SignIn = signIn, TenantId = "contoso.onmicrosoft.com" }));
            Assert.Equal(("DirectorySignInIncomplete", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        }

        Assert.False(DirectoryConnection.Create(new DirectoryConnectionOptions { SignIn = DirectorySignIn.DeviceCode, ClientId = "11111111-2222-3333-4444-555555555555" }).UsesApplicationPermissions);
        Assert.True(DirectoryConnection.Create(new DirectoryConnectionOptions { SignIn = DirectorySignIn.ManagedIdentity }).UsesApplicationPermissions);
        Assert.False(DirectoryConnection.Create(new DirectoryConnectionOptions { SignIn = DirectorySignIn.AccessToken, AccessToken = "abc" }).UsesApplicationPermissions);
    }

    [Fact]
    public void A_declining_host_mails_nothing()
    {
        Agreement("DS1", ends: "2026-06-30", officer: Officer);
        var jo = Recipient("DS1", "jo@example.org");
        var declining = new FakeHost(approve: false);
        var client = Client(DirectoryPermissions.Notice);
        var head = Head();

        Assert.Empty(engine.Directory.SendDue(NoticeKind.AgreementEnding, 30, null, () => client, declining));
        var transfer = new DataShareTransfer { Id = "TR-1", AgreementId = "DS1", RecipientIds = new[] { jo.Id }, ExpiresOn = Now.AddDays(1), Uri = new DataShareLink(new Uri("https://contosodata.blob.core.windows.net/tr-1?sig=SECRET")) };
        Assert.Null(engine.Directory.SendTransferIssued(transfer, () => client, declining));

        Assert.Equal(2, declining.Asked.Count);
        Assert.Contains("(copy to " + Officer + ")", declining.Asked[0], StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.Equal(head, Head());
    }
}
