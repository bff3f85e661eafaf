using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists disclosure certificates: a person's (through a recipient, person id or email), or all.</summary>
[Cmdlet(VerbsCommon.Get, "DisclosureCertificate", DefaultParameterSetName = ByPersonSet)]
[OutputType(typeof(DisclosureCertificate))]
public sealed class GetDisclosureCertificateCommand : DataShareCmdlet
{
    private const string ByPersonSet = "ByPerson";
    private const string ByIdSet = "ById";

    /// <summary>Recipients (RC-…), person ids (PE-…) or emails whose certificates to list.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByPersonSet)]
    [Alias("PersonId", "Email")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string[]? RecipientId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [Alias("CertificateId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only certificates whose number matches (wildcards allowed).</summary>
    [Parameter(ParameterSetName = ByPersonSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateNumberCompleter))]
    public string? Number { get; set; }

    [Parameter(ParameterSetName = ByPersonSet)]
    public CertificateIssuer[]? Issuer { get; set; }

    protected override void ProcessRecord()
    {
        if (Id is not null)
        {
            foreach (var id in Id)
            {
                Run(id, () => WriteObject(Engine.Certificates.Get(id)));
            }

            return;
        }

        if (RecipientId is null)
        {
            Run(null, () => WriteCertificates(null));
            return;
        }

        foreach (var owner in RecipientId)
        {
            Run(owner, () => WriteCertificates(owner));
        }
    }

    private void WriteCertificates(string? owner)
    {
        var number = Number is null ? null : WildcardPattern.Get(Number, WildcardOptions.IgnoreCase);
        var first = true;
        foreach (var certificate in Engine.Certificates.Find(owner))
        {
            // Several recipients of one person piped in: list the person's certificates once.
            if (first && !FirstTime(certificate.PersonId))
            {
                return;
            }

            first = false;
            if ((number is null || number.IsMatch(certificate.Number)) && (Issuer is null || Array.IndexOf(Issuer, certificate.Issuer) >= 0))
            {
                WriteObject(certificate);
            }
        }
    }
}
