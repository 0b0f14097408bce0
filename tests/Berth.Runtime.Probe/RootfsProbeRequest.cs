namespace Berth.Runtime.Probe;

/// <summary>The <c>rootfs</c> verb's input, a JSON file the test writes.</summary>
internal sealed record RootfsProbeRequest
{
    /// <summary>The plan, as <c>ContainerFilesystemPlan.ToJson()</c> wrote it.</summary>
    public string Plan { get; init; } = "";

    /// <summary>Run the setup in a new PID namespace too, as PID 1, so that /proc can be mounted.</summary>
    public bool PidNamespace { get; init; } = true;

    /// <summary>After reporting, keep the container's mounts alive until stdin closes (or the process is killed).</summary>
    public bool Hold { get; init; }

    /// <summary>What to look at, from the process that did the setup.</summary>
    public FilesystemInspectionRequest Inspection { get; init; } = new();

    /// <summary>An app to run inside afterwards (argv) that prints a <see cref="FilesystemView"/> as JSON.</summary>
    public string[]? App { get; init; }
}
