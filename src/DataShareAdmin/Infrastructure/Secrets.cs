using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace DataShareAdmin.Commands;

/// <summary>Secrets given to Connect-* cmdlets: read into memory, never echoed in any message.</summary>
internal static class Secrets
{
    /// <summary>A connection string given as text, a SecureString, or the name of an environment variable that holds one.</summary>
    public static string ConnectionString(object value, string errorId, string parameter = "-ConnectionString")
    {
        var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (raw is SecureString secure)
        {
            return Plain(secure);
        }

        if (raw is not string text || text.Trim().Length == 0)
        {
            throw new DataShareException(errorId, DataShareErrorCategory.InvalidArgument,
                $"{parameter} takes a connection string, a SecureString holding one, or the name of an environment variable that holds one.", null);
        }

        // A bare name (no '=') is an environment variable: the way to keep the key out of scripts and history.
        if (text.IndexOf('=') < 0)
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(text.Trim());
            if (string.IsNullOrEmpty(fromEnvironment))
            {
                throw new DataShareException(errorId, DataShareErrorCategory.InvalidArgument,
                    $"'{text.Trim()}' given to {parameter} is not a connection string, and no environment variable of that name is set.", text.Trim());
            }

            return fromEnvironment!;
        }

        return text;
    }

    public static string Plain(SecureString secure)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
