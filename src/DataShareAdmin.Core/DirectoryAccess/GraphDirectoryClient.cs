using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DataShareAdmin.Core.DirectoryAccess;

/// <summary>
/// The directory through the Microsoft Graph SDK. Busy answers (429 with Retry-After, 503, 504) are retried by the
/// SDK's retry handler, waiting as long as Retry-After says or backing off exponentially; paged lists are followed
/// through @odata.nextLink one page at a time, never gathered whole.
/// </summary>
internal sealed class GraphDirectoryClient : IDirectoryClient
{
    private const int MaxRetries = 5;
    private static readonly string[] UserFields = { "id", "displayName", "mail", "userPrincipalName", "userType", "accountEnabled" };

    private readonly GraphServiceClient client;

    public GraphDirectoryClient(TokenCredential credential, string[] scopes, Uri endpoint)
    {
        // The token goes to the configured endpoint's host only.
        var authentication = new AzureIdentityAuthenticationProvider(credential, new[] { endpoint.Host }, null, true, scopes);
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var http = GraphClientFactory.Create(handlers);
        http.Timeout = TimeSpan.FromMinutes(5);
        client = new GraphServiceClient(http, authentication, endpoint.ToString());
    }

    public async Task<IReadOnlyList<DirectoryAccount>> FindUsersByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var quoted = email.Replace("'", "''");
        var filter = $"mail eq '{quoted}' or userPrincipalName eq '{quoted}' or otherMails/any(m:m eq '{quoted}') or proxyAddresses/any(p:p eq 'smtp:{quoted}')";
        var found = new List<DirectoryAccount>();
        var page = await Call(() => client.Users.GetAsync(request =>
        {
            request.QueryParameters.Filter = filter;
            request.QueryParameters.Select = UserFields;
            request.QueryParameters.Count = true;
            request.QueryParameters.Top = 999;

            // any() on otherMails and proxyAddresses with 'or' is an advanced query.
            request.Headers.Add("ConsistencyLevel", "eventual");
            request.Options.Add(Retries());
        }, cancellationToken)).ConfigureAwait(false);
        while (page is not null)
        {
            found.AddRange((page.Value ?? new List<User>()).Select(Account));
            if (string.IsNullOrEmpty(page.OdataNextLink))
            {
                break;
            }

            var next = page.OdataNextLink!;
            page = await Call(() => client.Users.WithUrl(next).GetAsync(request =>
            {
                request.Headers.Add("ConsistencyLevel", "eventual");
                request.Options.Add(Retries());
            }, cancellationToken)).ConfigureAwait(false);
        }

        return found;
    }

    public async Task<DirectoryAccount?> GetUserAsync(string objectId, CancellationToken cancellationToken)
    {
        try
        {
            var user = await Call(() => client.Users[objectId].GetAsync(request =>
            {
                request.QueryParameters.Select = UserFields;
                request.Options.Add(Retries());
            }, cancellationToken)).ConfigureAwait(false);
            return user is null ? null : Account(user);
        }
        catch (DataShareException ex) when (ex.ErrorId == "DirectoryObjectNotFound")
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListGroupMemberIdsAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await Call(() => client.Groups[groupId].TransitiveMembers.GetAsync(request =>
        {
            request.QueryParameters.Select = new[] { "id" };
            request.QueryParameters.Top = 999;
            request.Options.Add(Retries());
        }, cancellationToken)).ConfigureAwait(false);
        while (page is not null)
        {
            foreach (var member in page.Value ?? new List<DirectoryObject>())
            {
                if (member.Id is { } id)
                {
                    yield return id;
                }
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
            {
                yield break;
            }

            var next = page.OdataNextLink!;
            page = await Call(() => client.Groups[groupId].TransitiveMembers.WithUrl(next).GetAsync(request => request.Options.Add(Retries()), cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<bool> GroupExistsAsync(string groupId, CancellationToken cancellationToken)
    {
        try
        {
            await Call(() => client.Groups[groupId].GetAsync(request =>
            {
                request.QueryParameters.Select = new[] { "id" };
                request.Options.Add(Retries());
            }, cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (DataShareException ex) when (ex.ErrorId == "DirectoryObjectNotFound")
        {
            return false;
        }
    }

    public async Task<bool> RemoveGroupMemberAsync(string groupId, string objectId, CancellationToken cancellationToken)
    {
        try
        {
            await Call(async () =>
            {
                await client.Groups[groupId].Members[objectId].Ref.DeleteAsync(request => request.Options.Add(Retries()), cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            return true;
        }
        catch (DataShareException ex) when (ex.ErrorId == "DirectoryObjectNotFound")
        {
            return false;
        }
    }

    public Task BlockSignInAsync(string objectId, CancellationToken cancellationToken) =>
        Call(() => client.Users[objectId].PatchAsync(new User { AccountEnabled = false }, request => request.Options.Add(Retries()), cancellationToken));

    public Task SendMailAsync(string? sender, DirectoryMail mail, CancellationToken cancellationToken)
    {
        var body = new Microsoft.Graph.Users.Item.SendMail.SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Text, Content = mail.Body },
                ToRecipients = mail.To.Select(Recipient).ToList(),
                CcRecipients = mail.Cc.Select(Recipient).ToList(),
            },
            SaveToSentItems = mail.SaveToSentItems,
        };
        return Call(async () =>
        {
            if (sender is null)
            {
                await client.Me.SendMail.PostAsync(new Microsoft.Graph.Me.SendMail.SendMailPostRequestBody { Message = body.Message, SaveToSentItems = body.SaveToSentItems },
                    request => request.Options.Add(Retries()), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.Users[sender].SendMail.PostAsync(body, request => request.Options.Add(Retries()), cancellationToken).ConfigureAwait(false);
            }

            return true;
        });
    }

    private static Recipient Recipient(string address) => new() { EmailAddress = new EmailAddress { Address = address } };

    private static RetryHandlerOption Retries() => new() { MaxRetry = MaxRetries, Delay = 1 };

    private static DirectoryAccount Account(User user) => new()
    {
        ObjectId = user.Id ?? string.Empty,
        DisplayName = user.DisplayName,
        Mail = user.Mail,
        UserPrincipalName = user.UserPrincipalName,
        UserType = user.UserType,
        AccountEnabled = user.AccountEnabled ?? false,
    };

    /// <summary>Graph's errors as the engine's: 404 is DirectoryObjectNotFound, 401/403 DirectoryAccessDenied, the rest DirectoryUnavailable.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ODataError ex)
        {
            var code = ex.Error?.Code ?? "unknown";
            throw ex.ResponseStatusCode switch
            {
                404 => new DataShareException("DirectoryObjectNotFound", DataShareErrorCategory.ObjectNotFound, $"The directory has no such object ({code}).", null, ex),
                401 or 403 => new DataShareException("DirectoryAccessDenied", DataShareErrorCategory.PermissionDenied,
                    $"The directory refused the request ({ex.ResponseStatusCode} {code}): {ex.Error?.Message} Check that the sign-in has the Microsoft Graph permission the cmdlet's help lists.", null, ex),
                _ => new DataShareException("DirectoryUnavailable", DataShareErrorCategory.ResourceUnavailable,
                    $"The directory answered {ex.ResponseStatusCode} {code}: {ex.Error?.Message}", null, ex),
            };
        }
        catch (ApiException ex)
        {
            throw new DataShareException(ex.ResponseStatusCode == 404 ? "DirectoryObjectNotFound" : "DirectoryUnavailable",
                ex.ResponseStatusCode == 404 ? DataShareErrorCategory.ObjectNotFound : DataShareErrorCategory.ResourceUnavailable,
                $"The directory answered {ex.ResponseStatusCode}: {ex.Message}", null, ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.LastOrDefault() is ApiException last)
        {
            // The SDK's retry handler gave up: it reports every failed attempt; the last one says what the service said.
            throw new DataShareException("DirectoryUnavailable", DataShareErrorCategory.ResourceUnavailable,
                $"The directory still answered {last.ResponseStatusCode} after {ex.InnerExceptions.Count} attempts; try again later.", null, ex);
        }
        catch (Azure.Identity.CredentialUnavailableException ex)
        {
            throw new DataShareException("DirectorySignInFailed", DataShareErrorCategory.PermissionDenied,
                $"No sign-in is available: {ex.Message.Split('\n')[0]}", null, ex);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw new DataShareException("DirectorySignInFailed", DataShareErrorCategory.PermissionDenied,
                $"Signing in to the directory failed: {ex.Message.Split('\n')[0]} Check the tenant, the app registration and the certificate or identity, then Connect-DataShareDirectory again.", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DataShareException("DirectoryUnavailable", DataShareErrorCategory.ResourceUnavailable, $"The directory could not be reached: {ex.Message}", null, ex);
        }
    }

    private static async Task Call(Func<Task> call) => await Call(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);
}
