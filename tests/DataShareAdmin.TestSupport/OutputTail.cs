using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace DataShareAdmin.TestSupport;

/// <summary>Keeps the last lines a child process wrote, for error messages.</summary>
internal sealed class OutputTail
{
    private const int MaxLines = 200;
    private readonly Queue<string> _lines = new();

    internal void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    internal bool Contains(string text, string? alsoText = null)
    {
        lock (_lines)
        {
            foreach (var line in _lines)
            {
                if (line.Contains(text, StringComparison.Ordinal)
                    && (alsoText is null || line.Contains(alsoText, StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
