using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Retention;

/// <summary>
/// Blob names as a delete must treat them: a name is only ever sent escaped, segment by segment (dot segments too),
/// so that it addresses exactly the listed blob; and it is deleted only if it lies inside the holding whatever
/// normalisation a client or server along the way might apply (dot segments, '\' read as '/', percent-decoding).
/// </summary>
public static class BlobNames
{
    /// <summary>How many times a name is percent-decoded when looking for what it could turn into.</summary>
    private const int DecodeRounds = 3;

    /// <summary>
    /// True when <paramref name="name"/> lies inside the holding's <paramref name="prefix"/> (null for a whole
    /// container) as written and after every normalisation tried; otherwise false, with why.
    /// </summary>
    public static bool IsInside(string name, string? prefix, out string? why)
    {
        var inside = prefix ?? string.Empty;
        if (string.IsNullOrEmpty(name))
        {
            why = "an empty name addresses the container itself";
            return false;
        }

        if (!name.StartsWith(inside, StringComparison.Ordinal))
        {
            why = $"it is not under the holding's prefix '{inside}'";
            return false;
        }

        foreach (var variant in Variants(name))
        {
            var normalised = RemoveDotSegments(variant);
            if (normalised is null)
            {
                why = $"read as '{variant}', its '..' segments climb out of the container";
                return false;
            }

            if (normalised.Length == 0)
            {
                why = $"read as '{variant}', it resolves to the container itself";
                return false;
            }

            if (!normalised.StartsWith(inside, StringComparison.Ordinal))
            {
                why = $"read as '{variant}', it resolves to '{normalised}', outside the holding's prefix '{inside}'";
                return false;
            }
        }

        why = null;
        return true;
    }

    /// <summary>
    /// The name as a URI path below its container: each segment escaped, and a segment of dots written as
    /// <c>%2E</c>s so that no URI library takes it for '.' or '..'. <see cref="Unescape"/> gives the name back.
    /// </summary>
    public static string Escape(string name) =>
        string.Join("/", name.Split('/').Select(segment => segment.Length > 0 && segment.All(c => c == '.')
            ? string.Concat(Enumerable.Repeat("%2E", segment.Length))
            : Uri.EscapeDataString(segment)));

    /// <summary>The blob name a URI path below its container addresses, segment by segment.</summary>
    public static string Unescape(string escapedPath) =>
        string.Join("/", escapedPath.Split('/').Select(Uri.UnescapeDataString));

    /// <summary>
    /// RFC 3986's removal of '.' and '..' segments over a blob name; null when a '..' would climb above the
    /// container. Empty segments ('a//b') are kept, as a blob service keeps them.
    /// </summary>
    public static string? RemoveDotSegments(string name)
    {
        var segments = name.Split('/');
        var kept = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case ".":
                    break;
                case "..":
                    if (kept.Count == 0)
                    {
                        return null;
                    }

                    kept.RemoveAt(kept.Count - 1);
                    break;
                default:
                    kept.Add(segments[i]);
                    continue;
            }

            if (last)
            {
                // 'a/b/..' is the folder 'a/', not the blob 'a'.
                kept.Add(string.Empty);
            }
        }

        return string.Join("/", kept);
    }

    /// <summary>The name, and what it becomes with '\' read as '/' and after each round of percent-decoding.</summary>
    private static IEnumerable<string> Variants(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = name;
        for (var round = 0; round <= DecodeRounds; round++)
        {
            if (seen.Add(current))
            {
                yield return current;
            }

            var slashed = current.Replace('\\', '/');
            if (seen.Add(slashed))
            {
                yield return slashed;
            }

            var decoded = Uri.UnescapeDataString(current);
            if (decoded == current)
            {
                yield break;
            }

            current = decoded;
        }
    }
}
