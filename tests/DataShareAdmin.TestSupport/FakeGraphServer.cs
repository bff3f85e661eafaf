using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;


namespace DataShareAdmin.TestSupport;

/// <summary>A request as the fake Graph received it.</summary>
public sealed record GraphRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The decoded path below /v1.0, e.g. /groups/g1/members/u1/$ref.</summary>
    public string Path
    {
        get
        {
            var path = Uri.UnescapeDataString(RawTarget.Split('?')[0]);
            return path.StartsWith("/" + FakeGraphServer.Version, StringComparison.Ordinal) ? path[(FakeGraphServer.Version.Length + 1)..] : path;
        }
    }

    /// <summary>The query's parameters, names and values decoded ("%24filter" is "$filter").</summary>
    public IReadOnlyDictionary<string, string> Query
    {
        get
        {
            var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var at = RawTarget.IndexOf('?', StringComparison.Ordinal);
            if (at < 0)
            {
                return query;
            }

            foreach (var part in RawTarget[(at + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(equals < 0 ? part : part[..equals]);
                query[name] = equals < 0 ? string.Empty : Decode(part[(equals + 1)..]);
            }

            return query;
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => Method + " " + RawTarget;

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}

/// <summary>A user in the fake directory.</summary>
public sealed class FakeGraphUser
{
    public string Id { get; init; } = string.Empty;

    public string UserPrincipalName { get; set; } = string.Empty;

    public string? Mail { get; set; }

    public string? DisplayName { get; set; }

    public string UserType { get; set; } = "Member";

    public bool AccountEnabled { get; set; } = true;

    public List<string> OtherMails { get; } = new();

    /// <summary>"SMTP:primary@…" and "smtp:alias@…", as Exchange writes them.</summary>
    public List<string> ProxyAddresses { get; } = new();
}

/// <summary>A mail the fake Graph accepted through sendMail, as parsed from the request body.</summary>
public sealed record GraphMail(string? Sender, string Subject, string? ContentType, string Body, IReadOnlyList<string> To, IReadOnlyList<string> Cc, bool? SaveToSentItems, string Json);

/// <summary>
/// A small Microsoft Graph v1.0 on 127.0.0.1 and a free port (HttpListener), answering in Graph's documented JSON
/// formats: users found by a $filter on mail, userPrincipalName, otherMails and proxyAddresses; a user by id;
/// a group's members page by page through @odata.nextLink; removing a member ($ref); PATCH accountEnabled; and
/// sendMail for a mailbox or /me. Every request is recorded, and the next N requests to a path can be made to fail
/// (429 with Retry-After, 503, 404, 403) with Graph's error body.
/// </summary>
public sealed class FakeGraphServer : IDisposable
{
    public const string Version = "v1.0";

    /// <summary>What v1.0 returns for a user when the request has no $select.</summary>
    private static readonly string[] DefaultUserFields = { "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id" };

    private static readonly Regex Clause = new(
        @"\G\s*(?:(?<property>\w+) eq '(?<value>(?:[^']|'')*)'|(?<collection>\w+)/any\((?<variable>\w+):\k<variable> eq '(?<item>(?:[^']|'')*)'\))\s*(?:or\s+|$)",
        RegexOptions.CultureInvariant);

    private readonly object gate = new();
    private readonly HttpListener listener;
    private readonly Task loop;
    private readonly List<GraphRequest> requests = new();
    private readonly List<GraphMail> mails = new();
    private readonly List<(string Id, bool Enabled)> patches = new();
    private readonly Dictionary<string, FakeGraphUser> users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Failure> failures = new();

    public FakeGraphServer()
    {
        HttpListener? started = null;
        for (var attempt = 0; started is null; attempt++)
        {
            Port = FreePort();
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                candidate.Start();
                started = candidate;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                candidate.Close();
            }
        }

        listener = started;
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>The address to give the client: http://127.0.0.1:port/v1.0.</summary>
    public Uri GraphEndpoint => new(BaseUri + Version);

    /// <summary>The most items a page of users or members holds (fewer when the request's $top is smaller).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Called with each request as it arrives, before it is answered (on the server's thread).</summary>
    public Action<GraphRequest>? OnRequest { get; set; }

    public IReadOnlyList<GraphRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToList();
            }
        }
    }

    public IReadOnlyList<GraphMail> Mails
    {
        get
        {
            lock (gate)
            {
                return mails.ToList();
            }
        }
    }

    /// <summary>The PATCH /users/{id} bodies' accountEnabled values, in order.</summary>
    public IReadOnlyList<(string Id, bool Enabled)> Patches
    {
        get
        {
            lock (gate)
            {
                return patches.ToList();
            }
        }
    }

    /// <summary>The requests whose decoded path (below /v1.0) is <paramref name="path"/>.</summary>
    public IReadOnlyList<GraphRequest> RequestsTo(string path, string? method = null) =>
        Requests.Where(r => string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase) && (method is null || r.Method == method)).ToList();

    public FakeGraphUser AddUser(string id, string userPrincipalName, string? mail, string userType = "Member", bool enabled = true, params string[] otherMails)
    {
        var user = new FakeGraphUser
        {
            Id = id,
            UserPrincipalName = userPrincipalName,
            Mail = mail,
            DisplayName = (mail ?? userPrincipalName).Split('@')[0],
            UserType = userType,
            AccountEnabled = enabled,
        };
        user.OtherMails.AddRange(otherMails);
        if (mail is not null)
        {
            user.ProxyAddresses.Add("SMTP:" + mail);
        }

        lock (gate)
        {
            users[id] = user;
        }

        return user;
    }

    public void AddGroup(string id, params string[] memberIds)
    {
        lock (gate)
        {
            groups[id] = memberIds.ToList();
        }
    }

    public IReadOnlyList<string> MembersOf(string groupId)
    {
        lock (gate)
        {
            return groups.TryGetValue(groupId, out var members) ? members.ToList() : Array.Empty<string>();
        }
    }

    public FakeGraphUser User(string id)
    {
        lock (gate)
        {
            return users[id];
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> requests to <paramref name="path"/> (below /v1.0, decoded; any method when
    /// <paramref name="method"/> is null) are answered with <paramref name="status"/> and Graph's error body.
    /// </summary>
    public void FailNext(string path, int times, int status, int? retryAfterSeconds = null, string? method = null)
    {
        lock (gate)
        {
            failures.Add(new Failure(path, method, status, retryAfterSeconds) { Left = times });
        }
    }

    /// <summary>429 Too Many Requests with Retry-After, as Graph throttles.</summary>
    public void ThrottleNext(string path, int times = 1, int retryAfterSeconds = 1) => FailNext(path, times, 429, retryAfterSeconds);

    public void Dispose()
    {
        try
        {
            listener.Stop();
            listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = reader.ReadToEnd();
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in context.Request.Headers.AllKeys)
            {
                if (name is not null)
                {
                    headers[name] = context.Request.Headers[name] ?? string.Empty;
                }
            }

            var request = new GraphRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body);
            lock (gate)
            {
                requests.Add(request);
            }

            OnRequest?.Invoke(request);
            var (status, json, extra) = Route(request);
            var response = context.Response;
            response.StatusCode = status;
            response.Headers["request-id"] = Guid.NewGuid().ToString();
            response.Headers["client-request-id"] = request.Header("client-request-id") ?? Guid.NewGuid().ToString();
            foreach (var (name, value) in extra)
            {
                response.Headers[name] = value;
            }

            if (json is null)
            {
                response.ContentLength64 = 0;
            }
            else
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
                response.ContentLength64 = bytes.Length;
                response.OutputStream.Write(bytes);
            }

            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private (int Status, string? Json, IReadOnlyList<(string, string)> Headers) Route(GraphRequest request)
    {
        var none = Array.Empty<(string, string)>();
        lock (gate)
        {
            var failure = failures.FirstOrDefault(f => f.Left > 0 && string.Equals(f.Path, request.Path, StringComparison.OrdinalIgnoreCase)
                && (f.Method is null || string.Equals(f.Method, request.Method, StringComparison.OrdinalIgnoreCase)));
            if (failure is not null)
            {
                failure.Left--;
                var (code, message) = failure.Status switch
                {
                    429 => ("TooManyRequests", "Too many requests. Please retry after the time the Retry-After header gives."),
                    503 => ("serviceNotAvailable", "The service is temporarily unavailable. You may repeat the request after a delay."),
                    403 => ("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
                    404 => ("Request_ResourceNotFound", $"Resource '{request.Path.Split('/').Last()}' does not exist or one of its queried reference-property objects are not present."),
                    401 => ("InvalidAuthenticationToken", "Access token validation failure."),
                    _ => ("generalException", "An injected failure."),
                };
                return (failure.Status, Error(code, message, request),
                    failure.RetryAfter is { } seconds ? new[] { ("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)) } : none);
            }

            if (!(request.Header("Authorization") ?? string.Empty).StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return (401, Error("InvalidAuthenticationToken", "Access token is empty.", request), none);
            }

            var segments = request.Path.Trim('/').Split('/');
            return (request.Method, segments) switch
            {
                ("GET", ["users"]) => ListUsers(request),
                ("GET", ["users", var id]) => users.TryGetValue(id, out var user)
                    ? (200, UserJson(user, request, entity: true), none)
                    : NotFound(id, request),
                ("PATCH", ["users", var id]) => Patch(id, request),
                ("GET", ["groups", var id]) => groups.ContainsKey(id)
                    ? (200, new JsonObject { ["@odata.context"] = $"{BaseUri}{Version}/$metadata#groups(id)/$entity", ["id"] = id }.ToJsonString(), none)
                    : NotFound(id, request),
                ("GET", ["groups", var id, "members" or "transitiveMembers"]) => ListMembers(id, request),
                ("DELETE", ["groups", var id, "members", var member, "$ref"]) => RemoveMember(id, member, request),
                ("POST", ["users", var sender, "sendMail"]) => users.Values.Any(u => u.Id.Equals(sender, StringComparison.OrdinalIgnoreCase)
                        || u.UserPrincipalName.Equals(sender, StringComparison.OrdinalIgnoreCase) || string.Equals(u.Mail, sender, StringComparison.OrdinalIgnoreCase))
                    ? SendMail(sender, request)
                    : NotFound(sender, request),
                ("POST", ["me", "sendMail"]) => SendMail(null, request),
                _ => (400, Error("BadRequest", $"Resource not found for the segment '{segments[0]}'.", request), none),
            };
        }
    }

    private (int, string?, IReadOnlyList<(string, string)>) ListUsers(GraphRequest request)
    {
        var none = Array.Empty<(string, string)>();
        var query = request.Query;
        var eventual = string.Equals(request.Header("ConsistencyLevel"), "eventual", StringComparison.OrdinalIgnoreCase);
        var count = query.TryGetValue("$count", out var countText) && countText == "true";
        if (count && !eventual)
        {
            return (400, Error("Request_BadRequest", "$count is not currently supported.", request), none);
        }

        IEnumerable<FakeGraphUser> found = users.Values.OrderBy(u => u.UserPrincipalName, StringComparer.OrdinalIgnoreCase);
        if (query.TryGetValue("$filter", out var filter))
        {
            var clauses = new List<Func<FakeGraphUser, bool>>();
            var at = 0;
            var advanced = false;
            while (at < filter.Length)
            {
                var match = Clause.Match(filter, at);
                if (!match.Success || match.Length == 0)
                {
                    return (400, Error("Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified at '{filter[at..]}'.", request), none);
                }

                at += match.Length;
                if (match.Groups["property"].Success)
                {
                    var value = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
                    Func<FakeGraphUser, string?>? property = match.Groups["property"].Value switch
                    {
                        "mail" => u => u.Mail,
                        "userPrincipalName" => u => u.UserPrincipalName,
                        "id" => u => u.Id,
                        _ => null,
                    };
                    if (property is null)
                    {
                        return (400, Error("Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property '{match.Groups["property"].Value}' of resource 'User'.", request), none);
                    }

                    clauses.Add(u => string.Equals(property(u), value, StringComparison.OrdinalIgnoreCase));
                }
                else
                {
                    var item = match.Groups["item"].Value.Replace("''", "'", StringComparison.Ordinal);
                    Func<FakeGraphUser, IEnumerable<string>>? collection = match.Groups["collection"].Value switch
                    {
                        "otherMails" => u => u.OtherMails,
                        "proxyAddresses" => u => u.ProxyAddresses,
                        _ => null,
                    };
                    if (collection is null)
                    {
                        return (400, Error("Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property '{match.Groups["collection"].Value}' of resource 'User'.", request), none);
                    }

                    advanced = true;
                    clauses.Add(u => collection(u).Contains(item, StringComparer.OrdinalIgnoreCase));
                }
            }

            // Lambda operators joined by 'or' are advanced queries: ConsistencyLevel: eventual and $count are needed.
            if (advanced && clauses.Count > 1 && !(eventual && count))
            {
                return (400, Error("Request_UnsupportedQuery", "Unsupported Query.", request), none);
            }

            found = found.Where(u => clauses.Any(c => c(u)));
        }

        var all = found.ToList();
        return Page(request, all.Count, all.Select(u => UserJson(u, request, entity: false)), "users", count ? all.Count : null);
    }

    private (int, string?, IReadOnlyList<(string, string)>) ListMembers(string groupId, GraphRequest request)
    {
        if (!groups.TryGetValue(groupId, out var members))
        {
            return NotFound(groupId, request);
        }

        var select = Select(request);
        var items = members.Select(id => users.TryGetValue(id, out var user) ? UserNode(user, select) : new JsonObject { ["id"] = id })
            .Select(node =>
            {
                var withType = new JsonObject { ["@odata.type"] = "#microsoft.graph.user" };
                foreach (var (key, value) in node.ToList())
                {
                    node.Remove(key);
                    withType[key] = value;
                }

                return withType.ToJsonString();
            });
        return Page(request, members.Count, items, "directoryObjects", null);
    }

    private (int, string?, IReadOnlyList<(string, string)>) Page(GraphRequest request, int total, IEnumerable<string> items, string entitySet, int? count)
    {
        var query = request.Query;
        var skip = query.TryGetValue("$skiptoken", out var token) ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token))[5..], CultureInfo.InvariantCulture) : 0;
        var size = query.TryGetValue("$top", out var top) && int.TryParse(top, NumberStyles.Integer, CultureInfo.InvariantCulture, out var topValue) ? Math.Min(topValue, PageSize) : PageSize;
        var page = items.Skip(skip).Take(size).ToList();
        var select = query.TryGetValue("$select", out var fields) ? "(" + fields + ")" : string.Empty;
        var json = new StringBuilder("{\"@odata.context\":")
            .Append(JsonSerializer.Serialize($"{GraphEndpoint}/$metadata#{entitySet}{select}"));
        if (count is not null)
        {
            json.Append(",\"@odata.count\":").Append(count.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (skip + page.Count < total)
        {
            // The next link keeps the request's query and adds a skip token, at the address the request came to.
            var kept = request.RawTarget.Split('?') is { Length: 2 } parts
                ? string.Join("&", parts[1].Split('&').Where(p => !Uri.UnescapeDataString(p).StartsWith("$skiptoken=", StringComparison.OrdinalIgnoreCase)))
                : string.Empty;
            var next = $"{BaseUri}{request.RawTarget.Split('?')[0].TrimStart('/')}?{kept}{(kept.Length == 0 ? string.Empty : "&")}$skiptoken={Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes("skip:" + (skip + page.Count).ToString(CultureInfo.InvariantCulture))))}";
            json.Append(",\"@odata.nextLink\":").Append(JsonSerializer.Serialize(next));
        }

        json.Append(",\"value\":[").Append(string.Join(",", page)).Append("]}");
        return (200, json.ToString(), Array.Empty<(string, string)>());
    }

    private (int, string?, IReadOnlyList<(string, string)>) RemoveMember(string groupId, string memberId, GraphRequest request)
    {
        if (!groups.TryGetValue(groupId, out var members))
        {
            return NotFound(groupId, request);
        }

        var index = members.FindIndex(m => string.Equals(m, memberId, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            return NotFound(memberId, request);
        }

        members.RemoveAt(index);
        return (204, null, Array.Empty<(string, string)>());
    }

    private (int, string?, IReadOnlyList<(string, string)>) Patch(string id, GraphRequest request)
    {
        if (!users.TryGetValue(id, out var user))
        {
            return NotFound(id, request);
        }

        var body = JsonNode.Parse(request.Body)!.AsObject();
        if (body.TryGetPropertyValue("accountEnabled", out var enabled) && enabled is not null)
        {
            user.AccountEnabled = enabled.GetValue<bool>();
            patches.Add((id, user.AccountEnabled));
        }

        return (204, null, Array.Empty<(string, string)>());
    }

    private (int, string?, IReadOnlyList<(string, string)>) SendMail(string? sender, GraphRequest request)
    {
        // The SDK writes the action's parameters as the metadata names them ("Message", "SaveToSentItems"), the
        // documentation as "message" and "saveToSentItems": Graph takes either.
        var body = JsonNode.Parse(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true })?.AsObject();
        if (body?["message"] is not JsonObject message)
        {
            return (400, Error("ErrorInvalidRequest", "The message is missing.", request), Array.Empty<(string, string)>());
        }

        static IReadOnlyList<string> Addresses(JsonNode? list) =>
            (list as JsonArray ?? new JsonArray()).Select(r => r?["emailAddress"]?["address"]?.GetValue<string>() ?? string.Empty).ToList();

        var save = body["saveToSentItems"] is { } flag ? flag.GetValue<bool>() : (bool?)null;
        mails.Add(new GraphMail(sender, message["subject"]?.GetValue<string>() ?? string.Empty, message["body"]?["contentType"]?.GetValue<string>(),
            message["body"]?["content"]?.GetValue<string>() ?? string.Empty, Addresses(message["toRecipients"]), Addresses(message["ccRecipients"]), save, request.Body));
        return (202, null, Array.Empty<(string, string)>());
    }

    private (int, string?, IReadOnlyList<(string, string)>) NotFound(string id, GraphRequest request) =>
        (404, Error("Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", request), Array.Empty<(string, string)>());

    private static string[]? Select(GraphRequest request) =>
        request.Query.TryGetValue("$select", out var fields) ? fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    private string UserJson(FakeGraphUser user, GraphRequest request, bool entity)
    {
        var node = UserNode(user, Select(request));
        if (entity)
        {
            var select = Select(request) is { } fields ? "(" + string.Join(",", fields) + ")" : string.Empty;
            var withContext = new JsonObject { ["@odata.context"] = $"{GraphEndpoint}/$metadata#users{select}/$entity" };
            foreach (var (key, value) in node.ToList())
            {
                node.Remove(key);
                withContext[key] = value;
            }

            node = withContext;
        }

        return node.ToJsonString();
    }

    private static JsonObject UserNode(FakeGraphUser user, string[]? select)
    {
        var all = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase)
        {
            ["businessPhones"] = new JsonArray(),
            ["displayName"] = user.DisplayName,
            ["givenName"] = null,
            ["jobTitle"] = null,
            ["mail"] = user.Mail,
            ["mobilePhone"] = null,
            ["officeLocation"] = null,
            ["preferredLanguage"] = null,
            ["surname"] = null,
            ["userPrincipalName"] = user.UserPrincipalName,
            ["id"] = user.Id,
            ["userType"] = user.UserType,
            ["accountEnabled"] = user.AccountEnabled,
            ["otherMails"] = new JsonArray(user.OtherMails.Select(m => (JsonNode?)m).ToArray()),
            ["proxyAddresses"] = new JsonArray(user.ProxyAddresses.Select(m => (JsonNode?)m).ToArray()),
        };
        var node = new JsonObject();
        foreach (var field in select ?? DefaultUserFields)
        {
            if (all.TryGetValue(field, out var value))
            {
                node[field] = value;
            }
        }

        if (!node.ContainsKey("id"))
        {
            node["id"] = user.Id;
        }

        return node;
    }

    private static string Error(string code, string message, GraphRequest request) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["request-id"] = Guid.NewGuid().ToString(),
                ["client-request-id"] = request.Header("client-request-id") ?? Guid.NewGuid().ToString(),
            },
        },
    }.ToJsonString();

    private sealed record Failure(string Path, string? Method, int Status, int? RetryAfter)
    {
        public int Left { get; set; }
    }
}

