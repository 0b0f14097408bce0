namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// Kubernetes names for the stack's services, secrets and volumes. Berth names may hold capitals and '_'; Kubernetes
/// object names (a Service's is its DNS name) are lowercase DNS labels, so "Catalog_DB" becomes "catalog-db". Two
/// names that become one are an error, not a silent merge.
/// </summary>
internal sealed class KubernetesNames
{
    private readonly Dictionary<string, string> _services;
    private readonly Dictionary<string, string> _secrets;
    private readonly Dictionary<string, string> _volumes;

    public KubernetesNames(StackDefinition stack)
    {
        Stack = Of(stack.Name);
        _services = Map("service", stack.Services.Select(s => s.Name));
        _secrets = Map("secret", stack.Secrets.Select(s => s.Name));
        _volumes = Map("volume", stack.Services.SelectMany(s => s.Volumes).Where(v => v.Kind == VolumeKind.Named).Select(v => v.Source!));
    }

    /// <summary>The stack's name as a label value and name prefix.</summary>
    public string Stack { get; }

    public string Service(string name) => _services[name];

    public string Service(ServiceDefinition service) => _services[service.Name];

    public string Secret(string name) => _secrets[name];

    public string Volume(string name) => _volumes[name];

    /// <summary>A Berth name (letters, digits, single '-' or '_' between them) as a DNS label.</summary>
    public static string Of(string name) => name.ToLowerInvariant().Replace('_', '-');

    private static Dictionary<string, string> Map(string kind, IEnumerable<string> names)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var mapped = Of(name);
            if (taken.TryGetValue(mapped, out var other))
            {
                throw new ArgumentException(
                    $"The {kind}s '{other}' and '{name}' would both be named '{mapped}' in Kubernetes, whose names are lowercase with '-' for '_'. Rename one of them in stack.toml.");
            }

            taken[mapped] = name;
            map[name] = mapped;
        }

        return map;
    }
}
