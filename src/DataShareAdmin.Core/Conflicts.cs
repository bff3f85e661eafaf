using System;

namespace DataShareAdmin.Core;

/// <summary>Read-change-write with optimistic concurrency: when another writer got there first, read again and re-apply.</summary>
internal static class Conflicts
{
    private const int MaxAttempts = 5;

    /// <param name="attempt">Given true on the first attempt only, so confirmation is asked once.</param>
    public static T Retry<T>(Func<bool, T> attempt)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return attempt(i == 1);
            }
            catch (RegisterConflictException) when (i < MaxAttempts)
            {
                // Another writer changed the record between our read and our write; nothing of ours was written.
            }
        }
    }
}
