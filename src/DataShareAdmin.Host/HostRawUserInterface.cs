using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace DataShareAdmin.Host;

/// <summary>
/// A raw UI for a stream, not a screen: the formatter only needs a width. Console.WindowWidth when there is a console
/// to measure, 160 columns otherwise (redirected output, scheduled jobs).
/// </summary>
internal sealed class HostRawUserInterface : PSHostRawUserInterface
{
    private const int DefaultWidth = 160;
    private const int DefaultHeight = 50;
    private readonly bool interactive;
    private Size bufferSize;
    private Size windowSize;

    public HostRawUserInterface(bool interactive)
    {
        this.interactive = interactive;
        var width = MeasureConsoleWidth();
        bufferSize = new Size(width, 9999);
        windowSize = new Size(width, DefaultHeight);
    }

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override Coordinates CursorPosition { get; set; }

    public override Coordinates WindowPosition { get; set; }

    public override int CursorSize { get; set; } = 25;

    public override Size BufferSize
    {
        get => bufferSize;
        set => bufferSize = value;
    }

    public override Size WindowSize
    {
        get => windowSize;
        set => windowSize = value;
    }

    public override Size MaxWindowSize => windowSize;

    public override Size MaxPhysicalWindowSize => windowSize;

    public override bool KeyAvailable => interactive && Console.KeyAvailable;

    public override string WindowTitle { get; set; } = "DataShareAdmin.Host";

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        if (!interactive)
        {
            throw new PSInvalidOperationException(
                "DataShareAdmin.Host is running non-interactively (standard input is redirected or -NonInteractive was given), so it cannot read a key press.");
        }

        var key = Console.ReadKey((options & ReadKeyOptions.NoEcho) != 0);
        var state = default(ControlKeyStates);
        if ((key.Modifiers & ConsoleModifiers.Shift) != 0)
        {
            state |= ControlKeyStates.ShiftPressed;
        }

        if ((key.Modifiers & ConsoleModifiers.Alt) != 0)
        {
            state |= ControlKeyStates.LeftAltPressed;
        }

        if ((key.Modifiers & ConsoleModifiers.Control) != 0)
        {
            state |= ControlKeyStates.LeftCtrlPressed;
        }

        return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
    }

    public override void FlushInputBuffer()
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("DataShareAdmin.Host writes to a stream and has no screen buffer to read.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    private static int MeasureConsoleWidth()
    {
        if (Console.IsOutputRedirected)
        {
            return DefaultWidth;
        }

        try
        {
            var width = Console.WindowWidth;
            return width > 0 ? width : DefaultWidth;
        }
        catch (Exception ex) when (ex is System.IO.IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return DefaultWidth;
        }
    }
}
