using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Rows: point reads and key ranges of the register's partition, row keys built from escaped parts, and records stored
/// as JSON over as many properties as they need.
/// </summary>
public sealed partial class TableRegister
{
    private const int PropertyChars = 30_000;

    private const char Separator = '!';

    // A key is "up to 1 KiB"; Azurite reads that as 1 KiB of UTF-16, 512 characters, the stricter reading.
    private const int MaxKeyChars = 512;

    // A link (a transfer's signed SAS) is never stored: whatever carries one is written and read back without it.
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new NoLinkConverter() },
    };

    private TableEntity? Get(string rowKey)
    {
        try
        {
            var response = table.GetEntityIfExists<TableEntity>(partition, rowKey);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw SignInFailed(ex, Info.Location);
        }
    }

    /// <summary>Rows whose key starts with <paramref name="prefix"/> (which ends with the separator), in key order, page by page.</summary>
    private IEnumerable<TableEntity> Range(string prefix) =>
        Query($"PartitionKey eq '{Quote(partition)}' and RowKey ge '{Quote(prefix)}' and RowKey lt '{Quote(End(prefix))}'");

    private IEnumerable<TableEntity> Query(string filter)
    {
        IEnumerator<TableEntity> rows;
        try
        {
            rows = table.Query<TableEntity>(filter).GetEnumerator();
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }

        using (rows)
        {
            while (true)
            {
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex)
                {
                    throw Translate(ex, Info.Location);
                }
                catch (Azure.Identity.AuthenticationFailedException ex)
                {
                    throw SignInFailed(ex, Info.Location);
                }

                yield return rows.Current;
            }
        }
    }

    private static string Quote(string text) => text.Replace("'", "''");

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> (ending in the separator).</summary>
    private static string End(string prefix) => prefix.Substring(0, prefix.Length - 1) + (char)(Separator + 1);

    /// <summary>
    /// A row key from parts: each part escaped (anything but letters, digits and - . _ @ becomes %XX), joined by '!',
    /// which sorts before every character a part can hold, so 'DS1!…' comes before 'DS10!…' as 'DS1' before 'DS10'.
    /// </summary>
    private static string Key(params string[] parts)
    {
        var text = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                text.Append(Separator);
            }

            foreach (var c in parts[i])
            {
                if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '@')
                {
                    text.Append(c);
                }
                else
                {
                    foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                    {
                        text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The lookup row of an organisation's name, compared without regard to case.</summary>
    private static string NameKey(string name) => LookupKey("orgname", name.ToLowerInvariant());

    /// <summary>
    /// A lookup row's key from free text (an organisation's name, an email): the escaped text while the key fits the
    /// service's key limit, else the text's SHA-256 after "%h", which escaping never writes (it writes "%" and two
    /// upper-case hex digits), so it cannot equal an escaped key. Text that fits keeps the key it always had; text that
    /// does not could never be stored before.
    /// </summary>
    private static string LookupKey(string kind, string text)
    {
        var key = Key(kind, text);
        if (key.Length <= MaxKeyChars)
        {
            return key;
        }

        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return Prefix(kind) + "%h" + hex;
    }

    /// <summary>The start of the range of keys that begin with these parts.</summary>
    private static string Prefix(params string[] parts) => Key(parts) + Separator;

    /// <summary>Agreement ids compare without regard to case, as in the SQLite register.</summary>
    private static string Upper(string id) => id.ToUpperInvariant();

    private static string Date(DateTime day) => DateText.FormatDate(day);

    private static string Instant(DateTimeOffset instant) => DateText.FormatInstant(instant);

    private static string Sequence(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private TableEntity Row<T>(string rowKey, string kind, T record)
    {
        var entity = new TableEntity(partition, rowKey) { ["Kind"] = kind };
        if (record is not null && typeof(T).GetProperty("Version") is { } version)
        {
            entity["Version"] = Convert.ToInt64(version.GetValue(record), CultureInfo.InvariantCulture);
        }

        Put(entity, "Data", JsonSerializer.Serialize(record, Json));
        return entity;
    }

    private TableEntity Pointer(string rowKey, string id) => new(partition, rowKey) { ["Kind"] = "Index", ["Id"] = id };

    private static T? Read<T>(TableEntity? entity)
        where T : class => entity is null ? null : JsonSerializer.Deserialize<T>(Take(entity, "Data"), Json);

    private static T Copy<T>(T record) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(record, Json), Json)!;

    /// <summary>Text longer than a property may hold goes over several (Name, Name_1, Name_2…); an entity holds 1 MiB.</summary>
    private static void Put(TableEntity entity, string name, string text)
    {
        if (text.Length > 15 * PropertyChars)
        {
            throw new DataShareException("RegisterRecordTooLarge", DataShareErrorCategory.LimitsExceeded,
                $"A record of {text.Length} characters is larger than a row of the Table register holds; nothing was changed.", null);
        }

        var count = Math.Max(1, (text.Length + PropertyChars - 1) / PropertyChars);
        for (var i = 0; i < count; i++)
        {
            var start = i * PropertyChars;
            entity[i == 0 ? name : name + "_" + i.ToString(CultureInfo.InvariantCulture)] = text.Substring(start, Math.Min(PropertyChars, text.Length - start));
        }

        entity[name + "Parts"] = count;
    }

    private static string Take(TableEntity entity, string name)
    {
        var count = entity.GetInt32(name + "Parts") ?? 1;
        if (count == 1)
        {
            return entity.GetString(name);
        }

        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(entity.GetString(i == 0 ? name : name + "_" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return text.ToString();
    }
}
