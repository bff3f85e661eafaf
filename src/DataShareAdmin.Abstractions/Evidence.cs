using System;

namespace DataShareAdmin;

/// <summary>One thing wrong with an evidence pack: what (a constant id), where (the file or zip entry) and why.</summary>
public sealed class EvidenceProblem
{
    /// <summary>A constant id, e.g. EvidenceDigestMismatch (docs/transparency.md lists them).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The file in the bag or the zip entry it concerns, or null for the pack as a whole.</summary>
    public string? Entry { get; set; }

    public string Message { get; set; } = string.Empty;

    public override string ToString() => Id + (Entry is null ? string.Empty : " [" + Entry + "]") + ": " + Message;
}

/// <summary>The result of checking an evidence pack (Test-DataShareEvidence): offline, from the pack alone.</summary>
public sealed class EvidenceTestResult
{
    private ReadableList<EvidenceProblem> problems = new();

    /// <summary>The pack checked.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>True when every digest, the Payload-Oxum, both manifests and the audit chain verify.</summary>
    public bool IsValid { get; set; }

    /// <summary>The agreement the pack is about, as its index names it (null when the index could not be read).</summary>
    public string? AgreementId { get; set; }

    /// <summary>The audit head (<c>sequence:hash</c>) recorded in the pack at export: compare it with one recorded elsewhere.</summary>
    public string? AuditHead { get; set; }

    /// <summary>The Bagging-Date of bag-info.txt.</summary>
    public string? BaggingDate { get; set; }

    /// <summary>Payload files found in the bag.</summary>
    public int PayloadFiles { get; set; }

    /// <summary>Audit entries about the agreement whose hashes were recomputed.</summary>
    public int AuditEntries { get; set; }

    /// <summary>Every problem found; empty when the pack is valid.</summary>
    public ReadableList<EvidenceProblem> Problems { get => problems; set => problems = ReadableList<EvidenceProblem>.Of(value); }

    public DateTimeOffset CheckedAt { get; set; }

    public override string ToString() => Path + (IsValid ? ": valid" : ": not valid (" + Problems.Count + " problem(s))");
}
