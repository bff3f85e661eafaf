using System;
using System.Collections.Generic;
using Azure.Core;
using Azure.Core.Pipeline;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Storage;

/// <summary>A storage endpoint as holdings and connections are matched: scheme, host, port and account, never the text.</summary>
public static class StorageEndpoint
{
    /// <summary>e.g. <c>https://contosodata.blob.core.windows.net:443/contosodata</c> or <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public static string Key(Uri address, string? account) =>
        $"{address.Scheme}://{address.Host}:{address.Port}/{account}".ToLowerInvariant();
}

/// <summary>A delete refused by the guard: it would not have gone to exactly an object inside its holding.</summary>
public sealed class BlobDeleteRefusedException : Exception
{
    public BlobDeleteRefusedException()
    {
    }

    public BlobDeleteRefusedException(string message)
        : base(message)
    {
    }

    public BlobDeleteRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// What a sweep may delete in one holding: the container (by its address) and the prefix inside it. The last step
/// before a DELETE leaves the pipeline checks the request's own address against it.
/// </summary>
internal sealed class BlobDeleteScope
{
    private readonly Uri container;
    private readonly string? prefix;

    public BlobDeleteScope(Uri container, string? prefix)
    {
        this.container = container;
        this.prefix = prefix;
    }

    /// <summary>Null when <paramref name="sent"/> addresses the container (whole-container holdings only) or a blob inside the holding; else why not.</summary>
    public string? Refusal(Uri sent)
    {
        if (!string.Equals(StorageEndpoint.Key(sent, null), StorageEndpoint.Key(container, null), StringComparison.Ordinal))
        {
            return $"it would go to {sent.GetLeftPart(UriPartial.Authority)}, not to the holding's endpoint";
        }

        var root = container.AbsolutePath.TrimEnd('/');
        var path = sent.AbsolutePath;
        if (path == root || path == root + "/")
        {
            return prefix is null && sent.Query.Contains("restype=container") ? null : "it would address the container itself";
        }

        if (!path.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return $"its path {path} is not inside the container {root}";
        }

        return BlobNames.IsInside(BlobNames.Unescape(path.Substring(root.Length + 1)), prefix, out var why) ? null : why;
    }
}

/// <summary>
/// The two pipeline steps that make a sweep's deletes exact. System.Uri unescapes <c>%2E</c> and removes dot
/// segments, so a blob named <c>p/../p2/z.csv</c> addressed the ordinary way is <c>p2/z.csv</c>. The first step
/// (per call, before signing) puts back the exact, escaped path the store asked for, in a URI that is never
/// normalised; the last step (per retry, just before the transport) checks what is about to be sent against the
/// holding, and refuses anything else.
/// </summary>
internal static class ExactBlobAddress
{
    private const string ExactPathKey = "DataShareAdmin.ExactPath";
    private const string ScopeKey = "DataShareAdmin.DeleteScope";

    public static void AddTo(Azure.Storage.Blobs.BlobClientOptions options)
    {
        options.AddPolicy(new ExactPathPolicy(), HttpPipelinePosition.PerCall);
        options.AddPolicy(new DeleteGuardPolicy(), HttpPipelinePosition.PerRetry);
    }

    /// <summary>
    /// Requests made inside the returned scope go to <paramref name="exactPath"/> (null to keep the SDK's own), and
    /// any DELETE among them must lie inside <paramref name="scope"/>.
    /// </summary>
    public static IDisposable Use(BlobDeleteScope scope, string? exactPath) =>
        HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [ScopeKey] = scope, [ExactPathKey] = exactPath });

    /// <summary>A URI whose path is kept exactly as written (where the platform allows it; on others, as System.Uri makes it).</summary>
    public static Uri Exact(string text) =>
#if NET
        new(text, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
#else
        new(text);
#endif

    private sealed class ExactPathPolicy : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.TryGetProperty(ExactPathKey, out var value) && value is string path)
            {
                var current = message.Request.Uri.ToUri();
                message.Request.Uri.Reset(Exact(current.GetLeftPart(UriPartial.Authority) + path + current.Query));
            }
        }
    }

    private sealed class DeleteGuardPolicy : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Delete || !message.TryGetProperty(ScopeKey, out var value) || value is not BlobDeleteScope scope)
            {
                return;
            }

            var sent = message.Request.Uri.ToUri();
            if (message.TryGetProperty(ExactPathKey, out var exact) && exact is string path && sent.AbsolutePath != path)
            {
                throw new BlobDeleteRefusedException($"the delete would have gone to {sent.AbsolutePath} instead of exactly {path}");
            }

            if (scope.Refusal(sent) is { } why)
            {
                throw new BlobDeleteRefusedException($"the delete to {sent.AbsolutePath} was refused: {why}");
            }
        }
    }
}
