using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using DataShareAdmin.Core.DirectoryAccess;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests.DirectoryAccess;

/// <summary>A credential that hands out a fixed bearer token and records the scopes each token was asked for.</summary>
internal sealed class RecordingCredential : TokenCredential
{
    private readonly object gate = new();
    private readonly List<string[]> asked = new();

    public RecordingCredential(string token = "test-token-0123456789") => Token = token;

    public string Token { get; }

    /// <summary>The scopes of every token request, in order.</summary>
    public IReadOnlyList<string[]> Asked
    {
        get
        {
            lock (gate)
            {
                return asked.ToList();
            }
        }
    }

    public DirectoryConnection Connect(Uri endpoint, bool applicationPermissions, string? sender = null) =>
        DirectoryConnection.ForCredential(this, endpoint, applicationPermissions, sender);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            asked.Add(requestContext.Scopes);
        }

        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
