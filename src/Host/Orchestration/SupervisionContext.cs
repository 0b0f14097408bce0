using Berth.Host.Networking;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Orchestration;

/// <summary>What every replica's supervisor shares: the runtime and network, where events and output go, the clock.</summary>
internal sealed class SupervisionContext(
    ContainerRuntime runtime,
    StackNetwork network,
    IReplicaOutput output,
    TimeProvider time,
    Action<ReplicaEvent> raise,
    Action<ServiceStartException> reportFailure,
    ILogger logger)
{
    public ContainerRuntime Runtime { get; } = runtime;

    public StackNetwork Network { get; } = network;

    public IReplicaOutput Output { get; } = output;

    public TimeProvider Time { get; } = time;

    /// <summary>Reports an event to the orchestrator's listeners.</summary>
    public void Raise(ReplicaEvent replicaEvent) => raise(replicaEvent);

    /// <summary>A replica failed, or ended for good with a failure or before it was ready: while the stack starts, that fails the start.</summary>
    public void ReportFailure(ServiceStartException failure) => reportFailure(failure);

    public void RemovalFailed(string replica, Exception problem) =>
        logger.LogError(problem, "{Replica} was not removed completely: {Problem}", replica, problem.Message);
}
