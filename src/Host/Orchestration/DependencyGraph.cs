namespace Berth.Host.Orchestration;

/// <summary>
/// Who depends on whom among the services that run (<c>replicas</c> above 0). Starting follows <c>depends_on</c>;
/// stopping goes the other way, a service only after every service that depends on it.
/// </summary>
internal sealed class DependencyGraph
{
    private readonly Dictionary<string, List<ServiceDependency>> _dependsOn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _dependents = new(StringComparer.Ordinal);

    public DependencyGraph(IEnumerable<ServiceDefinition> running)
    {
        var services = running.ToList();
        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in services)
        {
            // A dependency switched off (replicas = 0) is met: the environment chose to run without it.
            var dependencies = service.DependsOn
                .Where(d => names.Contains(d.Service))
                .DistinctBy(d => d.Service, StringComparer.Ordinal)
                .ToList();
            _dependsOn[service.Name] = dependencies;
            _dependents.TryAdd(service.Name, []);
            foreach (var dependency in dependencies)
            {
                _dependents.TryAdd(dependency.Service, []);
                _dependents[dependency.Service].Add(service.Name);
            }
        }
    }

    /// <summary>The dependencies of <paramref name="service"/> that run, with the condition it waits for.</summary>
    public IReadOnlyList<ServiceDependency> DependenciesOf(string service) => _dependsOn.GetValueOrDefault(service) ?? [];

    /// <summary>The services that depend on <paramref name="service"/>, which stop before it does.</summary>
    public IReadOnlyList<string> DependentsOf(string service) => _dependents.GetValueOrDefault(service) ?? [];

    /// <summary>Whether some service waits for <paramref name="service"/> to complete.</summary>
    public bool IsJob(string service) =>
        DependentsOf(service).Any(d => DependenciesOf(d).Any(x => x.Service == service && x.Condition == DependencyCondition.Completed));
}
