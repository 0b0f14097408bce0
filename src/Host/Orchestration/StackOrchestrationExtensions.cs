using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Host.Orchestration;

/// <summary>Registers the orchestrator that runs the stack registered with <c>AddXxxStack</c> (or <see cref="StackHostingExtensions.AddStack"/>).</summary>
public static class StackOrchestrationExtensions
{
    /// <summary>
    /// Adds <see cref="StackOrchestrator"/> as a singleton and a hosted service: the host's start brings the stack up,
    /// its stop takes it down. Register <see cref="IReplicaOutput"/>s to receive the replicas' output: every one gets
    /// every line (with none registered, the lines go to the log).
    /// </summary>
    public static IServiceCollection AddStackOrchestrator(this IServiceCollection services, Action<StackOrchestratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<StackOrchestratorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new StackOrchestrator(
            provider.GetRequiredService<StackDefinition>(),
            provider.GetRequiredService<IOptions<StackOrchestratorOptions>>(),
            provider.GetRequiredService<ILoggerFactory>(),
            ReplicaOutputs.Combine([.. provider.GetServices<IReplicaOutput>()]),
            provider.GetService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<StackOrchestrator>());
        return services;
    }
}
