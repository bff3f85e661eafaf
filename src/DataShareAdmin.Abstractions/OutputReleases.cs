using System;
using System.Collections.Generic;

namespace DataShareAdmin;

/// <summary>Where a release of checked outputs stands. Only Approved releases count as released (for differencing).</summary>
public enum OutputReleaseState
{
    /// <summary>Recorded by its requester; waiting for a second person to approve it.</summary>
    Requested,

    /// <summary>Approved by someone other than the requester: the files may leave.</summary>
    Approved,

    /// <summary>Refused before approval (Revoke-DataShareOutputRelease on a requested release); kept with its reason.</summary>
    Rejected,

    /// <summary>Withdrawn after approval; kept in the history with its reason.</summary>
    Revoked,
}

/// <summary>
/// A release of checked output files under an agreement: the files with their SHA-256 and verdicts, the rules in force,
/// who asked and who approved (never the same person), and a justification for each failing cell let through.
/// </summary>
public sealed class OutputRelease
{
    /// <summary>The release's id, e.g. OR-4K2M9Q7X1B.</summary>
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public OutputReleaseState State { get; set; }

    /// <summary>What the outputs are for (a paper, a report), as the requester wrote it.</summary>
    public string? Purpose { get; set; }

    /// <summary>The rule parameters the files were checked with, in words.</summary>
    public string Rules { get; set; } = string.Empty;

    public string RequestedBy { get; set; } = string.Empty;

    public DateTimeOffset RequestedAt { get; set; }

    public string? ApprovedBy { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    /// <summary>Who rejected or revoked the release.</summary>
    public string? RevokedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedReason { get; set; }

    public ReadableList<OutputReleaseFile> Files { get; set; } = new();

    /// <summary>One per failing cell let through, with its justification.</summary>
    public ReadableList<OutputReleaseException> Exceptions { get; set; } = new();

    /// <summary>The worst verdict of its files, as checked when requested.</summary>
    public OutputVerdict Verdict { get; set; }

    public long Version { get; set; }

    public override string ToString() => Id;
}

/// <summary>One file of a release, as checked when the release was requested.</summary>
public sealed class OutputReleaseFile
{
    public string ReleaseId { get; set; } = string.Empty;

    /// <summary>Its place in the release, from 0.</summary>
    public int Position { get; set; }

    /// <summary>The file's name (no folder).</summary>
    public string Name { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    public long Size { get; set; }

    /// <summary>Frequency or Magnitude.</summary>
    public string Kind { get; set; } = "Frequency";

    /// <summary>The dimension columns, in the order each cell's categories are stored.</summary>
    public ReadableList<string> Dimensions { get; set; } = new();

    public int Cells { get; set; }

    public int Failed { get; set; }

    public int Review { get; set; }

    public int Suppressed { get; set; }

    public OutputVerdict Verdict { get; set; }

    public override string ToString() => Name + ": " + Verdict;
}

/// <summary>A failing cell released anyway, with the requester's reason.</summary>
public sealed class OutputReleaseException
{
    public string ReleaseId { get; set; } = string.Empty;

    /// <summary>The file's name.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>The cell's categories, "Dimension=Category" joined by ", ".</summary>
    public string Cell { get; set; } = string.Empty;

    /// <summary>The rules the cell failed, joined by ", ".</summary>
    public string Rules { get; set; } = string.Empty;

    public string Justification { get; set; } = string.Empty;

    public string WrittenBy { get; set; } = string.Empty;

    public DateTimeOffset WrittenAt { get; set; }

    public override string ToString() => File + " " + Cell + ": " + Justification;
}

/// <summary>One cell of a released file as it was checked: what later checks difference against.</summary>
public sealed class OutputReleaseCell
{
    public string ReleaseId { get; set; } = string.Empty;

    /// <summary>The file's position in its release.</summary>
    public int File { get; set; }

    /// <summary>The cell's place in its file, from 0.</summary>
    public int Position { get; set; }

    /// <summary>The categories, one per dimension of the file.</summary>
    public IList<string> Categories { get; set; } = new List<string>();

    /// <summary>The count; null when the cell was suppressed.</summary>
    public long? Count { get; set; }
}
