namespace Berth.Runtime.Probe;

/// <summary>What a process saw of its filesystem, for the paths a <see cref="FilesystemInspectionRequest"/> named.</summary>
internal sealed record FilesystemView
{
    public int ProcessId { get; init; }

    public uint Uid { get; init; }

    public string CurrentDirectory { get; init; } = "";

    public string[]? MountPoints { get; init; }

    public Dictionary<string, bool> Exists { get; init; } = [];

    public Dictionary<string, string[]?> Listings { get; init; } = [];

    public Dictionary<string, FileRead> Reads { get; init; } = [];

    /// <summary>0 when the write worked, else its errno.</summary>
    public Dictionary<string, int> Writes { get; init; } = [];

    public Dictionary<string, FileStatus> Stats { get; init; } = [];

    public Dictionary<string, string> MountFlags { get; init; } = [];

    /// <summary>0 when <c>/dev/ptmx</c> opened, else its errno; null when not asked.</summary>
    public int? Ptmx { get; init; }

    public CommandRun? Command { get; init; }

    public RuntimeFacts? Runtime { get; init; }
}

/// <summary>A file's text (UTF-8) and length, or the errno that stopped the read.</summary>
internal sealed record FileRead(string? Text, int Length, int Errno);

/// <summary>lstat: type, permission bits in octal, owner; or the errno.</summary>
internal sealed record FileStatus(string? Type, string? Mode, uint Uid, uint Gid, int Errno);

/// <summary>A command's exit code and output.</summary>
internal sealed record CommandRun(int ExitCode, string Stdout, string Stderr, string? Error);

/// <summary>What the .NET runtime inside the container can do: proof the template holds what it needs.</summary>
internal sealed record RuntimeFacts(string Framework, string RuntimeDirectory, string GermanDecimalSeparator, bool InvariantGlobalization, string Sha256OfBerth, string? Error);
