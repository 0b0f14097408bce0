using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Everything needed to build one container's filesystem: the host calls
/// <see cref="ContainerFilesystem.Prepare"/> with it, hands it to the container's init (as JSON:
/// <see cref="ToJson"/>, <see cref="FromJson"/>), which calls <see cref="ContainerFilesystem.Setup"/>.
/// </summary>
public sealed record ContainerFilesystemPlan
{
    /// <summary>The container's id: its directory's name under <see cref="StateDirectory"/>.</summary>
    public required string ContainerId { get; init; }

    /// <summary>Berth's state directory; <see cref="RuntimePaths.StateDirectory"/> by default.</summary>
    public string StateDirectory { get; init; } = RuntimePaths.StateDirectory;

    /// <summary>What the root is made of.</summary>
    public required RootFilesystem Root { get; init; }

    /// <summary>
    /// The root is mounted read-only (a directory root then has no writable layer at all). <c>/tmp</c>, <c>/dev</c>,
    /// secrets and writable volumes stay writable.
    /// </summary>
    public bool ReadOnlyRoot { get; init; }

    /// <summary>Written to <c>/etc/hostname</c> and <c>/etc/hosts</c>; the container id when null.</summary>
    public string? Hostname { get; init; }

    /// <summary>More <c>/etc/hosts</c> lines: the names of the services this one may reach.</summary>
    public IReadOnlyList<HostEntry> Hosts { get; init; } = [];

    /// <summary>The user the service runs as; owns the secrets.</summary>
    public ContainerUser User { get; init; } = ContainerUser.Root;

    /// <summary>
    /// Mount a new <c>/proc</c>. A procfs shows the PID namespace of the process that mounts it, so this is right
    /// only when <see cref="ContainerFilesystem.Setup"/> runs in the container's own PID namespace (the init does);
    /// turn it off where it does not, and <c>/proc</c> stays an empty directory.
    /// </summary>
    public bool MountProc { get; init; } = true;

    /// <summary>Bind and tmpfs volumes, mounted in this order.</summary>
    public IReadOnlyList<Volume> Volumes { get; init; } = [];

    /// <summary>Files for <c>/run/secrets</c>.</summary>
    public IReadOnlyList<SecretFile> Secrets { get; init; } = [];

    /// <summary>The container's directory on the host.</summary>
    [JsonIgnore]
    public ContainerDirectory ContainerDirectory => new(StateDirectory, ContainerId);

    /// <summary>The hostname the generated files carry.</summary>
    [JsonIgnore]
    public string EffectiveHostname => Hostname ?? ContainerId;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first thing that cannot be set up as asked.</summary>
    public void Validate()
    {
        _ = ContainerDirectory;
        if (Root is null)
            throw new ArgumentException("The plan has no root filesystem.");
        if (Hosts is null || Volumes is null || Secrets is null)
            throw new ArgumentException("The plan's hosts, volumes and secrets are lists, empty when there are none, never null.");
        Root.Validate();

        var hostname = EffectiveHostname;
        if (hostname.Length is 0 or > 64 || hostname.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") >= 0)
            throw new ArgumentException($"A hostname is 1 to 64 letters, digits, '-', '_' or '.': \"{hostname}\".");

        (User ?? throw new ArgumentException("The plan has no user.")).Validate();
        foreach (var host in Hosts)
            host.Validate();

        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in Volumes)
        {
            volume.Validate();
            if (!targets.Add(volume.Target.TrimEnd('/')))
                throw new ArgumentException($"Two volumes are mounted at {volume.Target}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in Secrets)
        {
            secret.Validate();
            if (!names.Add(secret.Name))
                throw new ArgumentException($"Two secrets are named \"{secret.Name}\".");
        }
    }

    /// <summary>The plan as JSON (secrets' bytes in base64: keep it off disk).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, FilesystemJsonContext.Default.ContainerFilesystemPlan);

    /// <summary>A plan from <see cref="ToJson"/>; no reflection, so a trimmed or native init can read it.</summary>
    public static ContainerFilesystemPlan FromJson(string json) =>
        JsonSerializer.Deserialize(json, FilesystemJsonContext.Default.ContainerFilesystemPlan)
        ?? throw new JsonException("The plan is JSON null.");
}
