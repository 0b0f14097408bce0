using System.Text.Json;

namespace Berth.Host.Control;

/// <summary>
/// <c>stack.json</c> in a running stack's directory: which process runs it, in which environment, since when, and
/// (once it is up) where its gateway listens. For people and for messages; the lock on the directory, not this
/// record, says whether the process still runs.
/// </summary>
/// <param name="Pid">The process that runs the stack (<c>up</c>).</param>
internal sealed record StackRecord(int Pid, string Environment, DateTimeOffset StartedAt)
{
    /// <summary>The gateway's address once the stack is up; null before.</summary>
    public string? Gateway { get; init; }

    /// <summary>The record in <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static StackRecord? ReadFrom(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ControlJsonContext.Default.StackRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the record whole (a new file renamed over the old), readable by its owner only.</summary>
    public void WriteTo(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Berth stacks run on Linux only.");
        }

        var temporary = path + ".new";
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(file, this, ControlJsonContext.Default.StackRecord);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>"PID 1234, environment prod, started 2025-01-31 12:00:00Z".</summary>
    public string Describe() => $"PID {Pid}, environment {Environment}, started {StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
}
