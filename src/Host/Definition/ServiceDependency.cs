namespace Berth.Host;

/// <summary>A <c>depends_on</c> entry: the service waits until <see cref="Service"/> meets <see cref="Condition"/>.</summary>
public sealed record ServiceDependency(string Service, DependencyCondition Condition = DependencyCondition.Started);

/// <summary>When a dependency counts as ready (Compose's <c>service_started</c>, <c>service_healthy</c>, <c>service_completed_successfully</c>).</summary>
public enum DependencyCondition
{
    Started,
    Healthy,
    Completed,
}
