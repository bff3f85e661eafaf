using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Judges certificates on a day: IsValid, Reason, ValidUntil (the last acceptable day), DaysRemaining. Takes
/// certificates, or recipients (all of the person's certificates), from the pipeline.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DisclosureCertificate", DefaultParameterSetName = ByRecipientSet)]
[OutputType(typeof(CertificateTestResult))]
public sealed class TestDisclosureCertificateCommand : DataShareCmdlet
{
    private const string ByRecipientSet = "ByRecipient";
    private const string ByCertificateSet = "ByCertificate";

    /// <summary>Certificate ids (DC-…); certificates piped in bind by their CertificateId.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByCertificateSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateIdCompleter))]
    public string[]? CertificateId { get; set; }

    /// <summary>Recipients (RC-…), person ids or emails: every certificate of the person. All certificates when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByRecipientSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string[]? RecipientId { get; set; }

    /// <summary>The day to judge on; today (in the policy's time zone) by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    /// <summary>Also check standard and enhanced DBS certificates on the DBS Update Service.</summary>
    [Parameter]
    public SwitchParameter Online { get; set; }

    protected override void ProcessRecord()
    {
        if (CertificateId is not null)
        {
            foreach (var id in CertificateId)
            {
                Run(id, () => WriteObject(Engine.Certificates.Test(Engine.Certificates.Get(id), AsOf, Online, this)));
            }

            return;
        }

        foreach (var owner in RecipientId ?? new string?[] { null })
        {
            Run(owner, () =>
            {
                // Online checks record their answer on the certificate: read the list first rather than write under an open reader.
                var certificates = Online ? new List<DisclosureCertificate>(Engine.Certificates.Find(owner)) : Engine.Certificates.Find(owner);
                foreach (var certificate in certificates)
                {
                    // A person on several agreements arrives once per recipient: judge their certificates once.
                    if (!FirstTime(certificate.Id))
                    {
                        continue;
                    }

                    Run(certificate.Id, () => WriteObject(Engine.Certificates.Test(certificate, AsOf, Online, this)));
                }
            });
        }
    }
}
