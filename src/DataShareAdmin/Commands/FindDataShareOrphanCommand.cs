using System.Management.Automation;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;

namespace DataShareAdmin.Commands;

/// <summary>
/// Lists what the retention sweep would never delete: containers in the connected storage that DataShareAdmin made, and
/// prefixes and blobs beside registered blob prefixes, that no holding still held covers. Reads only; pipe the results
/// to Register-DataShareHolding to have them swept.
/// </summary>
[Cmdlet(VerbsCommon.Find, "DataShareOrphan")]
[OutputType(typeof(DataShareOrphan))]
public sealed class FindDataShareOrphanCommand : DataShareCmdlet
{
    protected override int ProgressActivityId => 0x5A50;

    protected override void ProcessRecord() => Run(null, () =>
    {
        // Refused before the register is opened: without storage there is nothing to look in.
        if (SessionSettings.Current().Storage is null)
        {
            throw SessionStorage.NotConnected();
        }

        foreach (var orphan in Engine.Orphans.Find(Engine.Storage.RequireForOrphans(), this, error => WriteError(ErrorRecords.From(error, error.Target))))
        {
            WriteObject(orphan);
        }
    });
}
