namespace Berth.Runtime.Probe;

/// <summary>What to look at from inside a container's filesystem; every list is of container paths.</summary>
internal sealed record FilesystemInspectionRequest
{
    /// <summary>Whether anything is there (lstat).</summary>
    public string[] Exists { get; init; } = [];

    /// <summary>Directories whose entries to list.</summary>
    public string[] List { get; init; } = [];

    /// <summary>Files to read (at most 64 KiB each).</summary>
    public string[] Read { get; init; } = [];

    /// <summary>Files to create or truncate and write "berth" into.</summary>
    public string[] Write { get; init; } = [];

    /// <summary>Paths to lstat.</summary>
    public string[] Stat { get; init; } = [];

    /// <summary>Paths whose mount's flags to report (statvfs).</summary>
    public string[] MountFlags { get; init; } = [];

    /// <summary>Open <c>/dev/ptmx</c>: proof of a devpts of its own that anyone may use.</summary>
    public bool OpenPtmx { get; init; }

    /// <summary>A command to run inside, whose output to report (argv; the first is an absolute path).</summary>
    public string[]? Command { get; init; }

    /// <summary>Report on the .NET runtime too (ICU, OpenSSL): only where the probe runs as the container's app.</summary>
    public bool Runtime { get; init; }
}
