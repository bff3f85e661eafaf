using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace DataShareAdmin.Host;

/// <summary>
/// Turns the stream of progress records into one short line per activity start, activity change and completion:
/// a cmdlet that reports progress for every item must not flood a job's log with a line per record.
/// </summary>
internal sealed class ProgressLine
{
    private const int MaxLength = 200;
    private readonly Dictionary<(long SourceId, int ActivityId), string> activities = new();

    /// <returns>The line to print for <paramref name="record"/>, or null when it adds nothing new.</returns>
    public string? Next(long sourceId, ProgressRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = (sourceId, record.ActivityId);
        var activity = OneLine(record.Activity);
        if (record.RecordType == ProgressRecordType.Completed)
        {
            activities.TryGetValue(key, out var known);
            activities.Remove(key);
            return Shorten($"PROGRESS: {(string.IsNullOrEmpty(activity) ? known : activity)}: completed");
        }

        if (activities.TryGetValue(key, out var current) && current == activity)
        {
            return null;
        }

        activities[key] = activity;
        var line = $"PROGRESS: {activity}";
        var status = OneLine(record.StatusDescription);
        if (status.Length > 0)
        {
            line += ": " + status;
        }

        if (record.PercentComplete >= 0)
        {
            line += " (" + record.PercentComplete.ToString(CultureInfo.InvariantCulture) + "%)";
        }

        return Shorten(line);
    }

    private static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();

    private static string Shorten(string line) => line.Length <= MaxLength ? line : line.Substring(0, MaxLength - 3) + "...";
}
