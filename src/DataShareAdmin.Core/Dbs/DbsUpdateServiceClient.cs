using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;

namespace DataShareAdmin.Core.Dbs;

/// <summary>
/// Checks standard and enhanced certificates on the DBS Update Service
/// (<c>GET {base}/crsc/api/status/{number}?dateOfBirth=…</c>, XML answer).
/// </summary>
/// <remarks>
/// <para>
/// Every field of a request is personal data, and the service puts all of them in the query string. So no exception
/// message this client throws names the request URI, its query, the certificate number, a name or the date of birth,
/// and no inner exception is attached (transport and XML exceptions can quote URIs or the answer's text).
/// </para>
/// <para>
/// There is no retry, on 503 or on a timeout, on purpose: a status check is cheap to repeat by rerunning the command,
/// and a client that retries on its own only adds load to a service that is already failing. Redirects are not
/// followed by the HttpClient this client creates (the query carries personal data, and the API does not redirect):
/// a 3xx answer is a failure.
/// </para>
/// <para>
/// The client owns, and disposes, only the HttpClient it creates; one passed in stays the caller's. An HttpClient
/// passed in should not follow redirects either; if it has a Timeout of its own, that timeout also counts as
/// DbsCheckTimeout.
/// </para>
/// </remarks>
public sealed class DbsUpdateServiceClient : IDbsStatusClient, IDisposable
{
    /// <summary>The live service, for when policy does not name another.</summary>
    public static readonly Uri DefaultBaseUri = new("https://secure.crbonline.gov.uk");

    /// <summary>How long a check may take, answer included, when the constructor is not told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most of an answer that is read; a status answer is a few hundred bytes.</summary>
    internal const int MaxAnswerBytes = 64 * 1024;

    private const string StatusPath = "crsc/api/status/";

    private readonly string _baseText;
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly TimeSpan _timeout;
    private int _disposed;

    /// <param name="baseUri">
    /// The service root, e.g. <see cref="DefaultBaseUri"/>; a path prefix and a trailing slash are allowed. Must be
    /// HTTPS unless the host is loopback (tests).
    /// </param>
    /// <param name="httpClient">An HttpClient to use (not disposed by this client); null to create and own one.</param>
    /// <param name="timeout">How long a check may take in all; null for <see cref="DefaultTimeout"/>.</param>
    public DbsUpdateServiceClient(Uri baseUri, HttpClient? httpClient = null, TimeSpan? timeout = null)
    {
        _baseText = ValidateBaseUri(baseUri);

        var effectiveTimeout = timeout ?? DefaultTimeout;
        if (effectiveTimeout <= TimeSpan.Zero && effectiveTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new DataShareException(
                "DbsServiceTimeoutInvalid",
                DataShareErrorCategory.InvalidArgument,
                "The DBS Update Service timeout must be more than zero.");
        }

        _timeout = effectiveTimeout;
        if (httpClient is null)
        {
            _httpClient = CreateHttpClient();
            _ownsHttpClient = true;
        }
        else
        {
            _httpClient = httpClient;
            _ownsHttpClient = false;
        }
    }

    /// <inheritdoc />
    public async Task<DbsStatusResult> CheckAsync(DbsStatusRequest request, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(DbsUpdateServiceClient));
        }

        var requestUri = BuildRequestUri(request);
        cancellationToken.ThrowIfCancellationRequested();

        using var timeoutCts = new CancellationTokenSource();
        using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            timeoutCts.CancelAfter(_timeout);
        }

        var token = linkedCts.Token;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, requestUri);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/xml"));

            using var response = await _httpClient
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token)
                .ConfigureAwait(false);

            if (!response.IsSuccessStatusCode)
            {
                throw new DataShareException(
                    "DbsCheckFailed",
                    DataShareErrorCategory.ResourceUnavailable,
                    $"The DBS Update Service answered {DescribeStatus(response)}. The certificate was not checked; try again later.");
            }

            var body = await ReadLimitedAsync(response, token).ConfigureAwait(false);
            return ParseAnswer(body);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && IsTransportOrCancellation(ex))
        {
            throw new OperationCanceledException("The DBS status check was cancelled.", cancellationToken);
        }
        catch (Exception ex) when (IsTransportOrCancellation(ex)
                                   && (timeoutCts.IsCancellationRequested || ex is OperationCanceledException))
        {
            // Our timeout, or the Timeout of an HttpClient passed in (a cancellation nobody asked for).
            throw new DataShareException(
                "DbsCheckTimeout",
                DataShareErrorCategory.ResourceUnavailable,
                $"The DBS Update Service did not answer within {DescribeTimeout(timeoutCts.IsCancellationRequested ? _timeout : _httpClient.Timeout)}. The certificate was not checked; try again later.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new DataShareException(
                "DbsCheckFailed",
                DataShareErrorCategory.ResourceUnavailable,
                $"The DBS Update Service could not be reached ({DescribeTransportFailure(ex)}). The certificate was not checked; try again later.");
        }
    }

    /// <summary>Disposes the HttpClient this client created; one passed in is left alone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    /// <summary>The full request URI. Internal for tests; never write it anywhere.</summary>
    internal Uri BuildRequestUri(DbsStatusRequest request)
    {
        var (number, surname, organisation, checkerSurname, checkerForename) = ValidateRequest(request);

        var builder = new StringBuilder(_baseText.Length + 256);
        builder.Append(_baseText)
            .Append(StatusPath)
            .Append(Uri.EscapeDataString(number))
            .Append("?dateOfBirth=").Append(Uri.EscapeDataString(request.DateOfBirth.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)))
            .Append("&surname=").Append(Uri.EscapeDataString(surname))
            .Append("&hasAgreedTermsAndConditions=true")
            .Append("&organisationName=").Append(Uri.EscapeDataString(organisation))
            .Append("&employeeSurname=").Append(Uri.EscapeDataString(checkerSurname))
            .Append("&employeeForename=").Append(Uri.EscapeDataString(checkerForename));
        return new Uri(builder.ToString(), UriKind.Absolute);
    }

    /// <summary>Reads an answer body. Internal for tests.</summary>
    internal static DbsStatusResult ParseAnswer(byte[] body)
    {
        string? resultType = null;
        string? status = null;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                IgnoreWhitespace = true,
                MaxCharactersInDocument = MaxAnswerBytes,
                CloseInput = true,
            };

            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "statusCheckResult")
            {
                throw AnswerInvalid("it is not a statusCheckResult");
            }

            if (!reader.IsEmptyElement)
            {
                var depth = reader.Depth;
                reader.Read();
                while (!reader.EOF && reader.Depth > depth)
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        reader.Read();
                        continue;
                    }

                    switch (reader.LocalName)
                    {
                        case "statusCheckResultType":
                            resultType = ReadSingle(reader, resultType, "statusCheckResultType");
                            break;
                        case "status":
                            status = ReadSingle(reader, status, "status");
                            break;
                        default:
                            // forename, surname, printDate and anything added later: not needed, and personal data.
                            reader.Skip();
                            break;
                    }
                }
            }

            // Read to the end so that a truncated or malformed answer is rejected, not half-believed.
            while (reader.Read())
            {
            }
        }
        catch (XmlException)
        {
            throw AnswerInvalid("it is not well-formed XML");
        }
        catch (InvalidOperationException)
        {
            throw AnswerInvalid("it could not be read as XML");
        }

        if (resultType is null)
        {
            throw AnswerInvalid("it has no statusCheckResultType");
        }

        if (string.Equals(resultType, "FAILURE", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataShareException(
                "DbsCheckAnswerInvalid",
                DataShareErrorCategory.InvalidData,
                "The DBS Update Service answered statusCheckResultType FAILURE: it could not carry out the check. The certificate was not checked.");
        }

        if (!string.Equals(resultType, "SUCCESS", StringComparison.OrdinalIgnoreCase))
        {
            throw AnswerInvalid("its statusCheckResultType is neither SUCCESS nor FAILURE");
        }

        if (status is null || status.Length == 0)
        {
            throw AnswerInvalid("it has no status");
        }

        return status.ToUpperInvariant() switch
        {
            "BLANK_NO_NEW_INFO" => new DbsStatusResult(DbsCertificateStatus.BlankNoNewInfo, status),
            "NON_BLANK_NO_NEW_INFO" => new DbsStatusResult(DbsCertificateStatus.NonBlankNoNewInfo, status),
            "NEW_INFO" => new DbsStatusResult(DbsCertificateStatus.NewInfo, status),
            "NO_MATCH_FOUND" => new DbsStatusResult(DbsCertificateStatus.NoMatchFound, status),
            _ => throw AnswerInvalid("its status is not one this module knows"),
        };
    }

    private static string? ReadSingle(XmlReader reader, string? current, string name)
    {
        if (current is not null)
        {
            throw AnswerInvalid($"it has more than one {name}");
        }

        return reader.ReadElementContentAsString().Trim();
    }

    private static DataShareException AnswerInvalid(string why) =>
        new(
            "DbsCheckAnswerInvalid",
            DataShareErrorCategory.InvalidData,
            $"The DBS Update Service's answer could not be used: {why}. The certificate was not checked.");

    private static DataShareException RequestInvalid(string why) =>
        new(
            "DbsCheckRequestInvalid",
            DataShareErrorCategory.InvalidArgument,
            $"The DBS status check cannot be made: {why}.");

    private static (string Number, string Surname, string Organisation, string CheckerSurname, string CheckerForename) ValidateRequest(DbsStatusRequest request)
    {
        if (request is null)
        {
            throw RequestInvalid("no request was given");
        }

        var number = request.CertificateNumber?.Trim() ?? string.Empty;
        if (number.Length != 12 || !IsAsciiDigits(number))
        {
            throw RequestInvalid("the certificate number must be exactly 12 digits");
        }

        // DateTime.MinValue is what an unset date of birth looks like; nobody with a certificate was born before 1900.
        if (request.DateOfBirth.Year < 1900)
        {
            throw RequestInvalid("the date of birth is missing");
        }

        return (
            number,
            Required(request.Surname, "the certificate holder's surname"),
            Required(request.OrganisationName, "the organisation name"),
            Required(request.CheckerSurname, "the checker's surname"),
            Required(request.CheckerForename, "the checker's forename"));
    }

    private static string Required(string? value, string what)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw RequestInvalid($"{what} is missing");
        }

        return trimmed!;
    }

    private static bool IsAsciiDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string ValidateBaseUri(Uri baseUri)
    {
        if (baseUri is null || !baseUri.IsAbsoluteUri)
        {
            throw BaseUriInvalid("it must be an absolute URI");
        }

        var https = string.Equals(baseUri.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
        var http = string.Equals(baseUri.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase);
        if (!https && !(http && baseUri.IsLoopback))
        {
            throw BaseUriInvalid("it must use HTTPS (plain HTTP is only allowed to a loopback address)");
        }

        if (baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0 || baseUri.UserInfo.Length > 0)
        {
            throw BaseUriInvalid("it must not have a query, a fragment or user information");
        }

        // scheme://host[:port]/prefix/ — always ending in one slash, so the status path can be appended.
        var text = baseUri.GetLeftPart(UriPartial.Path);
        return text.TrimEnd('/') + "/";
    }

    private static DataShareException BaseUriInvalid(string why) =>
        new(
            "DbsServiceUriInvalid",
            DataShareErrorCategory.InvalidArgument,
            $"The DBS Update Service address is not valid: {why}.");

    private static HttpClient CreateHttpClient()
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        try
        {
            // The timeout is applied per check (answer included) by a linked CancellationTokenSource.
            return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        }
        catch
        {
            handler.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken token)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > MaxAnswerBytes)
        {
            throw AnswerInvalid($"it is larger than {MaxAnswerBytes / 1024} KB");
        }

        // Disposing the response unblocks a read that does not watch the token (older handlers).
        using var registration = token.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
#if NET
        using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
#else
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
#if NET
            var read = await stream.ReadAsync(chunk.AsMemory(), token).ConfigureAwait(false);
#else
            var read = await stream.ReadAsync(chunk, 0, chunk.Length, token).ConfigureAwait(false);
#endif
            if (read == 0)
            {
                break;
            }

            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw AnswerInvalid($"it is larger than {MaxAnswerBytes / 1024} KB");
            }

            buffer.Write(chunk, 0, read);
        }

        token.ThrowIfCancellationRequested();
        return buffer.ToArray();
    }

    private static bool IsTransportOrCancellation(Exception ex) =>
        ex is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException;

    private static string DescribeStatus(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var reason = SafeReason(response.ReasonPhrase);
        if (reason.Length == 0)
        {
            reason = DefaultReason(response.StatusCode);
        }

        return reason.Length == 0 ? code.ToString(CultureInfo.InvariantCulture) : $"{code} {reason}";
    }

    /// <summary>The reason phrase is the server's text: keep it short and printable.</summary>
    private static string SafeReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var c in reason!.Trim())
        {
            if (builder.Length == 60)
            {
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    private static string DefaultReason(HttpStatusCode code) => code switch
    {
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        _ => string.Empty,
    };

    private static string DescribeTimeout(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return "the time allowed";
        }

        return timeout.TotalSeconds >= 1
            ? $"{timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
            : $"{timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
    }

    /// <summary>What kind of transport failure, without the exception's own text (which may quote the URI).</summary>
    private static string DescribeTransportFailure(Exception ex)
    {
        var kinds = new List<string>();
#if NET
        if (ex is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } hre)
        {
            kinds.Add(hre.HttpRequestError.ToString());
        }
#endif
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException socket)
            {
                kinds.Add(socket.SocketErrorCode.ToString());
                break;
            }

            if (inner is System.Security.Authentication.AuthenticationException)
            {
                kinds.Add("TLS handshake failed");
                break;
            }
        }

        return kinds.Count == 0 ? ex.GetType().Name : string.Join(", ", kinds);
    }
}
