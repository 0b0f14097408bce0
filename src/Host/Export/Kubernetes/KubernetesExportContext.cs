using Berth.Host.Orchestration;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>What every part of a Kubernetes export shares: the stack, its names, images, jobs and the warnings so far.</summary>
internal sealed class KubernetesExportContext
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    private readonly DependencyGraph _all;

    public KubernetesExportContext(StackDefinition stack, ExportOptions options)
    {
        Stack = stack;
        Options = options;
        Names = new KubernetesNames(stack);
        Images = ExportImage.For(stack, options);
        _all = new DependencyGraph(stack.Services);
        Running = new DependencyGraph(stack.Services.Where(s => s.Replicas > 0));
    }

    public StackDefinition Stack { get; }

    public ExportOptions Options { get; }

    public KubernetesNames Names { get; }

    public IReadOnlyDictionary<string, ExportImage> Images { get; }

    /// <summary>Who waits for whom among the services that run in this environment (a dependency with no replicas is met).</summary>
    public DependencyGraph Running { get; }

    public List<ExportWarning> Warnings { get; } = [];

    /// <summary>The warnings by key (a service's together), in the order they came for the same key.</summary>
    public IReadOnlyList<ExportWarning> SortedWarnings() => [.. Warnings.OrderBy(w => w.Key, StringComparer.Ordinal)];

    /// <summary>The host variables <c>env</c> values were interpolated from, for the instructions.</summary>
    public SortedSet<string> HostVariablesRead { get; } = new(StringComparer.Ordinal);

    /// <summary>The images of the init containers that wait for dependencies, for the instructions.</summary>
    public SortedSet<string> WaitImages { get; } = new(StringComparer.Ordinal);

    /// <summary>A one-shot job (some service waits for it to complete): a Job, not a Deployment.</summary>
    public bool IsJob(ServiceDefinition service) => _all.IsJob(service.Name);

    public void Warn(string message, params string[] key) => Warnings.Add(new ExportWarning(Configuration.StackTomlPath.Of(key), message));

    public string ImageOf(ServiceDefinition service) => ExportImage.Of(Images, service);

    /// <summary>The labels of every object of <paramref name="service"/>.</summary>
    public Dictionary<string, string> Labels(ServiceDefinition service) => new(StringComparer.Ordinal)
    {
        [NameLabel] = Names.Service(service),
        [PartOfLabel] = Names.Stack,
        [ManagedByLabel] = "berth",
    };

    /// <summary>The metadata of an object of <paramref name="service"/>: its name (the service's, unless given) and labels.</summary>
    public V1ObjectMeta Metadata(ServiceDefinition service, string? name = null) =>
        new() { Name = name ?? Names.Service(service), Labels = Labels(service) };

    /// <summary>The labels that select <paramref name="service"/>'s pods (a Deployment's selector cannot change later).</summary>
    public Dictionary<string, string> Selector(ServiceDefinition service) => new(StringComparer.Ordinal)
    {
        [NameLabel] = Names.Service(service),
        [PartOfLabel] = Names.Stack,
    };

    /// <summary>The labels of the stack's objects that belong to no one service.</summary>
    public Dictionary<string, string> StackLabels() => new(StringComparer.Ordinal)
    {
        [PartOfLabel] = Names.Stack,
        [ManagedByLabel] = "berth",
    };
}
