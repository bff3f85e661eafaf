using System;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.DirectoryAccess;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests.DirectoryAccess;

/// <summary>ReviewDue notices, sent through Graph to a local fake: an agreement's review due within the window, or overdue, to its officer.</summary>
public sealed class ReviewNoticeTests : IDisposable
{
    private const string Officer = "officer@contoso.ac.uk";

    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 30, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly FakeGraphServer server = new();
    private readonly RecordingCredential credential = new();
    private readonly DataShareEngine engine;

    public ReviewNoticeTests()
    {
        engine = DataShareEngine.Open(new EngineOptions
        {
            RegisterPath = test.Path,
            Clock = test.Clock,
            Identity = TestRegister.Identity,
            Directory = credential.Connect(server.GraphEndpoint, applicationPermissions: false, null),
        });
    }

    public void Dispose()
    {
        engine.Dispose();
        server.Dispose();
        test.Dispose();
    }

    private void Agreement(string id, string approvedOn)
    {
        engine.Agreements.Create(Samples.Agreement(id, "2025-01-01", "2027-12-31"), host);
        engine.Agreements.Approve(id, "DSAP-" + id, DateTime.Parse(approvedOn, System.Globalization.CultureInfo.InvariantCulture), Samples.Decision(), host);
        engine.Agreements.Update(id, new AgreementChanges { OfficerEmail = Officer }, host);
    }

    [Fact]
    public void Reviews_due_within_the_window_or_overdue_are_mailed_to_the_officer()
    {
        Agreement("DS1", "2025-06-01");
        Agreement("DS2", "2025-07-10");
        Agreement("DS3", "2026-01-01");

        var notices = engine.Directory.SendDue(NoticeKind.ReviewDue, 30, null, () => engine.Directory.Require().Create(DirectoryPermissions.Notice), host).ToList();

        Assert.Equal(new[] { ("DS1", true), ("DS2", true) }, notices.Select(n => (n.AgreementId!, n.Sent)));
        var overdue = server.Mails.Single(m => m.Subject.Contains("DS1", StringComparison.Ordinal));
        Assert.Equal("Agreement DS1: review overdue since 2026-06-01", overdue.Subject);
        Assert.Equal(new[] { Officer }, overdue.To);
        Assert.Contains("Add-DataShareReview", overdue.Body, StringComparison.Ordinal);
        Assert.Equal("Agreement DS2: review due on 2026-07-10", server.Mails.Single(m => m.Subject.Contains("DS2", StringComparison.Ordinal)).Subject);
    }

    [Fact]
    public void With_WhatIf_nothing_is_mailed_or_recorded()
    {
        Agreement("DS1", "2025-06-01");
        var head = engine.Register.ReadAuditHead()!.Sequence;

        var notices = engine.Directory.SendDue(NoticeKind.ReviewDue, 30, null, () => engine.Directory.Require().Create(DirectoryPermissions.Notice), new FakeHost(approve: false)).ToList();

        Assert.Empty(server.Mails);
        Assert.Equal(head, engine.Register.ReadAuditHead()!.Sequence);
        Assert.All(notices, n => Assert.False(n.Sent));
    }
}
