namespace Berth.Host.Export;

/// <summary>What an export needs besides the stack: where project services' images live, and the host's variables.</summary>
public sealed record ExportOptions
{
    /// <summary>The tag of project services' images when none is given.</summary>
    public const string DefaultTag = "latest";

    /// <summary>The Kubernetes namespace when none is given.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>
    /// The registry (and optional path) project services' images are pushed to, e.g. <c>registry.example.com/team</c>;
    /// null for images that stay in the local image store.
    /// </summary>
    public string? Registry { get; init; }

    /// <summary>The Kubernetes namespace the manifests are applied to (kustomization.yaml's, and the RoleBinding's subject's).</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>The tag of project services' images.</summary>
    public string Tag { get; init; } = DefaultTag;

    /// <summary>
    /// The variables <c>env</c> values are interpolated from where the target cannot interpolate them itself
    /// (Kubernetes): a variable's value, null when it is not set. Compose interpolates when it runs, so it is not asked.
    /// </summary>
    public Func<string, string?> HostVariable { get; init; } = static _ => null;
}
