using System;
using System.Linq;
using DataShareAdmin.Core.Audit;

namespace DataShareAdmin.Core.Tests;

public sealed class AuditServiceTests : IDisposable
{
    private readonly TestRegister test = new();

    public AuditServiceTests()
    {
        for (var i = 0; i < 5; i++)
        {
            test.Engine.Agreements.Create(Samples.Agreement("DS" + i), new FakeHost());
        }
    }

    [Fact]
    public void Checking_reports_progress_and_always_completes_the_bar()
    {
        var host = new FakeHost();
        var result = new AuditService(test.Engine.Register, test.Clock, progressEvery: 2).Test(null, host);

        Assert.True(result.IsIntact);
        Assert.Equal(new[] { ("2 of 5 entries", 40, false), ("4 of 5 entries", 80, false), ("5 entries checked", 100, true) }, host.Progress);
        Assert.Equal(test.Engine.Register.Info.ToString(), result.Register);
        Assert.Equal(test.Clock.UtcNow, result.CheckedAt);
    }

    [Fact]
    public void Checking_stops_when_the_host_cancels()
    {
        var host = new FakeHost();
        host.Cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => new AuditService(test.Engine.Register, test.Clock, progressEvery: 1).Test(null, host));
    }

    [Fact]
    public void Reading_filters_and_starts_where_asked()
    {
        var entries = test.Engine.Audit.Read(3, e => e.TargetId != "DS3").ToList();
        Assert.Equal(new long[] { 3, 5 }, entries.Select(e => e.Sequence));
    }

    public void Dispose() => test.Dispose();
}
