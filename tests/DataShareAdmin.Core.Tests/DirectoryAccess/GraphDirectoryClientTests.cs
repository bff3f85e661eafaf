using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataShareAdmin.Core.DirectoryAccess;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests.DirectoryAccess;

/// <summary>The real Graph SDK client against the fake Graph on loopback: what it asks, how it reads the answers.</summary>
public sealed class GraphDirectoryClientTests : IDisposable
{
    private const string Guest = "6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    private const string Staff = "0b7e4d2a-9a64-4f0e-8c1f-3a520b7e4d2a";
    private const string Group = "8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90";

    private readonly FakeGraphServer server = new();
    private readonly RecordingCredential credential = new();

    public void Dispose() => server.Dispose();

    private IDirectoryClient Client(bool applicationPermissions = false, params string[] permissions) =>
        credential.Connect(server.GraphEndpoint, applicationPermissions).Create(permissions.Length == 0 ? DirectoryPermissions.Resolve : permissions);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_guest_whose_user_principal_name_is_not_their_mail_is_found_by_mail_with_the_token_and_the_advanced_query_headers()
    {
        server.AddUser(Guest, "jo_example.org#EXT#@contoso.onmicrosoft.com", "jo@example.org", "Guest");
        server.AddUser(Staff, "sam@contoso.ac.uk", "sam@contoso.ac.uk");

        var account = Assert.Single(await Client().FindUsersByEmailAsync("Jo@Example.org", None));

        Assert.Equal((Guest, "jo_example.org#EXT#@contoso.onmicrosoft.com", "jo@example.org", "Guest", true, true),
            (account.ObjectId, account.UserPrincipalName, account.Mail, account.UserType, account.AccountEnabled, account.IsGuest));
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/users"), (request.Method, request.Path));
        Assert.Equal("Bearer " + credential.Token, request.Header("Authorization"));
        Assert.Equal("eventual", request.Header("ConsistencyLevel"));
        Assert.Equal("true", request.Query["$count"]);
        Assert.Contains("userType", request.Query["$select"].Split(','));
        Assert.Contains("accountEnabled", request.Query["$select"].Split(','));
        Assert.Contains("proxyAddresses/any(p:p eq 'smtp:Jo@Example.org')", request.Query["$filter"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_account_with_the_email_is_returned_across_pages_and_an_apostrophe_is_quoted()
    {
        server.PageSize = 1;
        server.AddUser(Guest, "jo_example.org#EXT#@contoso.onmicrosoft.com", "jo@example.org", "Guest");
        server.AddUser(Staff, "jbloggs@contoso.ac.uk", "jbloggs@contoso.ac.uk").ProxyAddresses.Add("smtp:jo@example.org");
        server.AddUser("11111111-2222-3333-4444-555555555555", "other@contoso.ac.uk", "other@contoso.ac.uk");
        server.AddUser("22222222-3333-4444-5555-666666666666", "d.o'neill@contoso.ac.uk", "d.o'neill@contoso.ac.uk");

        var client = Client();
        var accounts = await client.FindUsersByEmailAsync("jo@example.org", None);

        Assert.Equal(new[] { Staff, Guest }, accounts.Select(a => a.ObjectId).OrderBy(id => id).ToArray());
        var requests = server.RequestsTo("/users");
        Assert.Equal(2, requests.Count);
        Assert.Contains("$skiptoken", requests[1].Query.Keys);
        Assert.All(requests, r => Assert.Equal("eventual", r.Header("ConsistencyLevel")));

        var quoted = Assert.Single(await client.FindUsersByEmailAsync("d.o'neill@contoso.ac.uk", None));
        Assert.Equal("d.o'neill@contoso.ac.uk", quoted.UserPrincipalName);
        Assert.Contains("mail eq 'd.o''neill@contoso.ac.uk'", server.RequestsTo("/users").Last().Query["$filter"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegated_sign_in_asks_for_exactly_the_permissions_on_the_endpoint_and_application_sign_in_for_default()
    {
        server.AddUser(Guest, "jo@example.org", "jo@example.org");
        var authority = $"http://127.0.0.1:{server.Port}";

        await Client(false, DirectoryPermissions.UserRead, DirectoryPermissions.GroupMemberRead).GetUserAsync(Guest, None);
        Assert.Equal(new[] { authority + "/User.Read.All", authority + "/GroupMember.Read.All" }, credential.Asked.Last());

        await Client(false, DirectoryPermissions.Notice).GetUserAsync(Guest, None);
        Assert.Equal(new[] { authority + "/Mail.Send" }, credential.Asked.Last());

        await Client(true, DirectoryPermissions.RevokeAccess).GetUserAsync(Guest, None);
        Assert.Equal(new[] { authority + "/.default" }, credential.Asked.Last());
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + credential.Token, r.Header("Authorization")));
    }

    [Fact]
    public async Task A_user_is_read_by_id_and_one_not_there_is_null()
    {
        server.AddUser(Staff, "sam@contoso.ac.uk", "sam@contoso.ac.uk", "Member", enabled: false);
        var client = Client();

        var account = await client.GetUserAsync(Staff, None);
        Assert.Equal((Staff, "sam@contoso.ac.uk", "Member", false), (account!.ObjectId, account.UserPrincipalName, account.UserType, account.AccountEnabled));
        Assert.Contains("accountEnabled", server.RequestsTo("/users/" + Staff).Single().Query["$select"].Split(','));

        Assert.Null(await client.GetUserAsync("99999999-9999-9999-9999-999999999999", None));
    }

    [Fact]
    public async Task A_group_s_members_are_streamed_page_by_page_each_page_read_only_when_needed()
    {
        server.PageSize = 2;
        var ids = Enumerable.Range(1, 5).Select(i => $"00000000-0000-0000-0000-00000000000{i}").ToArray();
        server.AddGroup(Group, ids);
        var client = Client(false, DirectoryPermissions.Readiness);
        var path = $"/groups/{Group}/transitiveMembers";

        var seen = new List<string>();
        var pagesWhenSeen = new List<int>();
        await foreach (var id in client.ListGroupMemberIdsAsync(Group, None))
        {
            seen.Add(id);
            pagesWhenSeen.Add(server.RequestsTo(path).Count);
        }

        Assert.Equal(ids, seen);
        Assert.Equal(new[] { 1, 1, 2, 2, 3 }, pagesWhenSeen);
        var requests = server.RequestsTo(path);
        Assert.Equal(3, requests.Count);
        Assert.Equal("id", requests[0].Query["$select"]);
        Assert.DoesNotContain("$skiptoken", requests[0].Query.Keys);
        Assert.All(requests.Skip(1), r => Assert.Contains("$skiptoken", r.Query.Keys));
        Assert.All(requests, r => Assert.Equal("Bearer " + credential.Token, r.Header("Authorization")));

        // Stopping early reads no further page.
        await foreach (var _ in client.ListGroupMemberIdsAsync(Group, None))
        {
            break;
        }

        Assert.Equal(4, server.RequestsTo(path).Count);
    }

    [Fact]
    public async Task Removing_a_member_is_true_and_removing_one_no_longer_there_is_false()
    {
        server.AddGroup(Group, Guest, Staff);
        var client = Client(false, DirectoryPermissions.RevokeAccess);

        Assert.True(await client.RemoveGroupMemberAsync(Group, Guest, None));
        Assert.False(await client.RemoveGroupMemberAsync(Group, Guest, None));

        Assert.Equal(new[] { Staff }, server.MembersOf(Group));
        var requests = server.RequestsTo($"/groups/{Group}/members/{Guest}/$ref", "DELETE");
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task Blocking_sign_in_patches_account_enabled_false()
    {
        server.AddUser(Guest, "jo_example.org#EXT#@contoso.onmicrosoft.com", "jo@example.org", "Guest");

        await Client(false, DirectoryPermissions.RevokeAccess).BlockSignInAsync(Guest, None);

        Assert.Equal(new[] { (Guest, false) }, server.Patches);
        Assert.False(server.User(Guest).AccountEnabled);
        Assert.Contains("\"accountEnabled\":false", server.RequestsTo("/users/" + Guest, "PATCH").Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_with_retry_after_is_waited_out_and_retried_transparently()
    {
        server.AddUser(Guest, "jo@example.org", "jo@example.org");
        server.ThrottleNext("/users/" + Guest, times: 1, retryAfterSeconds: 1);

        var clock = Stopwatch.StartNew();
        var account = await Client().GetUserAsync(Guest, None);
        clock.Stop();

        Assert.Equal(Guest, account!.ObjectId);
        var requests = server.RequestsTo("/users/" + Guest);
        Assert.Equal(2, requests.Count);
        Assert.Equal("1", requests[1].Header("Retry-Attempt"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"The retry came after {clock.Elapsed}, before Retry-After's second.");
    }

    [Fact]
    public async Task Service_unavailable_twice_is_retried_until_it_answers()
    {
        server.AddGroup(Group, Guest);
        server.FailNext($"/groups/{Group}/members/{Guest}/$ref", 2, 503, retryAfterSeconds: 1);

        Assert.True(await Client(false, DirectoryPermissions.RevokeAccess).RemoveGroupMemberAsync(Group, Guest, None));

        var requests = server.RequestsTo($"/groups/{Group}/members/{Guest}/$ref");
        Assert.Equal(3, requests.Count);
        Assert.Equal(new string?[] { null, "1", "2" }, requests.Select(r => r.Header("Retry-Attempt")).ToArray());
        Assert.Empty(server.MembersOf(Group));
    }

    [Fact]
    public async Task Forbidden_is_directory_access_denied_naming_the_permission_problem()
    {
        server.AddUser(Guest, "jo@example.org", "jo@example.org");
        server.FailNext("/users", 1, 403);

        var error = await Assert.ThrowsAsync<DataShareException>(() => Client().FindUsersByEmailAsync("jo@example.org", None));

        Assert.Equal(("DirectoryAccessDenied", DataShareErrorCategory.PermissionDenied), (error.ErrorId, error.Category));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization_RequestDenied", error.Message, StringComparison.Ordinal);
        Assert.Single(server.RequestsTo("/users"));
    }

    [Fact]
    public async Task A_mail_goes_from_the_sender_s_mailbox_or_the_signed_in_user_s_with_its_recipients_and_sent_items_choice()
    {
        server.AddUser(Staff, "notices@contoso.ac.uk", "notices@contoso.ac.uk");
        var client = Client(false, DirectoryPermissions.Notice);

        await client.SendMailAsync("notices@contoso.ac.uk", new DirectoryMail
        {
            To = new[] { "jo@example.org", "sam@example.org" },
            Cc = new[] { "officer@contoso.ac.uk" },
            Subject = "Data is ready",
            Body = "Link: https://example/x?sig=SECRET",
            SaveToSentItems = false,
        }, None);
        await client.SendMailAsync(null, new DirectoryMail { To = new[] { "jo@example.org" }, Subject = "Agreement ends" }, None);

        Assert.Single(server.RequestsTo("/users/notices@contoso.ac.uk/sendMail", "POST"));
        Assert.Single(server.RequestsTo("/me/sendMail", "POST"));
        var mails = server.Mails;
        Assert.Equal(2, mails.Count);
        var link = mails[0];
        Assert.Equal(("notices@contoso.ac.uk", "Data is ready", "text", "Link: https://example/x?sig=SECRET", (bool?)false),
            (link.Sender, link.Subject, link.ContentType, link.Body, link.SaveToSentItems));
        Assert.Equal(new[] { "jo@example.org", "sam@example.org" }, link.To);
        Assert.Equal(new[] { "officer@contoso.ac.uk" }, link.Cc);
        Assert.Equal((null, "Agreement ends", (bool?)true), (mails[1].Sender, mails[1].Subject, mails[1].SaveToSentItems));
        Assert.Empty(mails[1].Cc);
    }
}
