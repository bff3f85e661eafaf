using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core.Pipeline;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.SignIn;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Tests.DirectoryAccess;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Who the audit log names on a Table register reached with Microsoft Entra sign-in: the account in the storage token,
/// not the machine's OS user. Azurite takes no Entra tokens over http, so the table service here is a stand-in
/// answering over an https address through the client's transport.
/// </summary>
public sealed class TableRegisterSignInTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 30, 0, TimeSpan.Zero);

    /// <summary>An unsigned JWT carrying these claims (the register reads claims; the service checks signatures).</summary>
    internal static string Jwt(object claims)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + Part(JsonSerializer.Serialize(claims)) + ".c2lnbmF0dXJl";
    }

    public static TheoryData<string, string?> Tokens() => new()
    {
        { Jwt(new { upn = "jo.bloggs@contoso.ac.uk", oid = "6f2d1c3a", name = "Jo Bloggs", appid = "04b07795" }), "jo.bloggs@contoso.ac.uk" },
        { Jwt(new { preferred_username = "ann@contoso.ac.uk", azp = "04b07795", ver = "2.0" }), "ann@contoso.ac.uk" },
        { Jwt(new { unique_name = "live.com#sam@example.org", oid = "0b7e4d2a" }), "live.com#sam@example.org" },
        { Jwt(new { idtyp = "app", appid = "9a64c2f0", oid = "1a2b3c4d", xms_mirid = "/subscriptions/0000/resourcegroups/ops/providers/Microsoft.Compute/virtualMachines/vm-sweep" }), "managed identity vm-sweep (app 9a64c2f0)" },
        { Jwt(new { appid = "5c1d7b90", app_displayname = "DataShare nightly", oid = "8c1f3a52" }), "application DataShare nightly (app 5c1d7b90)" },
        { Jwt(new { idtyp = "app", appid = "5c1d7b90", upn = "ignored@contoso.ac.uk" }), "application 5c1d7b90" },
        { Jwt(new { oid = "8c1f3a52", upn = "   " }), null },
        { "opaque-token-0123456789", null },
        { "a.not*base64.c", null },
        { "a." + Convert.ToBase64String(Encoding.UTF8.GetBytes("[1,2]")).TrimEnd('=') + ".c", null },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void A_token_names_the_person_or_application_it_was_issued_to(string token, string? expected) =>
        Assert.Equal(expected, AccessTokenClaims.Read(token)?.Principal);

    [Fact]
    public void A_token_s_expiry_is_its_exp_claim()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_781_000_000), AccessTokenClaims.Read(Jwt(new { exp = 1_781_000_000 }))!.Expires);
        Assert.Null(AccessTokenClaims.Read(Jwt(new { exp = "soon" }))!.Expires);
    }

    [Fact]
    public void Signed_in_with_Entra_the_register_records_the_token_s_account_and_never_the_token()
    {
        var token = Jwt(new { upn = "jo.bloggs@contoso.ac.uk", oid = "6f2d1c3a", exp = Now.AddHours(1).ToUnixTimeSeconds() });
        var credential = new RecordingCredential(token);
        var service = new StandInTableService();
        var options = new TableRegisterOptions
        {
            TableEndpoint = new Uri("https://contosodata.table.core.windows.net"),
            Credential = credential,
            Transport = new HttpClientTransport(new HttpClient(service)),
        };

        using var register = TableRegister.Open(options, new FixedClock(Now), TestRegister.Identity, create: true);

        Assert.Equal("jo.bloggs@contoso.ac.uk", register.Info.Actor);
        Assert.NotEqual(TestRegister.Identity.User, register.Info.Actor);
        Assert.All(credential.Asked, scopes => Assert.Equal(new[] { "https://storage.azure.com/.default" }, scopes));
        Assert.All(service.Requests, r => Assert.Equal("Bearer " + token, r.Authorization));

        // The register's marker, written on first use, names the account too; the token is in no body.
        // (The other rows written on create are the legal gateway catalogue's seeds.)
        var marker = Assert.Single(service.Requests, r => r.Method == "POST" && r.Path == "/DataShareRegister" && r.Body.Contains("\"RowKey\":\"meta\"", StringComparison.Ordinal));
        Assert.Equal(Core.Decisions.LegalGatewaySeeds.Names.Count, service.Requests.Count(r => r.Method == "POST" && r.Path == "/DataShareRegister" && r.Body.Contains("\"RowKey\":\"lg!", StringComparison.Ordinal)));
        Assert.Equal("jo.bloggs@contoso.ac.uk", JsonDocument.Parse(marker.Body).RootElement.GetProperty("CreatedBy").GetString());
        Assert.DoesNotContain(service.Requests, r => r.Body.Contains(token, StringComparison.Ordinal));

        // Every later opening in the session (one per cmdlet) keeps it, without asking for another token.
        var asked = credential.Asked.Count;
        using var again = TableRegister.Open(options, new FixedClock(Now), TestRegister.Identity);
        Assert.Equal("jo.bloggs@contoso.ac.uk", again.Info.Actor);
        Assert.Equal(asked, credential.Asked.Count);
    }

    [Fact]
    public void A_token_that_names_no_one_leaves_the_machine_s_user_as_the_actor()
    {
        var options = new TableRegisterOptions
        {
            TableEndpoint = new Uri("https://contosodata.table.core.windows.net"),
            Credential = new RecordingCredential("opaque-token-0123456789"),
            Transport = new HttpClientTransport(new HttpClient(new StandInTableService())),
        };

        using var register = TableRegister.Open(options, new FixedClock(Now), TestRegister.Identity, create: true);

        Assert.Equal(TestRegister.Identity.User, register.Info.Actor);
    }

    /// <summary>
    /// Answers what opening a new register asks of the Table service: create the table (it exists), read the
    /// register's marker (none yet), write the marker. Records each request.
    /// </summary>
    private sealed class StandInTableService : HttpMessageHandler
    {
        private readonly List<(string Method, string Path, string? Authorization, string Body)> requests = new();

        public IReadOnlyList<(string Method, string Path, string? Authorization, string Body)> Requests
        {
            get
            {
                lock (requests)
                {
                    return requests.ToList();
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        // The register's client calls the service synchronously.
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : request.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
            var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
            lock (requests)
            {
                requests.Add((request.Method.Method, path, request.Headers.Authorization?.ToString(), body));
            }

            return (request.Method.Method, path) switch
            {
                ("POST", "/Tables") => Error(HttpStatusCode.Conflict, "TableAlreadyExists"),
                ("GET", "/DataShareRegister(PartitionKey='main',RowKey='meta')") => Error(HttpStatusCode.NotFound, "ResourceNotFound"),
                ("POST", "/DataShareRegister") => new HttpResponseMessage(HttpStatusCode.NoContent),
                _ => Error(HttpStatusCode.BadRequest, "UnexpectedRequest"),
            };
        }

        private static HttpResponseMessage Error(HttpStatusCode status, string code)
        {
            var response = new HttpResponseMessage(status)
            {
                Content = new StringContent($"{{\"odata.error\":{{\"code\":\"{code}\",\"message\":{{\"lang\":\"en-US\",\"value\":\"{code}\"}}}}}}", Encoding.UTF8, "application/json"),
            };
            response.Headers.Add("x-ms-error-code", code);
            return response;
        }
    }
}
