using Berth.Host.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Berth.Host.Control;

/// <summary>Makes a stack that a host runs reachable by <c>ps</c>, <c>logs</c> and <c>down</c> from other processes.</summary>
public static class StackControlExtensions
{
    /// <summary>
    /// Adds the stack's control: while the host runs, it owns <c>STATE/stacks/STACK/</c> (a second host of the same
    /// stack fails to start with <see cref="StackAlreadyRunningException"/>) and answers on its control socket; it
    /// keeps the last lines of each replica's output for <c>logs</c> (it is an <see cref="IReplicaOutput"/>: with no
    /// other one registered, the lines are no longer logged). Use with
    /// <see cref="StackOrchestrationExtensions.AddStackOrchestrator"/>; the state directory is
    /// <see cref="StackOrchestratorOptions.StateDirectory"/>.
    /// </summary>
    public static IServiceCollection AddStackControl(this IServiceCollection services, Action<StackControlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<StackControlOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(s => s.ServiceType == typeof(ReplicaLogs)))
        {
            return services;
        }

        services.TryAddSingleton<ReplicaLogs>();
        services.AddSingleton<IReplicaOutput>(provider => provider.GetRequiredService<ReplicaLogs>());
        services.TryAddSingleton<StackControlServer>();
        services.AddHostedService(provider => provider.GetRequiredService<StackControlServer>());
        return services;
    }
}
