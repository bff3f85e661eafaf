using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataShareAdmin.Core.Dbs;

namespace DataShareAdmin.Core.Tests.Dbs;

public sealed class DbsUpdateServiceClientTests
{
    private const string Number = "012345678901";

    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    /// <summary>Text that must never appear in an exception: every personal value and the shape of the request.</summary>
    private static readonly string[] Forbidden =
    {
        Number, "2345678901", "O'Brien", "Brien", "O%27Brien", "03/07/1985", "03%2F07%2F1985", "1985",
        "Zoë", "Zo%C3%AB", "Müller", "M%C3%BCller", "Smith & Jones", "Smith%20%26", "crsc", "dateOfBirth", "surname=",
    };

    private static DbsStatusRequest NewRequest() => new()
    {
        CertificateNumber = Number,
        DateOfBirth = new DateTime(1985, 7, 3),
        Surname = "O'Brien-Smith",
        OrganisationName = "Smith & Jones Ltd",
        CheckerForename = "Zoë",
        CheckerSurname = "Müller",
    };

    private static void AssertNoPersonalData(Exception error)
    {
        var text = error.ToString();
        foreach (var value in Forbidden)
        {
            Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<DataShareException> CheckFailsAsync(FakeDbsServer server, TimeSpan? timeout = null)
    {
        using var client = new DbsUpdateServiceClient(server.BaseUri, timeout: timeout);
        var error = await Assert.ThrowsAsync<DataShareException>(() => client.CheckAsync(NewRequest(), CancellationToken.None));
        AssertNoPersonalData(error);
        return error;
    }

    [Theory]
    [InlineData("BLANK_NO_NEW_INFO", DbsCertificateStatus.BlankNoNewInfo, true)]
    [InlineData("NON_BLANK_NO_NEW_INFO", DbsCertificateStatus.NonBlankNoNewInfo, true)]
    [InlineData("NEW_INFO", DbsCertificateStatus.NewInfo, false)]
    [InlineData("NO_MATCH_FOUND", DbsCertificateStatus.NoMatchFound, false)]
    public async Task Each_status_maps_to_its_result(string statusText, DbsCertificateStatus expected, bool passes)
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", statusText));
        using var client = new DbsUpdateServiceClient(server.BaseUri);

        var result = await client.CheckAsync(NewRequest(), CancellationToken.None);

        Assert.Equal(expected, result.Status);
        Assert.Equal(statusText, result.StatusText);
        Assert.Equal(passes, result.Passes);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    public async Task The_request_path_and_every_parameter_are_exact_whatever_the_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO"));
            using var client = new DbsUpdateServiceClient(server.BaseUri);

            await client.CheckAsync(NewRequest(), CancellationToken.None);

            var request = Assert.Single(server.Requests);
            Assert.Equal("GET", request.Method);
            Assert.Equal("/crsc/api/status/012345678901", request.Path);
            Assert.Equal(
                new[]
                {
                    ("dateOfBirth", "03%2F07%2F1985"),
                    ("surname", "O%27Brien-Smith"),
                    ("hasAgreedTermsAndConditions", "true"),
                    ("organisationName", "Smith%20%26%20Jones%20Ltd"),
                    ("employeeSurname", "M%C3%BCller"),
                    ("employeeForename", "Zo%C3%AB"),
                },
                request.RawParameters.Select(p => (p.Key, p.Value)).ToArray());

            // Decoded, they are the values given.
            var decoded = request.RawParameters.ToDictionary(p => p.Key, p => Uri.UnescapeDataString(p.Value));
            Assert.Equal("03/07/1985", decoded["dateOfBirth"]);
            Assert.Equal("O'Brien-Smith", decoded["surname"]);
            Assert.Equal("Smith & Jones Ltd", decoded["organisationName"]);
            Assert.Equal("Müller", decoded["employeeSurname"]);
            Assert.Equal("Zoë", decoded["employeeForename"]);
            Assert.Contains("xml", request.Headers["Accept"], StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("/prefix")]
    [InlineData("/prefix/")]
    [InlineData("/a/b/")]
    public async Task A_base_uri_path_prefix_is_honoured(string prefix)
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "NEW_INFO"));
        using var client = new DbsUpdateServiceClient(new Uri($"http://127.0.0.1:{server.Port}{prefix}"));

        await client.CheckAsync(NewRequest(), CancellationToken.None);

        Assert.Equal(prefix.TrimEnd('/') + "/crsc/api/status/012345678901", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task A_base_uri_without_a_trailing_slash_works()
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "NEW_INFO"));
        using var client = new DbsUpdateServiceClient(new Uri($"http://127.0.0.1:{server.Port}"));

        await client.CheckAsync(NewRequest(), CancellationToken.None);

        Assert.Equal("/crsc/api/status/012345678901", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task An_answer_in_a_namespace_with_elements_in_another_order_parses()
    {
        const string body =
            "<?xml version=\"1.0\"?>\n" +
            "<ns2:statusCheckResult xmlns:ns2=\"http://www.crb.gov.uk/crsc/api\">\n" +
            "  <!-- a comment -->\n" +
            "  <ns2:status> NON_BLANK_NO_NEW_INFO </ns2:status>\n" +
            "  <ns2:printDate>01/02/2023</ns2:printDate>\n" +
            "  <ns2:forename>JANE</ns2:forename>\n" +
            "  <ns2:extra><ns2:nested>x</ns2:nested></ns2:extra>\n" +
            "  <ns2:statusCheckResultType>SUCCESS</ns2:statusCheckResultType>\n" +
            "</ns2:statusCheckResult>";
        using var server = new FakeDbsServer(FakeAnswer.Xml(body));
        using var client = new DbsUpdateServiceClient(server.BaseUri);

        var result = await client.CheckAsync(NewRequest(), CancellationToken.None);

        Assert.Equal(DbsCertificateStatus.NonBlankNoNewInfo, result.Status);
        Assert.Equal("NON_BLANK_NO_NEW_INFO", result.StatusText);
        Assert.True(result.Passes);
    }

    [Fact]
    public async Task A_default_namespace_parses()
    {
        using var server = new FakeDbsServer(FakeAnswer.Xml(
            "<statusCheckResult xmlns=\"urn:dbs\"><statusCheckResultType>SUCCESS</statusCheckResultType><status>NO_MATCH_FOUND</status></statusCheckResult>"));
        using var client = new DbsUpdateServiceClient(server.BaseUri);

        var result = await client.CheckAsync(NewRequest(), CancellationToken.None);

        Assert.Equal(DbsCertificateStatus.NoMatchFound, result.Status);
        Assert.False(result.Passes);
    }

    [Fact]
    public async Task A_failure_result_type_is_an_invalid_answer()
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("FAILURE", "BLANK_NO_NEW_INFO"));

        var error = await CheckFailsAsync(server);

        Assert.Equal("DbsCheckAnswerInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidData, error.Category);
        Assert.Contains("FAILURE", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not xml at all")]
    [InlineData("")]
    [InlineData("<html><body>Service maintenance</body></html>")]
    [InlineData("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>BLANK_NO_NEW_INFO</status>")]
    [InlineData("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType></statusCheckResult>")]
    [InlineData("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status></status></statusCheckResult>")]
    [InlineData("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>EXPIRED</status></statusCheckResult>")]
    [InlineData("<statusCheckResult><status>BLANK_NO_NEW_INFO</status></statusCheckResult>")]
    [InlineData("<statusCheckResult><statusCheckResultType>MAYBE</statusCheckResultType><status>BLANK_NO_NEW_INFO</status></statusCheckResult>")]
    [InlineData("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>BLANK_NO_NEW_INFO</status><status>NEW_INFO</status></statusCheckResult>")]
    [InlineData("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status><b>NEW_INFO</b></status></statusCheckResult>")]
    public async Task An_unreadable_or_incomplete_answer_is_invalid(string body)
    {
        using var server = new FakeDbsServer(FakeAnswer.Xml(body));

        var error = await CheckFailsAsync(server);

        Assert.Equal("DbsCheckAnswerInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidData, error.Category);
    }

    [Fact]
    public async Task A_document_type_declaration_is_refused()
    {
        const string body =
            "<?xml version=\"1.0\"?><!DOCTYPE statusCheckResult [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
            "<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>&xxe;</status></statusCheckResult>";
        using var server = new FakeDbsServer(FakeAnswer.Xml(body));

        var error = await CheckFailsAsync(server);

        Assert.Equal("DbsCheckAnswerInvalid", error.ErrorId);
        Assert.DoesNotContain("root:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_over_64_KB_is_invalid()
    {
        var body = new StringBuilder("<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>BLANK_NO_NEW_INFO</status><padding>")
            .Append('x', 70 * 1024)
            .Append("</padding></statusCheckResult>")
            .ToString();
        using var server = new FakeDbsServer(FakeAnswer.Xml(body));

        var error = await CheckFailsAsync(server);

        Assert.Equal("DbsCheckAnswerInvalid", error.ErrorId);
        Assert.Contains("64 KB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "Internal Server Error")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(404, "Not Found")]
    [InlineData(302, "Found")]
    public async Task An_http_error_fails_with_the_status_code_and_no_personal_data(int code, string reason)
    {
        using var server = new FakeDbsServer(new FakeAnswer(code, reason, "<error>O'Brien-Smith 012345678901</error>"));

        var error = await CheckFailsAsync(server);

        Assert.Equal("DbsCheckFailed", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.ResourceUnavailable, error.Category);
        Assert.Contains($"answered {code} {reason}", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        using var server = new FakeDbsServer(FakeAnswer.Never());

        var started = DateTime.UtcNow;
        var error = await CheckFailsAsync(server, ShortTimeout);

        Assert.Equal("DbsCheckTimeout", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.ResourceUnavailable, error.Category);
        Assert.Contains("300 ms", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_server_that_stops_in_the_middle_of_the_answer_times_out()
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO") with { HangAfterHeaders = true });

        var error = await CheckFailsAsync(server, ShortTimeout);

        Assert.Equal("DbsCheckTimeout", error.ErrorId);
    }

    [Fact]
    public async Task The_timeout_of_an_http_client_passed_in_counts_as_a_timeout()
    {
        using var server = new FakeDbsServer(FakeAnswer.Never());
        using var http = new HttpClient { Timeout = ShortTimeout };
        using var client = new DbsUpdateServiceClient(server.BaseUri, http);

        var error = await Assert.ThrowsAsync<DataShareException>(() => client.CheckAsync(NewRequest(), CancellationToken.None));

        Assert.Equal("DbsCheckTimeout", error.ErrorId);
        AssertNoPersonalData(error);
    }

    [Fact]
    public async Task Caller_cancellation_is_an_operation_cancelled_exception()
    {
        using var server = new FakeDbsServer(FakeAnswer.Never());
        using var client = new DbsUpdateServiceClient(server.BaseUri, timeout: TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CheckAsync(NewRequest(), cancellation.Token));

        Assert.Equal(cancellation.Token, error.CancellationToken);
        AssertNoPersonalData(error);
    }

    [Fact]
    public async Task Caller_cancellation_while_the_answer_is_read_is_an_operation_cancelled_exception()
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO") with { HangAfterHeaders = true });
        using var client = new DbsUpdateServiceClient(server.BaseUri, timeout: TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CheckAsync(NewRequest(), cancellation.Token));
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO"));
        using var client = new DbsUpdateServiceClient(server.BaseUri);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CheckAsync(NewRequest(), cancellation.Token));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_refused_connection_fails()
    {
        using var client = new DbsUpdateServiceClient(new Uri($"http://127.0.0.1:{FakeDbsServer.ClosedPort()}/"), timeout: TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<DataShareException>(() => client.CheckAsync(NewRequest(), CancellationToken.None));

        Assert.Equal("DbsCheckFailed", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.ResourceUnavailable, error.Category);
        Assert.Null(error.InnerException);
        AssertNoPersonalData(error);
    }

    [Theory]
    [InlineData("01234567890")]
    [InlineData("0123456789012")]
    [InlineData("01234567890A")]
    [InlineData("")]
    [InlineData("０１２３４５６７８９０１")]
    public async Task A_certificate_number_that_is_not_12_digits_is_refused_without_a_call(string number)
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO"));
        using var client = new DbsUpdateServiceClient(server.BaseUri);
        var request = NewRequest();
        request.CertificateNumber = number;

        var error = await Assert.ThrowsAsync<DataShareException>(() => client.CheckAsync(request, CancellationToken.None));

        Assert.Equal("DbsCheckRequestInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
        if (number.Length > 0)
        {
            Assert.DoesNotContain(number, error.Message, StringComparison.Ordinal);
        }

        AssertNoPersonalData(error);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(nameof(DbsStatusRequest.Surname))]
    [InlineData(nameof(DbsStatusRequest.OrganisationName))]
    [InlineData(nameof(DbsStatusRequest.CheckerForename))]
    [InlineData(nameof(DbsStatusRequest.CheckerSurname))]
    [InlineData(nameof(DbsStatusRequest.DateOfBirth))]
    public async Task A_missing_field_is_refused_without_a_call(string field)
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO"));
        using var client = new DbsUpdateServiceClient(server.BaseUri);
        var request = NewRequest();
        switch (field)
        {
            case nameof(DbsStatusRequest.Surname): request.Surname = "  "; break;
            case nameof(DbsStatusRequest.OrganisationName): request.OrganisationName = string.Empty; break;
            case nameof(DbsStatusRequest.CheckerForename): request.CheckerForename = null!; break;
            case nameof(DbsStatusRequest.CheckerSurname): request.CheckerSurname = "\t"; break;
            default: request.DateOfBirth = default; break;
        }

        var error = await Assert.ThrowsAsync<DataShareException>(() => client.CheckAsync(request, CancellationToken.None));

        Assert.Equal("DbsCheckRequestInvalid", error.ErrorId);
        AssertNoPersonalData(error);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("http://secure.crbonline.gov.uk")]
    [InlineData("http://192.168.1.10:8080/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("https://secure.crbonline.gov.uk/?a=b")]
    public void A_base_uri_that_is_not_https_or_loopback_is_refused(string uri)
    {
        var error = Assert.Throws<DataShareException>(() => new DbsUpdateServiceClient(new Uri(uri)));

        Assert.Equal("DbsServiceUriInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
    }

    [Theory]
    [InlineData("https://secure.crbonline.gov.uk")]
    [InlineData("https://example.org/dbs/")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://localhost/")]
    [InlineData("http://[::1]:5000/")]
    public void An_https_or_loopback_base_uri_is_accepted(string uri)
    {
        using var client = new DbsUpdateServiceClient(new Uri(uri));
    }

    [Fact]
    public void The_default_base_uri_is_the_live_service()
    {
        Assert.Equal(new Uri("https://secure.crbonline.gov.uk"), DbsUpdateServiceClient.DefaultBaseUri);
        using var client = new DbsUpdateServiceClient(DbsUpdateServiceClient.DefaultBaseUri);
        Assert.Equal(
            "https://secure.crbonline.gov.uk/crsc/api/status/012345678901?dateOfBirth=03%2F07%2F1985&surname=O%27Brien-Smith&hasAgreedTermsAndConditions=true&organisationName=Smith%20%26%20Jones%20Ltd&employeeSurname=M%C3%BCller&employeeForename=Zo%C3%AB",
            client.BuildRequestUri(NewRequest()).AbsoluteUri);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_timeout_that_is_not_positive_is_refused(int milliseconds)
    {
        var error = Assert.Throws<DataShareException>(() => new DbsUpdateServiceClient(DbsUpdateServiceClient.DefaultBaseUri, timeout: TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal("DbsServiceTimeoutInvalid", error.ErrorId);
    }

    [Fact]
    public async Task An_http_client_passed_in_is_not_disposed_with_the_client()
    {
        using var server = new FakeDbsServer(FakeAnswer.Status("SUCCESS", "BLANK_NO_NEW_INFO"));
        using var http = new HttpClient();
        using (var client = new DbsUpdateServiceClient(server.BaseUri, http))
        {
            await client.CheckAsync(NewRequest(), CancellationToken.None);
        }

        using var again = new DbsUpdateServiceClient(server.BaseUri, http);
        var result = await again.CheckAsync(NewRequest(), CancellationToken.None);
        Assert.True(result.Passes);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_disposed_client_refuses_to_check()
    {
        var client = new DbsUpdateServiceClient(DbsUpdateServiceClient.DefaultBaseUri);
        client.Dispose();
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CheckAsync(NewRequest(), CancellationToken.None));
    }
}
