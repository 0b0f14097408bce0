using System.Globalization;
using Berth.Host.Configuration;
using Berth.Host.Networking;
using Berth.Host.Orchestration;

namespace Berth.Host.Export.Compose;

/// <summary>
/// Writes a resolved stack as a Compose file: each service with its image, command, environment (interpolated by
/// Compose when it runs, as Berth does), secrets from files, volumes, <c>depends_on</c> with its conditions, health
/// check, restart policy, limits and Berth's isolation defaults (a non-root user, <c>cap_drop: [ALL]</c>,
/// <c>no-new-privileges</c>, <c>read_only</c>); networks that keep default-deny (<see cref="ComposeNetworks"/>);
/// and, for the routes, a gateway (<see cref="ComposeGateway"/>) whose nginx configuration is written next to it.
/// </summary>
public static class ComposeExporter
{
    /// <summary>Berth's default user: nobody/nogroup.</summary>
    private const string DefaultUser = "65534:65534";

    /// <param name="composeFile">Where the file will be written: bind mounts and secret files are relative to its directory.</param>
    public static StackExport Export(StackDefinition stack, string composeFile, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentException.ThrowIfNullOrEmpty(composeFile);
        ArgumentNullException.ThrowIfNull(options);

        var directory = Path.GetDirectoryName(Path.GetFullPath(composeFile))!;
        var warnings = new List<ExportWarning>();
        var images = ExportImage.For(stack, options);
        var running = new DependencyGraph(stack.Services.Where(s => s.Replicas > 0));
        var hasRoutes = stack.Services.Any(ComposeNetworks.Routed);
        var gateway = hasRoutes ? ComposeGateway.Name(stack) : null;
        var gatewayConfig = $"{Path.GetFileNameWithoutExtension(composeFile)}.gateway.conf";

        var file = new ComposeFile();
        foreach (var service in stack.Services)
        {
            file.Services[service.Name] = Service(stack, service, directory, images, running, gateway, warnings);
            foreach (var network in ComposeNetworks.Of(stack, service, gateway).Where(n => !file.Networks.ContainsKey(n)))
            {
                file.Networks[network] = new ComposeNetwork { Internal = network.EndsWith("-published", StringComparison.Ordinal) ? null : true };
            }
        }

        if (gateway is not null)
        {
            var networks = stack.Services.Where(ComposeNetworks.Routed).Select(s => ComposeNetworks.Between(gateway, s.Name)).Prepend(gateway).ToList();
            file.Services[gateway] = ComposeGateway.Service(stack, gateway, gatewayConfig, networks);
            file.Networks[gateway] = new ComposeNetwork();
        }

        foreach (var volume in stack.Services.SelectMany(s => s.Volumes).Where(v => v.Kind == VolumeKind.Named).Select(v => v.Source!).Distinct(StringComparer.Ordinal))
        {
            file.Volumes[volume] = new ComposeVolume();
        }

        var secretFiles = new List<string>();
        var secretsDirectory = Path.Combine(directory, "secrets");
        foreach (var secret in SecretValueCommand.Used(stack))
        {
            if (secret.SourceKind == SecretSourceKind.File)
            {
                file.Secrets[secret.Name] = new ComposeSecret { File = Relative(directory, stack.ResolvePath(secret.Source)) };
                continue;
            }

            // Compose takes secrets from files (docker-compose 1.x knows no other source): the instructions say how to write them.
            var path = $"secrets/{secret.Name}";
            file.Secrets[secret.Name] = new ComposeSecret { File = $"./{path}" };
            if (secretFiles.Count == 0)
            {
                secretFiles.Add($"mkdir -p {ShellWords.Quote(Relative(stack.SourceDirectory, secretsDirectory))}");
            }

            secretFiles.Add($"{SecretValueCommand.For(secret)} > {ShellWords.Quote(Relative(stack.SourceDirectory, Path.Combine(directory, path)))}");
        }

        var instructions = Instructions(stack, composeFile, images, secretFiles, gateway, warnings);
        var files = new List<ExportedFile>
        {
            new(Path.GetFileName(composeFile), Header(instructions) + ComposeYaml.Serialize(file)),
        };
        if (gateway is not null)
        {
            files.Add(new ExportedFile(gatewayConfig, ComposeGateway.Configuration(stack)));
        }

        return new StackExport(files, [.. warnings.OrderBy(w => w.Key, StringComparer.Ordinal)], instructions);
    }

    private static ComposeService Service(
        StackDefinition stack,
        ServiceDefinition service,
        string directory,
        IReadOnlyDictionary<string, ExportImage> images,
        DependencyGraph running,
        string? gateway,
        List<ExportWarning> warnings)
    {
        var user = service.User ?? DefaultUser;
        if (!service.CapAdd.IsEmpty && user is not ("0" or "root") && !user.StartsWith("0:", StringComparison.Ordinal) && !user.StartsWith("root:", StringComparison.Ordinal))
        {
            Warn(warnings, "Docker gives a non-root process the added capabilities only through file capabilities; Berth raises them as ambient capabilities. Run the service as root (user = \"0\") or give its program file capabilities.", "services", service.Name, "cap_add");
        }

        if (ExportImage.DirectoryWarning(images, service) is { } notAnImage)
        {
            warnings.Add(notAnImage);
        }

        var compose = new ComposeService
        {
            Image = ComposeValues.Literal(ExportImage.Of(images, service)),
            Entrypoint = service.Command.IsEmpty ? null : [.. service.Command.Select(ComposeValues.Literal)],
            Command = service.Args.IsEmpty ? null : [.. service.Args.Select(ComposeValues.Literal)],
            User = ComposeValues.Literal(user),
            ReadOnly = service.ReadOnly,
            Init = service.Init ? true : null,
            CapDrop = ["ALL"],
            CapAdd = service.CapAdd.IsEmpty ? null : [.. service.CapAdd],
            SecurityOpt = ["no-new-privileges:true"],
            Environment = Environment(stack, service),
            Secrets = service.Secrets.IsEmpty ? null : [.. service.Secrets],
            Volumes = service.Volumes.IsEmpty ? null : [.. service.Volumes.Select(v => Mount(stack, directory, v))],
            DependsOn = DependsOn(running, service),
            Healthcheck = Healthcheck(service, warnings),
            Restart = ComposeValues.Restart(service.Restart),
            StopGracePeriod = ComposeValues.Duration(service.StopGracePeriod),
            Deploy = new ComposeDeploy
            {
                Replicas = service.Replicas,
                Resources = service.Limits.Cpus is null && service.Limits.MemoryBytes is null
                    ? null
                    : new ComposeResources
                    {
                        Limits = new ComposeLimits
                        {
                            Cpus = service.Limits.Cpus is { } cpus ? ComposeValues.Cpus(cpus) : null,
                            Memory = service.Limits.MemoryBytes is { } memory ? ComposeValues.Bytes(memory) : null,
                        },
                    },
            },
            PidsLimit = service.Limits.Pids,
            Ports = service.Ports.IsEmpty ? null : [.. service.Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p.HostPort}:{p.ContainerPort}"))],
        };

        if (service.Network == NetworkMode.Host)
        {
            compose.NetworkMode = "host";
        }
        else if (ComposeNetworks.Of(stack, service, gateway) is { Count: > 0 } networks)
        {
            compose.Networks = networks;
        }
        else
        {
            // No connection to make or take: only loopback, as in Berth.
            compose.NetworkMode = "none";
        }

        if (!service.Routes.IsEmpty && service.Port is not null && service.Network == NetworkMode.Host)
        {
            Warn(warnings, "the gateway reaches services through their networks, and a service in the host's network has none here: its routes are left out. Publish its port with `ports` instead.", "services", service.Name, "routes");
        }

        if (!service.Ports.IsEmpty && service.Network == NetworkMode.Isolated)
        {
            Warn(warnings, $"Docker publishes ports only from a network that is not internal, so {service.Name} is also on {ComposeNetworks.Published(service.Name)}, through which it can reach outside the host; Berth's services cannot.", "services", service.Name, "ports");
        }

        return compose;
    }

    /// <summary>Berth's variables in Berth's order; <c>env</c> values left for Compose to interpolate, every other '$' literal.</summary>
    private static SortedDictionary<string, string> Environment(StackDefinition stack, ServiceDefinition service)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value, fromEnv) in ServiceEnvironmentBuilder.Layers(stack, service))
        {
            variables[name] = fromEnv ? ComposeValues.Interpolated(value) : ComposeValues.Literal(value);
        }

        foreach (var (name, value) in ServiceNetworkPlan.Environment(stack, service))
        {
            variables[name] = ComposeValues.Literal(value);
        }

        return variables;
    }

    private static ComposeMount Mount(StackDefinition stack, string directory, VolumeDefinition volume) => volume.Kind switch
    {
        VolumeKind.Tmpfs => new ComposeMount { Type = "tmpfs", Target = volume.Target, Tmpfs = volume.SizeBytes is { } size ? new ComposeTmpfs { Size = size } : null },
        VolumeKind.Named => new ComposeMount { Type = "volume", Source = volume.Source, Target = volume.Target, ReadOnly = volume.ReadOnly ? true : null },

        // "~/x" is the home directory's, which Compose expands too; any other relative path is the stack directory's.
        _ => new ComposeMount
        {
            Type = "bind",
            Source = volume.Source!.StartsWith('~') || Path.IsPathRooted(volume.Source) ? volume.Source : Relative(directory, stack.ResolvePath(volume.Source)),
            Target = volume.Target,
            ReadOnly = volume.ReadOnly ? true : null,
        },
    };

    private static OrderedDictionary<string, ComposeDependency>? DependsOn(DependencyGraph running, ServiceDefinition service)
    {
        var dependencies = running.DependenciesOf(service.Name);
        if (dependencies.Count == 0)
        {
            return null;
        }

        var map = new OrderedDictionary<string, ComposeDependency>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            map[dependency.Service] = new ComposeDependency { Condition = ComposeValues.Condition(dependency.Condition) };
        }

        return map;
    }

    private static ComposeHealthcheck? Healthcheck(ServiceDefinition service, List<ExportWarning> warnings)
    {
        if (service.Health is not { } health)
        {
            return null;
        }

        List<string> test;
        var port = service.Port?.ToString(CultureInfo.InvariantCulture);
        switch (health.Kind)
        {
            case HealthCheckKind.Command:
                test = ["CMD", .. health.Command.Select(ComposeValues.Literal)];
                break;
            // Compose runs a check inside the container, with what the image has. .NET's runtime images (what
            // PublishContainer builds on) have bash, head and grep, but neither curl nor nc: bash's /dev/tcp talks to
            // the port, which needs no tool of its own.
            case HealthCheckKind.Http when port is not null:
                test = ["CMD", "bash", "-c", ComposeValues.Literal(HttpProbe(port, health.HttpPath ?? "/"))];
                Warn(warnings, "Compose runs health checks inside the container: this one runs bash (its /dev/tcp), head and grep, which .NET's runtime images have and distroless, chiseled or Alpine images do not; Berth checks from outside.", "services", service.Name, "health", "http");
                break;
            case HealthCheckKind.Tcp when port is not null:
                test = ["CMD", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}"];
                Warn(warnings, "Compose runs health checks inside the container: this one runs bash (its /dev/tcp), which .NET's runtime images have and distroless, chiseled or Alpine images do not; Berth checks from outside.", "services", service.Name, "health", "tcp");
                break;
            default:
                Warn(warnings, "an http or tcp health check needs the service's port, and the service has none: no health check.", "services", service.Name, "health");
                return null;
        }

        return new ComposeHealthcheck
        {
            Test = test,
            Interval = ComposeValues.Duration(health.Interval),
            Timeout = ComposeValues.Duration(health.Timeout),
            Retries = Math.Max(1, health.Retries),
            StartPeriod = ComposeValues.Duration(health.StartPeriod),
        };
    }

    /// <summary>
    /// An HTTP/1.0 GET of the path on the container's loopback, passing on a 2xx status line, as Berth's own http check
    /// does (HTTP/1.0: the server closes the connection after the answer, so <c>head</c> never waits for more).
    /// </summary>
    private static string HttpProbe(string port, string path) =>
        $"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' {ShellWords.Quote(path)} >&3 && head -n 1 <&3 | grep -Eq '^HTTP/[0-9.]+ 2[0-9][0-9] '";

    private static string Instructions(StackDefinition stack, string composeFile, IReadOnlyDictionary<string, ExportImage> images, List<string> secretFiles, string? gateway, List<ExportWarning> warnings)
    {
        var notes = new List<string>
        {
            $"Compose names the project after the directory of this file; `-p {stack.Name}` keeps the stack's name: `docker compose -p {stack.Name} -f {ShellWords.Quote(Relative(stack.SourceDirectory, Path.GetFullPath(composeFile)))} up`.",
            "Networks connect both ways: a service can also open connections to the services that declare it, which Berth does not allow.",
        };
        if (gateway is not null)
        {
            notes.Add($"The gateway is the service '{gateway}', an unprivileged nginx ({ComposeGateway.Image}) with the routes in {Path.GetFileNameWithoutExtension(composeFile)}.gateway.conf next to this file.");
        }

        return new ExportInstructions($"Stack '{stack.Name}' ({stack.Environment}) for Compose")
            .Paragraph($"Written by `dotnet run -- export compose --environment {stack.Environment}` from stack.toml; export again rather than edit this file. `env` values are interpolated by Compose from its environment when it runs, as Berth does.")
            .Heading("Before the first `up`")
            .Paragraph("Run these in the stack's directory (the one with stack.toml).")
            .Step("Write the secrets whose source is not a file into the files Compose reads. Their values are never written to the Compose file; keep these files out of version control:", secretFiles)
            .Images(images, " into the local image store, or with --registry to a registry")
            .List("Notes", notes)
            .Warnings([.. warnings.OrderBy(w => w.Key, StringComparer.Ordinal)])
            .ToString();
    }

    /// <summary>The instructions as comments at the top of the file.</summary>
    private static string Header(string instructions) =>
        string.Concat(instructions.TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? "#\n" : $"# {line}\n")) + "\n";

    /// <summary>A path relative to <paramref name="from"/>, written as Compose resolves relative paths (from the file's directory).</summary>
    private static string Relative(string from, string path)
    {
        var relative = Path.GetRelativePath(from, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? relative : $"./{relative}";
    }

    private static void Warn(List<ExportWarning> warnings, string message, params string[] key) => warnings.Add(new ExportWarning(StackTomlPath.Of(key), message));
}
