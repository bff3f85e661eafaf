using System;
using System.Threading;

namespace DataShareAdmin.Core;

/// <summary>Read-change-write with optimistic concurrency: when another writer got there first, read again and re-apply.</summary>
internal static class Conflicts
{
    // Two busy writers on one record (a shared register over the network) can meet several times in a row: try often
    // enough to get through, and wait a little longer, at random, each time so they stop meeting.
    private const int MaxAttempts = 20;

    [ThreadStatic]
    private static Random? random;

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
                random ??= new Random();
                Thread.Sleep(random.Next(0, 10 * Math.Min(i, 10)));
            }
        }
    }
}
