using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Agreements: the agreements table, read with the current name of each agreement's organisation.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertAgreementSql = """
        INSERT INTO agreements (id, organisation, organisation_id, title, purpose, legal_gateway, lawful_basis, access_route,
            direct_transfer_justification, starts_on, ends_on, retention_days, data_items, approval_reference, approved_on, approved_by,
            is_suspended, destroyed_on, created_at, created_by, modified_at, version, access_group_ids, officer_name, officer_email,
            category, publication, refused_on, withdrawn_on, closure_reason, suspended_on, suspension_reason, review_interval_months, decision)
        VALUES ($id, $organisation, $organisationId, $title, $purpose, $gateway, $basis, $route, $justification, $starts, $ends, $retention,
            $items, $reference, $approvedOn, $approvedBy, $suspended, $destroyed, $created, $createdBy, $modified, $version, $groups,
            $officerName, $officerEmail, $category, $publication, $refusedOn, $withdrawnOn, $closureReason, $suspendedOn, $suspensionReason, $reviewInterval, $decision)
        """;

    private const string UpdateAgreementSql = """
            UPDATE agreements SET organisation = $organisation, organisation_id = $organisationId, title = $title, purpose = $purpose,
                legal_gateway = $gateway, lawful_basis = $basis, access_route = $route, direct_transfer_justification = $justification, starts_on = $starts, ends_on = $ends, retention_days = $retention,
                data_items = $items, approval_reference = $reference, approved_on = $approvedOn, approved_by = $approvedBy,
                is_suspended = $suspended, destroyed_on = $destroyed, modified_at = $modified, version = $version,
                access_group_ids = $groups, officer_name = $officerName, officer_email = $officerEmail,
                category = $category, publication = $publication, refused_on = $refusedOn, withdrawn_on = $withdrawnOn, closure_reason = $closureReason,
                suspended_on = $suspendedOn, suspension_reason = $suspensionReason, review_interval_months = $reviewInterval,
                decision = $decision
            WHERE id = $id AND version = $expected
            """;

    // The organisation's current name comes from its record; the agreement's own column keeps the name it was written with.
    private const string AgreementSelect = "SELECT a.*, o.name AS organisation_name FROM agreements a LEFT JOIN organisations o ON o.id = a.organisation_id";

    public DataShareAgreement? FindAgreement(string id) => First(Query(AgreementSelect + " WHERE a.id = $id", ReadAgreement, ("$id", id)));

    public IEnumerable<DataShareAgreement> ListAgreements() => Query(AgreementSelect + " ORDER BY a.id", ReadAgreement);

    public void InsertAgreement(DataShareAgreement agreement, AuditEvent audit) => Write(audit, transaction =>
    {
        agreement.Version = 1;
        var inserted = TryExecute(transaction, InsertAgreementSql, AgreementParameters(agreement));
        if (!inserted)
        {
            throw new DataShareException("AgreementExists", DataShareErrorCategory.ResourceExists,
                $"An agreement with id '{agreement.Id}' already exists. Use Set-DataShareAgreement to change it.", agreement.Id);
        }
    });

    public void UpdateAgreement(DataShareAgreement agreement, AuditEvent audit) => Write(audit, transaction =>
    {
        WriteAgreement(transaction, agreement);
        agreement.Version++;
    });

    private static (string, object?)[] AgreementParameters(DataShareAgreement a) => new (string, object?)[]
    {
        ("$id", a.Id), ("$organisation", a.Organisation), ("$organisationId", a.OrganisationId), ("$title", a.Title), ("$purpose", a.Purpose),
        ("$gateway", a.LegalGateway), ("$basis", a.LawfulBasis), ("$route", a.AccessRoute.ToString()), ("$justification", a.DirectTransferJustification), ("$starts", DateText.FormatDate(a.StartsOn)),
        ("$ends", DateText.FormatDate(a.EndsOn)), ("$retention", a.RetentionDays), ("$items", DataItemJson.Write(a.DataItems)),
        ("$reference", a.ApprovalReference), ("$approvedOn", DateText.FormatDate(a.ApprovedOn)), ("$approvedBy", a.ApprovedBy),
        ("$suspended", a.IsSuspended ? 1 : 0), ("$destroyed", DateText.FormatDate(a.DestroyedOn)),
        ("$created", DateText.FormatInstant(a.CreatedAt)), ("$createdBy", a.CreatedBy), ("$modified", DateText.FormatInstant(a.ModifiedAt)),
        ("$version", a.Version), ("$groups", a.AccessGroupIds.Length == 0 ? null : string.Join(";", a.AccessGroupIds)),
        ("$officerName", a.OfficerName), ("$officerEmail", a.OfficerEmail),
        ("$category", a.Category.ToString()), ("$publication", PublicationJson.Write(a)), ("$refusedOn", DateText.FormatDate(a.RefusedOn)),
        ("$withdrawnOn", DateText.FormatDate(a.WithdrawnOn)), ("$closureReason", a.ClosureReason),
        ("$reviewInterval", a.ReviewIntervalMonths),
        ("$suspendedOn", DateText.FormatDate(a.SuspendedOn)), ("$suspensionReason", a.SuspensionReason),
        ("$decision", DecisionJson.Write(a.Decision)),
    };

    private static DataShareAgreement ReadAgreement(SqliteDataReader r)
    {
        var agreement = ReadAgreementTerms(r);
        agreement.Category = (AgreementCategory)Enum.Parse(typeof(AgreementCategory), Text(r, "category")!);
        agreement.RefusedOn = DateText.ParseOptionalDate(Text(r, "refused_on"));
        agreement.WithdrawnOn = DateText.ParseOptionalDate(Text(r, "withdrawn_on"));
        agreement.ClosureReason = Text(r, "closure_reason");
        var interval = r.GetOrdinal("review_interval_months");
        agreement.ReviewIntervalMonths = r.IsDBNull(interval) ? null : r.GetInt32(interval);
        agreement.SuspendedOn = DateText.ParseOptionalDate(Text(r, "suspended_on"));
        agreement.SuspensionReason = Text(r, "suspension_reason");
        agreement.Decision = DecisionJson.Read(Text(r, "decision"));
        PublicationJson.Read(Text(r, "publication"), agreement);
        return agreement;
    }

    private static DataShareAgreement ReadAgreementTerms(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        Organisation = Text(r, "organisation_name") ?? Text(r, "organisation")!,
        OrganisationId = Text(r, "organisation_id"),
        Title = Text(r, "title")!,
        Purpose = Text(r, "purpose")!,
        LegalGateway = Text(r, "legal_gateway")!,
        LawfulBasis = Text(r, "lawful_basis")!,
        AccessRoute = (AccessRoute)Enum.Parse(typeof(AccessRoute), Text(r, "access_route")!),
        DirectTransferJustification = Text(r, "direct_transfer_justification"),
        AccessGroupIds = Text(r, "access_group_ids") is { Length: > 0 } groups ? groups.Split(';') : Array.Empty<string>(),
        OfficerName = Text(r, "officer_name"),
        OfficerEmail = Text(r, "officer_email"),
        StartsOn = DateText.ParseDate(Text(r, "starts_on")!),
        EndsOn = DateText.ParseDate(Text(r, "ends_on")!),
        RetentionDays = r.GetInt32(r.GetOrdinal("retention_days")),
        DataItems = DataItemJson.Read(Text(r, "data_items")!),
        ApprovalReference = Text(r, "approval_reference"),
        ApprovedOn = DateText.ParseOptionalDate(Text(r, "approved_on")),
        ApprovedBy = Text(r, "approved_by"),
        IsSuspended = r.GetInt64(r.GetOrdinal("is_suspended")) != 0,
        DestroyedOn = DateText.ParseOptionalDate(Text(r, "destroyed_on")),
        CreatedAt = DateText.ParseInstant(Text(r, "created_at")!),
        CreatedBy = Text(r, "created_by")!,
        ModifiedAt = DateText.ParseInstant(Text(r, "modified_at")!),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    private void RestoreAgreement(SqliteTransaction transaction, DataShareAgreement a) => Execute(transaction, InsertAgreementSql, AgreementParameters(a));
}
