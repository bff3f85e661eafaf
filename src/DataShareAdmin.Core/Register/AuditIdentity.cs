using System;

namespace DataShareAdmin.Core.Register;

/// <summary>Who is making changes, as recorded in the audit log.</summary>
public sealed class AuditIdentity
{
    public AuditIdentity(string user, string machine)
    {
        User = user;
        Machine = machine;
    }

    public string User { get; }

    public string Machine { get; }

    /// <summary>The signed-in user (DOMAIN\user on Windows) and this machine's name.</summary>
    public static AuditIdentity Current()
    {
        var user = Environment.UserName;
        var domain = Environment.UserDomainName;
        if (Environment.OSVersion.Platform == PlatformID.Win32NT && !string.IsNullOrEmpty(domain)
            && !string.Equals(domain, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            user = domain + "\\" + user;
        }

        return new AuditIdentity(user, Environment.MachineName);
    }
}
