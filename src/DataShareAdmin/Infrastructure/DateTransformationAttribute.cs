using System;
using System.Diagnostics;
using System.Management.Automation;
using DataShareAdmin.Core;

namespace DataShareAdmin.Commands;

/// <summary>
/// Reads a date given as text in the one order the user meant, before PowerShell's own conversion (which reads
/// 05/03/2026 month first, whatever the register's users write) can guess. Year-first dates and month names are read as
/// they are; a numeric date with the year last is read as the register's policy DateOrder says (day first by default);
/// anything ambiguous or not a date is refused (DateAmbiguous, DateInvalid in the message), never guessed. DateTime and
/// DateTimeOffset values pass through; a number is refused (PowerShell would read it as ticks).
/// </summary>
/// <remarks>Put it on every date parameter of every cmdlet: a Pester test checks that none is missed.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DateTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>How long the policy's DateOrder, once read, is used for the next dates without reading it again.</summary>
    private static readonly long Freshness = Stopwatch.Frequency * 5;

    /// <summary>True for a moment in time (-After, -Before): a zone in the text moves it to UTC. False for a calendar date.</summary>
    public bool Instant { get; set; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null:
                return null;
            case DateTime:
                return value;
            case DateTimeOffset offset:
                return Instant ? offset.UtcDateTime : offset.DateTime;
            case string text:
                return string.IsNullOrWhiteSpace(text) ? null : Parse(text, Instant);
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal:
                throw new ArgumentTransformationMetadataException(
                    $"{value} is a number, not a date (PowerShell would read it as ticks). Write dates as 2026-03-05 or 5 March 2026.",
                    new DataShareException("DateInvalid", DataShareErrorCategory.InvalidArgument, $"{value} is a number, not a date.", value));
            default:
                return inputData;
        }
    }

    private static DateTime Parse(string text, bool instant)
    {
        try
        {
            return Core.Time.DateInput.Parse(text, CurrentOrder(), instant);
        }
        catch (DataShareException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }

    /// <summary>
    /// The session register's DateOrder, read from its policy (read-only) and kept a few seconds so a pipeline of rows
    /// opens the register once; read again for another register, and at once after Set-DataSharePolicy in this session.
    /// A register that cannot be opened yet (none made so far) has the default policy.
    /// </summary>
    private static Core.Time.DateOrder CurrentOrder()
    {
        var settings = SessionSettings.Current();
        var now = Stopwatch.GetTimestamp();
        if (settings.DateOrderRead is { } read && read.Register == settings.RegisterPath && ReferenceEquals(read.Table, settings.Table)
            && now - read.ReadAt < Freshness)
        {
            return read.Order;
        }

        var order = Core.Time.DateOrder.DayMonthYear;
        try
        {
            var options = settings.ToEngineOptions();
            options.ReadOnly = true;
            using var engine = DataShareEngine.Open(options);
            order = engine.Policy.DateOrder();
        }
        catch (DataShareException)
        {
            // No register yet, or it cannot be opened: the cmdlet reports that itself; until then the default applies.
        }

        settings.DateOrderRead = new DateOrderRead(settings.RegisterPath, settings.Table, now, order);
        return order;
    }
}

/// <summary>The policy's DateOrder as read for one register at one moment.</summary>
internal sealed class DateOrderRead
{
    public DateOrderRead(string? register, Core.Register.TableRegisterOptions? table, long readAt, Core.Time.DateOrder order)
    {
        Register = register;
        Table = table;
        ReadAt = readAt;
        Order = order;
    }

    public string? Register { get; }

    public Core.Register.TableRegisterOptions? Table { get; }

    public long ReadAt { get; }

    public Core.Time.DateOrder Order { get; }
}
