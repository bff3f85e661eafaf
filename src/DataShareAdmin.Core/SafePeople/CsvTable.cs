using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace DataShareAdmin.Core.SafePeople;

/// <summary>
/// Reads CSV as spreadsheets write it (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; a byte
/// order mark; comma, semicolon or tab as the separator, taken from the header line). Rows stream with the number
/// of the line they started on, so an error can name it.
/// </summary>
public static class CsvTable
{
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(TextReader reader) => Read(reader, int.MaxValue);

    /// <summary>
    /// As <see cref="Read(TextReader)"/>, refusing (CsvFieldTooLong) a field longer than <paramref name="maxFieldLength"/>
    /// characters, so a file with no line breaks or an unclosed quote cannot fill memory.
    /// </summary>
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(TextReader reader, int maxFieldLength)
    {
        char? separator = null;
        var line = 0;
        while (true)
        {
            var startLine = line + 1;
            var record = ReadRecord(reader, ref line, ref separator, maxFieldLength);
            if (record is null)
            {
                yield break;
            }

            yield return (startLine, record);
        }
    }

    private static List<string>? ReadRecord(TextReader reader, ref int line, ref char? separator, int maxFieldLength)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                if (!any)
                {
                    return null;
                }

                fields.Add(field.ToString());
                line++;
                return fields;
            }

            any = true;
            var c = (char)next;
            if (field.Length >= maxFieldLength)
            {
                throw new DataShareException("CsvFieldTooLong", DataShareErrorCategory.LimitsExceeded,
                    $"A field starting on line {line + 1} is longer than {maxFieldLength} characters (an unclosed quote, or not a table): nothing was read from the file.");
            }

            if (c == '\uFEFF' && fields.Count == 0 && field.Length == 0 && line == 0)
            {
                continue;
            }

            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                inQuotes = true;
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                fields.Add(field.ToString());
                line++;
                return fields;
            }
            else if (separator is null && line == 0 && (c == ',' || c == ';' || c == '\t'))
            {
                separator = c;
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
    }
}
