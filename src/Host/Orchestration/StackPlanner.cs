using Berth.Host.Configuration;
using Berth.Host.Networking;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;
using Berth.Runtime.Security;

namespace Berth.Host.Orchestration;

/// <summary>
/// Turns the stack into container specs before anything starts, so that whatever stack.toml asks for that cannot be
/// had (a secret, a build, a volume's source, a health check it cannot run) fails the start at once, all such
/// problems together, with nothing to clean up.
/// </summary>
internal static class StackPlanner
{
    /// <exception cref="StackStartException">Some services cannot start; each is named with its reason.</exception>
    /// <exception cref="StackConfigurationException">A secret or a variable the stack needs is missing.</exception>
    public static StackPlan Plan(StackDefinition stack, StackOrchestratorOptions options, MeshAddresses addresses, string? userSecretsId, IReadOnlyDictionary<string, Runtime.Images.StoredImage>? images = null)
    {
        var running = stack.Services.Where(s => s.Replicas > 0).ToList();
        var dependencies = new DependencyGraph(running);
        var secrets = SecretStore.Resolve(stack, options.HostVariable, userSecretsId);
        var builds = running.Any(s => s.Project is not null) ? ServiceBuildManifest.Read(options.ServiceManifestPath) : new ServiceBuildManifest([]);

        var plans = new List<ServicePlan>();
        var problems = new List<ServiceStartException>();
        var configuration = new List<string>();
        foreach (var service in running)
        {
            try
            {
                CheckHealth(stack, service, dependencies);
                var program = ServiceProgramResolver.Resolve(stack, service, builds, images ?? new Dictionary<string, Runtime.Images.StoredImage>());
                var spec = new ContainerSpec
                {
                    Id = service.Name,
                    Executable = program.Executable,
                    Args = program.Args,
                    Root = program.Root,
                    Environment = Environment(stack, service, options, program.Environment),
                    WorkingDirectory = program.WorkingDirectory,
                    Secrets = [.. service.Secrets.Select(name => new SecretFile(name, secrets.Get(name).ToArray()))],
                    Volumes = ServiceVolumes.Resolve(stack, service, options.VolumesDirectory),
                    // A service on the host's network gets no mesh (its listeners would collide on the host), so no names either.
                    Hosts = service.Network == NetworkMode.Isolated ? ServiceNetworkPlan.Hosts(stack, service, addresses) : [],
                    User = service.User ?? program.User,
                    ReadOnlyRoot = service.ReadOnly,
                    CapAdd = service.CapAdd,
                    Init = service.Init,
                    Limits = new CgroupLimits(service.Limits.MemoryBytes, service.Limits.Cpus, service.Limits.Pids),
                    Network = service.Network == NetworkMode.Host ? Runtime.Networking.NetworkMode.Host : Runtime.Networking.NetworkMode.Private,
                };
                plans.Add(new ServicePlan(service, spec, dependencies.IsJob(service.Name)));
            }
            catch (ServiceStartException e)
            {
                problems.Add(e);
            }
            catch (StackConfigurationException e)
            {
                configuration.AddRange(e.Problems);
            }
        }

        if (configuration.Count > 0)
        {
            throw new StackConfigurationException(stack.Name, stack.Environment, configuration);
        }

        return problems.Count == 0 ? new StackPlan(plans, dependencies) : throw new StackStartException(stack.Name, problems);
    }

    /// <summary>
    /// The image's variables, then the service's from the stack (<c>DOTNET_ENVIRONMENT</c>, <c>config</c>, <c>env</c>),
    /// then the network's (its port, where its dependencies are), each winning over the ones before: the mesh routes
    /// to the port it announces.
    /// </summary>
    private static Dictionary<string, string> Environment(StackDefinition stack, ServiceDefinition service, StackOrchestratorOptions options, IReadOnlyDictionary<string, string> image)
    {
        var environment = new Dictionary<string, string>(image, StringComparer.Ordinal);
        foreach (var (name, value) in ServiceEnvironmentBuilder.Build(stack, service, options.HostVariable))
        {
            environment[name] = value;
        }

        foreach (var (name, value) in ServiceNetworkPlan.Environment(stack, service))
        {
            environment[name] = value;
        }

        return environment;
    }

    private static void CheckHealth(StackDefinition stack, ServiceDefinition service, DependencyGraph dependencies)
    {
        if (service.Health is { Kind: HealthCheckKind.Command, Command.IsDefaultOrEmpty: true })
        {
            throw new ServiceStartException(service.Name, "its health check's command is empty; give the program to run inside the container, e.g. health = { command = [\"pg_isready\"] }");
        }

        if (service.Health is { Kind: HealthCheckKind.Command } && KeepsSysPtrace(service))
        {
            throw new ServiceStartException(service.Name, "its health check is a command, which cannot run beside a service that keeps SYS_PTRACE (the service could take over the check's process while it starts with the host's privileges); use an http or tcp check, or drop SYS_PTRACE from cap_add");
        }

        if (service.Health is { Kind: HealthCheckKind.Http or HealthCheckKind.Tcp } && service.Port is null)
        {
            throw new ServiceStartException(service.Name, $"its {service.Health.Kind.ToString().ToLowerInvariant()} health check needs the port the service listens on; set port");
        }

        foreach (var dependency in dependencies.DependenciesOf(service.Name).Where(d => d.Condition == DependencyCondition.Healthy))
        {
            if (stack.GetService(dependency.Service).Health is null)
            {
                throw new ServiceStartException(service.Name, $"it waits for '{dependency.Service}' to be healthy, but '{dependency.Service}' has no health check; give it one, or wait for it to be started");
            }
        }
    }

    /// <summary>Whether <c>cap_add</c> keeps SYS_PTRACE (by name or as part of ALL); a list that does not parse is the container start's to report.</summary>
    private static bool KeepsSysPtrace(ServiceDefinition service)
    {
        try
        {
            return AddedCapabilities.Parse(service.CapAdd).Contains(LinuxCapability.SysPtrace);
        }
        catch (Exception e) when (e is FormatException or PrivilegeException)
        {
            return false;
        }
    }
}
