using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Berth.Host;

/// <summary>Registers a compiled stack with a host. The generated <c>AddXxxStack</c> methods call this.</summary>
public static class StackHostingExtensions
{
    /// <summary>
    /// Resolves the stack for <paramref name="environment"/> (else <c>DOTNET_ENVIRONMENT</c>, else the stack's
    /// default) and registers its <see cref="StackDefinition"/> and <see cref="StackDescriptor"/> as singletons.
    /// </summary>
    public static IHostApplicationBuilder AddStack(this IHostApplicationBuilder builder, StackDescriptor descriptor, string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(descriptor);

        var selected = descriptor.SelectEnvironment(environment, System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"));
        var definition = descriptor.Resolve(selected);
        builder.Services.TryAddSingleton(descriptor);
        builder.Services.TryAddSingleton(definition);
        return builder;
    }
}
