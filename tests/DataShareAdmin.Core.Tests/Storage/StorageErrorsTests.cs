using System;
using Azure;
using DataShareAdmin.Core.Storage;

namespace DataShareAdmin.Core.Tests.Storage;

public sealed class StorageErrorsTests
{
    // What Azure.Core made of Azurite 3.37's answer to an API version it does not know (as read from the SDK).
    private const string AzuriteApiVersion =
        "The API version 2026-10-06 is not supported by Azurite. Please upgrade Azurite to latest version and retry. If you are using Azurite in Visual Studio, please check you have installed latest Visual Studio patch. Azurite command line parameter \"--skipApiVersionCheck\" or Visual Studio Code configuration \"Skip Api Version Check\" can skip this error. \n" +
        "RequestId:8b36a217-c0c1-4d10-ad1e-3ff8cda7431d\n" +
        "Time:2026-12-07T16:49:57.103Z\n" +
        "Status: 400 (The API version 2026-10-06 is not supported by Azurite. Please upgrade Azurite to latest version and retry.)\n" +
        "ErrorCode: InvalidHeaderValue\n\n" +
        "Content:\n<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Error>\n  <Code>InvalidHeaderValue</Code>\n</Error>\n\n" +
        "Headers:\nServer: Azurite-Blob/3.37.0\nx-ms-error-code: InvalidHeaderValue\n";

    [Fact]
    public void The_service_s_own_message_is_kept_without_the_request_dump()
    {
        var text = StorageErrors.Describe(new RequestFailedException(400, AzuriteApiVersion, "InvalidHeaderValue", null));

        Assert.StartsWith("400 InvalidHeaderValue: The API version 2026-10-06 is not supported by Azurite.", text, StringComparison.Ordinal);
        Assert.Contains("--skipApiVersionCheck", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Headers", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<Error>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_without_a_body_falls_back_to_the_status_line_s_reason()
    {
        const string headOnly = "Service request failed.\nStatus: 404 (The specified container does not exist.)\nErrorCode: ContainerNotFound\n\nHeaders:\nx-ms-error-code: ContainerNotFound\n";
        Assert.Equal("404 ContainerNotFound: The specified container does not exist.",
            StorageErrors.Describe(new RequestFailedException(404, headOnly, "ContainerNotFound", null)));
        Assert.Equal("503 ServerBusy", StorageErrors.Describe(new RequestFailedException(503, "Service request failed.", "ServerBusy", null)));
        Assert.Equal("500", StorageErrors.Describe(new RequestFailedException(500, string.Empty, null, null)));
    }

    [Fact]
    public void A_signature_quoted_by_a_service_never_reaches_the_message()
    {
        const string echoed = "Signature did not match. String to sign used was https://x.blob.core.windows.net/c?sv=2025-01-05&sig=AbC%2Bsecret%3D&se=2026 and sig=plain+secret==\nRequestId:1\n";
        var text = StorageErrors.Describe(new RequestFailedException(403, echoed, "AuthenticationFailed", null));
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("sig=(removed)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_message_is_cut_to_a_readable_length()
    {
        var text = StorageErrors.Describe(new RequestFailedException(400, new string('x', 5000), "Odd", null));
        Assert.True(text.Length <= 520, $"{text.Length} characters");
        Assert.EndsWith("…", text, StringComparison.Ordinal);
    }
}
