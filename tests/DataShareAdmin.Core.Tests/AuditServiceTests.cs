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
        // Six entries: the set-up's organisation, then five agreements.
        Assert.Equal(new[] { ("2 of 6 entries", 33, false), ("4 of 6 entries", 66, false), ("6 of 6 entries", 99, false), ("6 entries checked", 100, true) }, host.Progress);
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
        // Entry 1 is the set-up's organisation; DS0 to DS4 are entries 2 to 6.
        var entries = test.Engine.Audit.Read(4, e => e.TargetId != "DS3").ToList();
        Assert.Equal(new long[] { 4, 6 }, entries.Select(e => e.Sequence));
    }

    public void Dispose() => test.Dispose();
}
