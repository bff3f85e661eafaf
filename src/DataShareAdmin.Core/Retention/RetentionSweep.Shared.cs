using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DataShareAdmin.Core.Retention;

/// <summary>
/// One listing for several due holdings: when due prefix holdings share a container, the container is listed once
/// under their longest common prefix to measure them all, and once more after the last of them to verify them all.
/// Each listed name goes to the one due holding whose prefix it starts with (as that holding's own listing by prefix
/// would have returned it); a name under no due prefix is neither deleted nor counted. Every delete still goes through
/// the holding's own store and its proof that the name lies inside the holding.
/// </summary>
public sealed partial class RetentionSweep
{
    /// <summary>
    /// The groups of due holdings listed together: two or more blob prefix holdings in one container on one endpoint,
    /// no prefix inside another (each name then belongs to at most one holding), and no due holding of the whole
    /// container (whose own listing and container removal stay as they are).
    /// </summary>
    private static List<ListingGroup> GroupListings(List<Candidate> candidates, SweepOptions options)
    {
        var groups = new List<ListingGroup>();
        if (!options.ShareListings)
        {
            return groups;
        }

        foreach (var same in candidates.Where(c => c.Storage is not null && c.Store is IContainerListing)
            .GroupBy(c => c.Storage!.Endpoint + "\n" + c.Holding.Container, StringComparer.Ordinal))
        {
            var members = same.ToList();
            if (members.Count < 2 || members.Any(m => string.IsNullOrEmpty(m.Holding.Prefix)))
            {
                continue;
            }

            var prefixes = members.Select(m => m.Holding.Prefix!).ToArray();
            Array.Sort(prefixes, StringComparer.Ordinal);
            var nested = false;
            for (var i = 1; i < prefixes.Length && !nested; i++)
            {
                // Sorted, a prefix that starts another sits just before it (or is equal to it).
                nested = prefixes[i].StartsWith(prefixes[i - 1], StringComparison.Ordinal);
            }

            if (nested)
            {
                continue;
            }

            var group = new ListingGroup(members, options.OutsideNamesAllowed);
            groups.Add(group);
            foreach (var member in members)
            {
                member.Group = group;
            }
        }

        return groups;
    }

    /// <summary>
    /// Measures a group with one listing. False (and nothing measured) when the listing reads too many names outside
    /// the due prefixes, finds the container gone, or fails: then each holding is listed on its own, as before, and
    /// says for itself what it found.
    /// </summary>
    /// <remarks>
    /// Runs on a worker thread: what it has to say goes to <paramref name="notes"/>, written by the pipeline's own
    /// thread afterwards (a PowerShell host refuses output from any other).
    /// </remarks>
    private static bool MeasureShared(ListingGroup group, ref long cacheBudget, CancellationToken token, ICollection<string> notes)
    {
        var objects = new long[group.Members.Count];
        var bytes = new long[group.Members.Count];
        var cached = new List<HeldObject>?[group.Members.Count];
        long due = 0, outside = 0;
        var keep = Interlocked.Read(ref cacheBudget) > 0;
        try
        {
            foreach (var listed in group.Lister.ListContainer(group.Prefix, token))
            {
                var n = group.Owner(listed.Name);
                if (n < 0)
                {
                    if (++outside > due + group.OutsideAllowed)
                    {
                        notes.Add(group.GivenUp("measuring", outside, due));
                        return false;
                    }

                    continue;
                }

                due++;
                objects[n]++;
                bytes[n] += listed.Size;
                if (keep && Interlocked.Decrement(ref cacheBudget) >= 0)
                {
                    (cached[n] ??= new List<HeldObject>()).Add(listed);
                }
                else
                {
                    // Over the budget: no holding deletes from this listing; each lists itself when its turn comes.
                    keep = false;
                }
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            notes.Add(group.GivenUp("measuring", ex));
            return false;
        }

        if (group.LeadStore.Absence is not null)
        {
            notes.Add(group.GivenUp("measuring", group.LeadStore.Absence));
            return false;
        }

        group.OutsideMeasured = outside;
        for (var n = 0; n < group.Members.Count; n++)
        {
            group.Members[n].Measured(objects[n], bytes[n], keep ? cached[n] ?? new List<HeldObject>() : null);
        }

        notes.Add($"{group.Describe()}: one listing measured {due} object(s) of {group.Members.Count} due holding(s); {outside} name(s) under no due prefix were read and left alone.");
        return true;
    }

    /// <summary>
    /// One verifying listing for the group's holdings whose deletes are done: for each, what is left under its own
    /// prefix. Null when the listing reads too many names outside the due prefixes (more than it did when measuring,
    /// plus the allowance), finds the container gone, or fails: then each holding is verified by its own listing.
    /// </summary>
    private static List<HeldObject>[]? VerifyShared(ListingGroup group, IOperationHost host)
    {
        var left = group.Members.Select(_ => new List<HeldObject>()).ToArray();
        long outside = 0, found = 0;
        try
        {
            foreach (var listed in group.Lister.ListContainer(group.Prefix, host.CancellationToken))
            {
                var n = group.Owner(listed.Name);
                if (n < 0)
                {
                    if (++outside > group.OutsideMeasured + group.OutsideAllowed)
                    {
                        host.WriteVerbose(group.GivenUp("verifying", outside, found));
                        return null;
                    }

                    continue;
                }

                found++;
                left[n].Add(listed);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            host.WriteVerbose(group.GivenUp("verifying", ex));
            return null;
        }

        if (group.LeadStore.Absence is not null)
        {
            host.WriteVerbose(group.GivenUp("verifying", group.LeadStore.Absence));
            return null;
        }

        return left;
    }

    /// <summary>
    /// A group member whose deletes are done waits for the others; when the last one is done (or was not started:
    /// declined, a dry run, failed), one listing verifies those waiting and each is recorded, in order, with what was
    /// found under its own prefix.
    /// </summary>
    private IEnumerable<DestructionRecord> Settle(ListingGroup group, HoldingRun? done, DateTime day, SemaphoreSlim slots, IOperationHost host, Action<DataShareException> reportError)
    {
        if (done is not null)
        {
            group.Waiting.Add(done);
        }

        if (--group.Unsettled > 0 || group.Waiting.Count == 0)
        {
            yield break;
        }

        var waiting = group.Waiting.ToList();
        group.Waiting.Clear();
        var left = VerifyShared(group, host);
        foreach (var run in waiting)
        {
            var index = group.Members.FindIndex(m => ReferenceEquals(m.Store, run.Store));
            if (Finish(run, day, slots, host, reportError, left?[index]) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <summary>Due holdings of one container listed together, and what their listings found outside them.</summary>
    private sealed class ListingGroup
    {
        private readonly string[] prefixes;
        private readonly int[] members;

        public ListingGroup(List<Candidate> candidates, long outsideAllowed)
        {
            Members = candidates;
            OutsideAllowed = Math.Max(0, outsideAllowed);
            Unsettled = candidates.Count;
            var order = Enumerable.Range(0, candidates.Count).OrderBy(n => candidates[n].Holding.Prefix, StringComparer.Ordinal).ToArray();
            prefixes = order.Select(n => candidates[n].Holding.Prefix!).ToArray();
            members = order;
            Prefix = CommonPrefix(prefixes);
        }

        public List<Candidate> Members { get; }

        /// <summary>The longest common prefix of the members' prefixes: what the shared listing asks for.</summary>
        public string Prefix { get; }

        public IHoldingStore LeadStore => Members[0].Store;

        public IContainerListing Lister => (IContainerListing)LeadStore;

        public long OutsideAllowed { get; }

        /// <summary>Names under no due prefix that the measuring listing read.</summary>
        public long OutsideMeasured { get; set; }

        /// <summary>Members not yet done with (deleted and waiting, or not started).</summary>
        public int Unsettled { get; set; }

        public List<HoldingRun> Waiting { get; } = new();

        /// <summary>
        /// The member whose prefix the name starts with, or -1. Prefixes do not nest, so only the greatest prefix not
        /// after the name (in ordinal order) can be one it starts with.
        /// </summary>
        public int Owner(string name)
        {
            var at = Array.BinarySearch(prefixes, name, StringComparer.Ordinal);
            if (at < 0)
            {
                at = ~at - 1;
            }

            return at >= 0 && name.StartsWith(prefixes[at], StringComparison.Ordinal) ? members[at] : -1;
        }

        public string Describe() => $"Container {Members[0].Holding.Container} under '{Prefix}'";

        public string GivenUp(string what, long outside, long due) =>
            $"{Describe()}: the shared {what} listing read {outside} name(s) under no due prefix against {due} due, more than the {OutsideAllowed} allowed over them; each of its {Members.Count} holding(s) is listed on its own.";

        public string GivenUp(string what, Exception ex) =>
            $"{Describe()}: the shared {what} listing failed ({ex.Message}); each of its {Members.Count} holding(s) is listed on its own and says what it found.";

        public string GivenUp(string what, string absence) =>
            $"{Describe()}: the shared {what} listing found that {absence}; each of its {Members.Count} holding(s) is listed on its own.";

        private static string CommonPrefix(string[] sorted)
        {
            // Sorted, the first and the last differ soonest.
            var (first, last) = (sorted[0], sorted[^1]);
            var length = 0;
            while (length < first.Length && length < last.Length && first[length] == last[length])
            {
                length++;
            }

            // Never half a surrogate pair: the prefix is sent as text.
            if (length > 0 && char.IsHighSurrogate(first[length - 1]))
            {
                length--;
            }

            return first.Substring(0, length);
        }
    }
}
