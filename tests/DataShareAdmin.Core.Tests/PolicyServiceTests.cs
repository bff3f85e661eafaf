using System;
using System.Linq;
using DataShareAdmin.Core.Policy;

namespace DataShareAdmin.Core.Tests;

public sealed class PolicyServiceTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();

    private PolicyService Policy => test.Engine.Policy;

    [Fact]
    public void Every_setting_shows_its_default_until_changed()
    {
        var settings = Policy.Get().ToList();
        Assert.Equal(PolicyCatalogue.All.Count, settings.Count);
        Assert.All(settings, s => Assert.True(s.IsDefault));
        Assert.Equal("24", settings.Single(s => s.Name == "CertificateMaxAgeMonths").Value);
        Assert.Equal("Europe/London", settings.Single(s => s.Name == "TimeZone").Value);
    }

    [Fact]
    public void A_change_is_normalised_stored_audited_and_can_go_back_to_the_default()
    {
        var changed = Policy.Set("certificatemaxagemonths", " 36 ", host)!;
        Assert.Equal(("CertificateMaxAgeMonths", "36", false, "tester"), (changed.Name, changed.Value, changed.IsDefault, changed.ModifiedBy));
        Assert.Equal(36, Policy.SafePeople().CertificateMaxAgeMonths);
        var entry = test.Engine.Audit.Read(1, e => e.Action == "Policy.Set").Single();
        Assert.Equal(("CertificateMaxAgeMonths", "24", "36"), (entry.TargetId, entry.Details["Before"], entry.Details["After"]));

        Policy.Set("AcceptedCertificateLevels", "enhanced; standard", host);
        Assert.Equal("Enhanced,Standard", Policy.Get(n => n == "AcceptedCertificateLevels").Single().Value);

        var reset = Policy.Set("CertificateMaxAgeMonths", null, host)!;
        Assert.True(reset.IsDefault);
        Assert.Equal("24", reset.Value);
        Assert.Equal(3, test.AuditCount());
    }

    [Fact]
    public void Setting_the_same_value_writes_nothing_and_declining_writes_nothing()
    {
        Policy.Set("TrainingRequired", "yes", host);
        Policy.Set("TrainingRequired", "true", host);
        Assert.Equal(1, test.AuditCount());

        host.Approve = false;
        Assert.Null(Policy.Set("TrainingRequired", "false", host));
        Assert.Equal("true", Policy.Get(n => n == "TrainingRequired").Single().Value);
        Assert.Equal(1, test.AuditCount());
    }

    [Theory]
    [InlineData("CertificateMaxAgeMonths", "0")]
    [InlineData("CertificateMaxAgeMonths", "two years")]
    [InlineData("AcceptedCertificateLevels", "Basic,Gold")]
    [InlineData("AcceptedCertificateLevels", "")]
    [InlineData("AcceptedCertificateLevels", "0,2")]
    [InlineData("DeclarationRequired", "maybe")]
    [InlineData("TimeZone", "Mars/Olympus_Mons")]
    [InlineData("DbsUpdateServiceUri", "http://dbs.example.org")]
    public void Bad_values_are_refused_and_nothing_is_written(string name, string value)
    {
        var error = Assert.Throws<DataShareException>(() => Policy.Set(name, value, host));
        Assert.Equal(("PolicyValueInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(0, test.AuditCount());
    }

    [Fact]
    public void Unknown_settings_are_refused()
    {
        var error = Assert.Throws<DataShareException>(() => Policy.Set("MaxAge", "1", host));
        Assert.Equal(("PolicySettingNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Contains("CertificateMaxAgeMonths", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_calendar_follows_the_time_zone_policy()
    {
        Policy.Set("TimeZone", "Pacific/Auckland", host);
        test.Clock.UtcNow = new DateTimeOffset(2026, 6, 15, 13, 0, 0, TimeSpan.Zero);
        using var engine = test.OpenEngine();
        Assert.Equal(new DateTime(2026, 6, 16), engine.Calendar.Today);
    }

    public void Dispose() => test.Dispose();
}
