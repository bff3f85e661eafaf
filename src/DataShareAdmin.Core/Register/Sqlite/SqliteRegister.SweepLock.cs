using System;
using System.IO;

namespace DataShareAdmin.Core.Register;

/// <summary>The sweep lock: one retention sweep at a time per register, across processes.</summary>
public sealed partial class SqliteRegister
{
    public IDisposable? TryLockSweep()
    {
        // A file beside the register, held open exclusively: the operating system lets go when the process ends,
        // however it ends, so a killed sweep never leaves a stale lock behind.
        var path = Info.Location + ".sweep-lock";
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
