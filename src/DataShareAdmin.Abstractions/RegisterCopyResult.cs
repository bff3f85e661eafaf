using System;

namespace DataShareAdmin;

/// <summary>What Copy-DataShareRegister copied, and what it found when it checked the copy.</summary>
public sealed class RegisterCopyResult
{
    public string Source { get; set; } = string.Empty;

    public string Destination { get; set; } = string.Empty;

    public long Organisations { get; set; }

    public long Assessments { get; set; }

    public long Agreements { get; set; }

    public long People { get; set; }

    public long Recipients { get; set; }

    public long Policy { get; set; }

    public long Certificates { get; set; }

    public long Holdings { get; set; }

    public long Transfers { get; set; }

    public long Destructions { get; set; }

    public long Confirmations { get; set; }

    /// <summary>Versions of agreements' terms (Get-DataShareAgreement -History).</summary>
    public long TermsVersions { get; set; }

    public long Variations { get; set; }

    public long OutputReleases { get; set; }

    /// <summary>The cells of the released files, as checked (what differencing reads).</summary>
    public long OutputReleaseCells { get; set; }

    public long Dpias { get; set; }

    public long Reviews { get; set; }

    public long ReviewTriggers { get; set; }
    public long Incidents { get; set; }

    public long AuditEntries { get; set; }

    /// <summary>The source's audit head (sequence:hash); the copy's must be the same.</summary>
    public string? SourceHead { get; set; }

    public string? DestinationHead { get; set; }

    /// <summary>True when every kind's count matches and the copy's audit log verifies to the source's head.</summary>
    public bool Verified { get; set; }

    /// <summary>What did not match, when something did not.</summary>
    public string? Problem { get; set; }

    public DateTimeOffset CopiedAt { get; set; }

    public override string ToString() => Source + " -> " + Destination + (Verified ? " (verified)" : string.Empty);
}
