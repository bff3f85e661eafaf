namespace DataShareAdmin;

/// <summary>Which register a session is using.</summary>
public sealed class RegisterInfo
{
    /// <summary>SQLite (a file) or AzureTables (the shared register).</summary>
    public string Backend { get; set; } = string.Empty;

    /// <summary>The file path or endpoint (never a secret).</summary>
    public string Location { get; set; } = string.Empty;

    /// <summary>Where the location came from: Parameter, Environment, MachineConfiguration or UserDefault.</summary>
    public string Source { get; set; } = string.Empty;

    public int SchemaVersion { get; set; }

    public bool IsReadOnly { get; set; }

    /// <summary>Who the audit log names for changes made through this connection: the OS user, or the Microsoft Entra account a Table register signed in as.</summary>
    public string Actor { get; set; } = string.Empty;

    public override string ToString() => Backend + ":" + Location;
}
