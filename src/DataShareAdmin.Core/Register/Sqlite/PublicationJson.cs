using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// An agreement's public-register fields (all but its category, which has a column) stored as one small JSON object,
/// so a field added later needs no new column. Null when none is recorded.
/// </summary>
internal static class PublicationJson
{
    /// <summary>Also used for the panel's decision (DecisionJson): nulls left out, enums as names.</summary>
    internal static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private sealed class Fields
    {
        public string? FunderOrCommissioner { get; set; }

        public string? LaySummary { get; set; }

        public string? PublicBenefit { get; set; }

        public ShareFrequency? Frequency { get; set; }

        public string? FrequencyPeriod { get; set; }

        public string[]? Datasets { get; set; }

        public string? YearsCovered { get; set; }

        public long? RecordsShared { get; set; }

        public bool? OnwardSharing { get; set; }

        public string? OnwardSharingNote { get; set; }

        public string[]? Approvals { get; set; }

        public string? SrsProjectId { get; set; }

        public string[]? OutputLinks { get; set; }
    }

    public static string? Write(DataShareAgreement a)
    {
        var fields = new Fields
        {
            FunderOrCommissioner = a.FunderOrCommissioner,
            LaySummary = a.LaySummary,
            PublicBenefit = a.PublicBenefit,
            Frequency = a.Frequency,
            FrequencyPeriod = a.FrequencyPeriod,
            Datasets = a.Datasets.Count == 0 ? null : a.Datasets.ToArray(),
            YearsCovered = a.YearsCovered,
            RecordsShared = a.RecordsShared,
            OnwardSharing = a.OnwardSharing,
            OnwardSharingNote = a.OnwardSharingNote,
            Approvals = a.Approvals.Count == 0 ? null : a.Approvals.ToArray(),
            SrsProjectId = a.SrsProjectId,
            OutputLinks = a.OutputLinks.Count == 0 ? null : a.OutputLinks.ToArray(),
        };
        var json = JsonSerializer.Serialize(fields, Options);
        return json == "{}" ? null : json;
    }

    public static void Read(string? json, DataShareAgreement a)
    {
        if (json is null)
        {
            return;
        }

        var fields = JsonSerializer.Deserialize<Fields>(json, Options) ?? new Fields();
        a.FunderOrCommissioner = fields.FunderOrCommissioner;
        a.LaySummary = fields.LaySummary;
        a.PublicBenefit = fields.PublicBenefit;
        a.Frequency = fields.Frequency;
        a.FrequencyPeriod = fields.FrequencyPeriod;
        a.Datasets = fields.Datasets ?? Array.Empty<string>();
        a.YearsCovered = fields.YearsCovered;
        a.RecordsShared = fields.RecordsShared;
        a.OnwardSharing = fields.OnwardSharing;
        a.OnwardSharingNote = fields.OnwardSharingNote;
        a.Approvals = fields.Approvals ?? Array.Empty<string>();
        a.SrsProjectId = fields.SrsProjectId;
        a.OutputLinks = fields.OutputLinks ?? Array.Empty<string>();
    }
}
