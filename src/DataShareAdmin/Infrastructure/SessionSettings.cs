using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using DataShareAdmin.Core;

namespace DataShareAdmin.Commands;

/// <summary>
/// What Connect-DataShare* cmdlets set for the rest of a runspace. Keyed by the runspace so two runspaces in one
/// process (a host running jobs side by side) keep their own register; held weakly so a closed runspace's go.
/// </summary>
internal sealed class SessionSettings
{
    private static readonly ConditionalWeakTable<Runspace, SessionSettings> Settings = new();
    private static readonly SessionSettings NoRunspace = new();

    public string? RegisterPath { get; set; }

    public bool RegisterReadOnly { get; set; }

    // Engine types, typed: a field's class is loaded only when code that touches it is compiled, which importing the
    // module never does (PowerShell reflects over the public cmdlet classes, not this internal one), so the engine
    // still loads at the first command. tests/Pester/Import.Tests.ps1 proves it.

    /// <summary>The shared Azure Table register; null for SQLite.</summary>
    public Core.Register.TableRegisterOptions? Table { get; set; }

    /// <summary>The session's storage connection. Holds the key or credential in memory only.</summary>
    public Core.Storage.StorageConnection? Storage { get; set; }

    /// <summary>The session's directory connection.</summary>
    public Core.DirectoryAccess.DirectoryConnection? Directory { get; set; }

    /// <summary>
    /// Set when the last Connect-DataShareRegister failed: what it tried to connect to. Until a connect succeeds,
    /// no command may fall back to another register (the one before, or the usual search).
    /// </summary>
    public string? ConnectionFailure { get; set; }

    /// <summary>The register policy's DateOrder as last read for date parameters; cleared when this session changes policy.</summary>
    public DateOrderRead? DateOrderRead { get; set; }

    public static SessionSettings Current()
    {
        var runspace = Runspace.DefaultRunspace;
        return runspace is null ? NoRunspace : Settings.GetValue(runspace, _ => new SessionSettings());
    }

    /// <summary>The engine options for this session's register; throws <c>RegisterNotConnected</c> after a failed connect.</summary>
    public EngineOptions ToEngineOptions()
    {
        if (ConnectionFailure is { } failure)
        {
            throw new DataShareException("RegisterNotConnected", DataShareErrorCategory.InvalidOperation,
                $"This session has no register: the last Connect-DataShareRegister ({failure}) failed, so nothing was read or written. Run Connect-DataShareRegister again with the register you mean.", failure)
            { IsTerminating = true };
        }

        return new()
        {
            RegisterPath = RegisterPath,
            ReadOnly = RegisterReadOnly,
            Table = Table,
            Storage = Storage,
            Directory = Directory,
        };
    }
}
