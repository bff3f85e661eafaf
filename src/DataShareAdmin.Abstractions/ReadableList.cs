using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DataShareAdmin;

/// <summary>
/// A list on an output object that reads as its items joined with "; ": what Export-Csv writes in its cell (it writes
/// each value's ToString(), so an array would be the cell "System.String[]"). The same separator a data item cell
/// takes back ("KS2:B3; FSM:C4"). Arrays convert to it, and Length is there as on an array.
/// </summary>
public sealed class ReadableList<T> : List<T>
{
    public ReadableList()
    {
    }

    public ReadableList(IEnumerable<T> items)
        : base(items ?? Array.Empty<T>())
    {
    }

    /// <summary>The number of items, as an array has it.</summary>
    public int Length => Count;

    public static implicit operator ReadableList<T>(T[]? items) => new(items ?? Array.Empty<T>());

    /// <summary>A readable list of <paramref name="items"/>: the same object when it is one already.</summary>
    public static ReadableList<T> Of(IEnumerable<T>? items) => items as ReadableList<T> ?? new ReadableList<T>(items ?? Array.Empty<T>());

    public override string ToString() => string.Join("; ", this);
}

/// <summary>
/// The details of an audit entry: a dictionary that reads as "Name=value; Name=value" (in key order), so Export-Csv
/// writes a readable cell rather than the dictionary's type name.
/// </summary>
public sealed class ReadableDictionary : Dictionary<string, string>
{
    public ReadableDictionary()
        : base(StringComparer.Ordinal)
    {
    }

    public ReadableDictionary(IEnumerable<KeyValuePair<string, string>> pairs)
        : base(StringComparer.Ordinal)
    {
        foreach (var pair in pairs ?? Array.Empty<KeyValuePair<string, string>>())
        {
            this[pair.Key] = pair.Value;
        }
    }

    /// <summary>A readable dictionary of <paramref name="pairs"/>: the same object when it is one already.</summary>
    public static ReadableDictionary Of(IEnumerable<KeyValuePair<string, string>>? pairs) =>
        pairs as ReadableDictionary ?? new ReadableDictionary(pairs ?? Array.Empty<KeyValuePair<string, string>>());

    public override string ToString()
    {
        var keys = new List<string>(Keys);
        keys.Sort(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(key).Append('=').Append(this[key]);
        }

        return text.ToString();
    }
}
