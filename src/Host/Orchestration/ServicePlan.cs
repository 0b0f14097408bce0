using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>
/// A service made ready to run, before anything runs: its container spec with everything from stack.toml resolved
/// (program, environment, secrets, volumes, limits), and what the stack waits for before it counts as up.
/// </summary>
internal sealed class ServicePlan(ServiceDefinition definition, ContainerSpec template, bool isJob)
{
    public ServiceDefinition Definition { get; } = definition;

    public string Name => Definition.Name;

    /// <summary>A dependent waits for it to complete (<c>depends_on = { NAME = "completed" }</c>): it runs to its end, it does not serve.</summary>
    public bool IsJob { get; } = isJob;

    /// <summary>The spec of one run of a replica; every run gets a new container id.</summary>
    public ContainerSpec ForReplica(int index) => template with
    {
        Id = ReplicaNames.NewContainerId(Name, index),
        Hostname = ReplicaNames.HostName(Name, index),
    };

    /// <summary>What the stack waits for before it is up: a job's completion, a health check's first pass, else the start.</summary>
    public DependencyCondition ReadyWhen =>
        IsJob ? DependencyCondition.Completed
        : Definition.Health is not null ? DependencyCondition.Healthy
        : DependencyCondition.Started;
}
