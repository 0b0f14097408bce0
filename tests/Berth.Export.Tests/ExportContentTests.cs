using System.Globalization;
using Berth.Host;
using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;
using Berth.Host.Networking;
using k8s.Models;
using static Berth.Export.Tests.ExportedObjects;

namespace Berth.Export.Tests;

/// <summary>
/// What the reference stack and the example shop say in prod is in both exports, service by service: Berth's
/// isolation defaults, every route, every dependency and every limit, or a warning that names the key. And no secret
/// value anywhere.
/// </summary>
public sealed class ExportContentTests
{
    private static ExportedStack Reference => ExportedStack.Reference;

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void KubernetesPodsCarryTheIsolationDefaults(string stack)
    {
        var exported = ExportedStack.Named(stack);
        var objects = Kubernetes(exported.Kubernetes);
        foreach (var service in exported.Prod.Services)
        {
            var pod = Pod(objects, service.Name).Spec;
            var container = Assert.Single(pod.Containers);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.True(pod.SecurityContext.RunAsNonRoot, service.Name);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            Assert.Equal(service.CapAdd, container.SecurityContext.Capabilities.Add ?? []);
            Assert.Equal(service.ReadOnly, container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.False(pod.AutomountServiceAccountToken);
            var expectedUser = KubernetesUser(service.User);
            Assert.Equal(expectedUser, (pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup));
            Assert.All(pod.InitContainers ?? [], init => Assert.False(init.SecurityContext.AllowPrivilegeEscalation));

            // The one user Kubernetes cannot take, a name, is a warning on its key.
            Assert.Equal(service.User is not null && expectedUser.User is null, exported.Kubernetes.Warnings.Any(w => w.Key == $"services.{service.Name}.user"));
        }
    }

    [Fact]
    public void TheReferenceHasEachFormOfUser()
    {
        // So that the theory above sees a default, a uid, a uid:gid and a name.
        Assert.Equal(
            [null, "1654:1654", "999", "app"],
            Reference.Prod.Services.Select(s => s.User).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void ComposeServicesCarryTheIsolationDefaults(string stack)
    {
        var exported = ExportedStack.Named(stack);
        var services = Map(Compose(exported.Compose)["services"]);
        foreach (var service in exported.Prod.Services)
        {
            var compose = Map(services[service.Name]);
            Assert.Equal(["ALL"], List(compose["cap_drop"]));
            Assert.Equal(["no-new-privileges:true"], List(compose["security_opt"]));
            Assert.Equal(service.ReadOnly ? "true" : "false", compose["read_only"]);
            Assert.Equal(service.User ?? "65534:65534", compose["user"]);
            Assert.Equal(service.CapAdd, compose.TryGetValue("cap_add", out var add) ? List(add).Cast<string>() : []);
            Assert.Equal(service.Init, compose.ContainsKey("init"));
        }
    }

    [Theory]
    [InlineData("reference", 3)]
    [InlineData("shop", 4)]
    public void EveryRouteIsInTheIngressAndTheGateway(string stack, int count)
    {
        var exported = ExportedStack.Named(stack);
        var ingress = Kubernetes(exported.Kubernetes).OfType<V1Ingress>().Single();
        var paths = ingress.Spec.Rules.Single().Http.Paths;
        var gateway = exported.Compose.File("compose.gateway.conf").Content;
        var routes = exported.Prod.Services.SelectMany(s => s.Routes.Select(r => (Route: r, Service: s))).ToList();

        Assert.Equal(count, routes.Count);
        foreach (var (route, service) in routes)
        {
            var path = Assert.Single(paths, p => p.Path == route);
            Assert.Equal(("Prefix", service.Name), (path.PathType, path.Backend.Service.Name));
            var upstream = $"{{ set $service {service.Name}:{service.Port}; proxy_pass http://$service; }}";
            if (route == "/")
            {
                Assert.Contains($"location / {upstream}", gateway, StringComparison.Ordinal);
                continue;
            }

            Assert.Contains($"location \"{route}/\" {upstream}", gateway, StringComparison.Ordinal);
            Assert.Contains($"location = \"{route}\" {upstream}", gateway, StringComparison.Ordinal);
        }

        Assert.Equal(paths.Count, routes.Count);
        var published = List(At(Compose(exported.Compose), "services", "gateway", "ports")!);
        Assert.Equal([$"{exported.Prod.Gateway.Bind}:{exported.Prod.Gateway.Port}:8080"], published);

        // A service without routes is reached through neither.
        foreach (var service in exported.Prod.Services.Where(s => s.Routes.IsEmpty))
        {
            Assert.DoesNotContain(paths, p => p.Backend.Service.Name == service.Name);
            Assert.DoesNotContain($"set $service {service.Name}:", gateway, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("reference", 6)]
    [InlineData("shop", 6)]
    public void EveryDependencyIsWaitedForInBothOrWarnedAbout(string stack, int count)
    {
        var exported = ExportedStack.Named(stack);
        var prod = exported.Prod;
        var objects = Kubernetes(exported.Kubernetes);
        var services = Map(Compose(exported.Compose)["services"]);
        var dependencies = prod.Services.Where(s => s.Replicas > 0)
            .SelectMany(s => s.DependsOn.Select(d => (Service: s, Dependency: d)))
            .ToLookup(x => prod.GetService(x.Dependency.Service).Replicas > 0);

        Assert.Equal(count, dependencies[true].Count());
        foreach (var (service, dependency) in dependencies[true])
        {
            var condition = At(services, service.Name, "depends_on", dependency.Service, "condition");
            Assert.Equal(dependency.Condition switch
            {
                DependencyCondition.Started => "service_started",
                DependencyCondition.Healthy => "service_healthy",
                _ => "service_completed_successfully",
            }, condition);

            var waits = Pod(objects, service.Name).Spec.InitContainers ?? [];
            var target = prod.GetService(dependency.Service);
            var wait = waits.SingleOrDefault(w => w.Name == $"wait-for-{dependency.Service}");
            if (dependency.Condition == DependencyCondition.Completed)
            {
                Assert.Contains($"job/{dependency.Service}", wait!.Command);
                Assert.IsType<V1Job>(objects.Single(o => o is V1Job job && job.Metadata.Name == dependency.Service));
            }
            else
            {
                Assert.Equal($"until nc -z -w 2 {dependency.Service} {target.Port}; do sleep 1; done", wait!.Command[2]);
            }
        }

        // A dependency on a service with no replicas in this environment is met, as when Berth runs it: no wait.
        Assert.All(dependencies[false], x => Assert.DoesNotContain(Pod(objects, x.Service.Name).Spec.InitContainers ?? [], w => w.Name == $"wait-for-{x.Dependency.Service}"));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void NetworkPoliciesAllowExactlyTheDeclaredConnections(string stack)
    {
        var exported = ExportedStack.Named(stack);
        var prod = exported.Prod;
        var policies = Kubernetes(exported.Kubernetes).OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);
        var deny = policies["shop-default-deny"];
        Assert.Equal(["Ingress", "Egress"], deny.Spec.PolicyTypes);
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);

        foreach (var service in prod.Services.Where(s => s.Network == NetworkMode.Isolated))
        {
            var policy = policies[service.Name];
            var reachable = ServiceNetworkPlan.Reachable(prod, service).Select(d => d.Name).Order(StringComparer.Ordinal);
            var allowed = (policy.Spec.Egress ?? [])
                .SelectMany(rule => rule.To ?? [])
                .Where(peer => peer.NamespaceSelector is null)
                .Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"])
                .Order(StringComparer.Ordinal);
            Assert.Equal(reachable, allowed);

            var callers = prod.Services.Where(c => ServiceNetworkPlan.Reachable(prod, c).Contains(service)).Select(c => c.Name).Order(StringComparer.Ordinal);
            var from = (policy.Spec.Ingress ?? []).SelectMany(rule => rule.FromProperty ?? [])
                .Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"])
                .Order(StringComparer.Ordinal);
            Assert.Equal(callers, from);

            // Open to anyone (the ingress controller) only with routes, and only on the service's port.
            var open = (policy.Spec.Ingress ?? []).Where(rule => rule.FromProperty is null).ToList();
            Assert.Equal(!service.Routes.IsEmpty, open.Count == 1);
            Assert.All(open, rule => Assert.Equal(service.Port, Assert.Single(rule.Ports).Port.ToInt()));
        }

        // The host's network is no pod network: no policy reaches it.
        Assert.All(prod.Services.Where(s => s.Network == NetworkMode.Host), s => Assert.False(policies.ContainsKey(s.Name)));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void ComposeNetworksConnectExactlyTheDeclaredPairs(string stack)
    {
        var exported = ExportedStack.Named(stack);
        var prod = exported.Prod;
        var compose = Compose(exported.Compose);
        var networks = Map(compose["networks"]);
        foreach (var service in prod.Services.Where(s => s.Network == NetworkMode.Isolated))
        {
            foreach (var dependency in ServiceNetworkPlan.Reachable(prod, service))
            {
                var network = $"{service.Name}-to-{dependency.Name}";
                Assert.Equal("true", At(networks, network, "internal"));
                Assert.Contains(network, List(At(compose, "services", service.Name, "networks")));
                Assert.Contains(network, List(At(compose, "services", dependency.Name, "networks")));
            }
        }

        // Every network has exactly two members: a connection the stack allows.
        var members = Map(compose["services"]).Values.Select(Map)
            .SelectMany(s => s.TryGetValue("networks", out var n) ? List(n).Cast<string>() : [])
            .GroupBy(n => n)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.All(members.Where(m => m.Key != "gateway"), m => Assert.Equal(2, m.Value));

        // A service with no connection has loopback only; one on the host's network keeps it.
        foreach (var service in prod.Services)
        {
            var mode = At(compose, "services", service.Name, "network_mode");
            var connected = At(compose, "services", service.Name, "networks") is not null;
            Assert.Equal(service.Network == NetworkMode.Host ? "host" : connected ? null : "none", mode);
        }
    }

    [Theory]
    [InlineData("reference", 4)]
    [InlineData("shop", 6)]
    public void EveryLimitIsInBothOrWarnedAbout(string stack, int count)
    {
        var exported = ExportedStack.Named(stack);
        var objects = Kubernetes(exported.Kubernetes);
        var compose = Compose(exported.Compose);
        var limited = exported.Prod.Services.Where(s => s.Limits != new ResourceLimits()).ToList();

        Assert.Equal(count, limited.Count);
        foreach (var service in limited)
        {
            var resources = Pod(objects, service.Name).Spec.Containers.Single().Resources;
            var limits = At(compose, "services", service.Name, "deploy", "resources", "limits");
            if (service.Limits.MemoryBytes is { } memory)
            {
                Assert.Equal(memory, resources.Limits["memory"].ToInt64());
                Assert.Equal(resources.Limits["memory"], resources.Requests["memory"]);
                Assert.Equal(ComposeMemory(memory), At(limits!, "memory"));
            }

            if (service.Limits.Cpus is { } cpus)
            {
                Assert.Equal((decimal)cpus, resources.Limits["cpu"].ToDecimal());
                Assert.Equal(cpus, double.Parse((string)At(limits!, "cpus")!, CultureInfo.InvariantCulture));
            }

            if (service.Limits.Pids is { } pids)
            {
                Assert.Equal(pids.ToString(CultureInfo.InvariantCulture), At(compose, "services", service.Name, "pids_limit"));
                Assert.Contains(exported.Kubernetes.Warnings, w => w.Key == $"services.{service.Name}.limits.pids");
            }
        }
    }

    [Fact]
    public void TheReferenceHasALimitInBytesThatIsNoWholeMebibyte()
    {
        // So that the theory above sees Compose's memory in k: metrics' 32000000 bytes are 31250k.
        Assert.Equal("31250k", At(Compose(Reference.Compose), "services", "metrics", "deploy", "resources", "limits", "memory"));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void WarningsNameKeysOfTheStack(string stack)
    {
        var exported = ExportedStack.Named(stack);
        foreach (var warning in exported.Kubernetes.Warnings.Concat(exported.Compose.Warnings))
        {
            var parts = warning.Key.Split('.');
            Assert.True(parts[0] == "gateway" || (parts[0] == "services" && exported.Prod.Services.Any(s => s.Name == parts[1])), warning.ToString());
            Assert.Contains(warning.Key, exported.Kubernetes.Warnings.Contains(warning) ? exported.Kubernetes.Instructions : exported.Compose.Instructions, StringComparison.Ordinal);
        }

        // Compose files carry their warnings and instructions as comments; the Kubernetes export in its README.
        Assert.StartsWith($"# # Stack '{exported.Prod.Name}' (prod) for Compose", exported.Compose.Files[0].Content, StringComparison.Ordinal);
        Assert.Equal(exported.Kubernetes.Instructions, exported.Kubernetes.File("README.md").Content);
    }

    [Theory]
    [InlineData("reference", "SHOP_DB_PASSWORD")]
    [InlineData("shop", "SHOP_PAYMENTS_API_KEY")]
    public void NoSecretValueIsInAnyFileOfAnyEnvironment(string stack, string secretVariable)
    {
        var exported = ExportedStack.Named(stack);
        var secretVariables = exported.Descriptor.Environments
            .SelectMany(e => exported.Descriptor.Resolve(e.Name).Secrets)
            .Where(s => s.SourceKind == SecretSourceKind.Env)
            .Select(s => s.Source)
            .ToHashSet();
        Assert.Contains(secretVariable, secretVariables);
        var secretFileValues = exported.SecretFileValues.ToList();
        Assert.NotEmpty(secretFileValues);

        // The exports under test, with the values their host has: none of its secret variables' values is in a file.
        var hostSecrets = exported.HostVariables.Where(v => secretVariables.Contains(v.Key)).Select(v => v.Value).ToList();
        Assert.Equal(stack == "shop", hostSecrets.Count == 1);
        foreach (var file in exported.Kubernetes.Files.Concat(exported.Compose.Files))
        {
            Assert.All(hostSecrets.Concat(secretFileValues), value => Assert.DoesNotContain(value, file.Content, StringComparison.Ordinal));
        }

        // Every environment, with every host variable set to a recognisable value: none of the secrets' ends up in a file.
        const string Marker = "SECRET-VALUE-OF-";
        var options = exported.Options with { HostVariable = name => $"{Marker}{name}" };
        foreach (var environment in exported.Descriptor.Environments)
        {
            var resolved = exported.Descriptor.Resolve(environment.Name);
            var exports = new[] { KubernetesExporter.Export(resolved, options), ComposeExporter.Export(resolved, exported.ComposeFile, options) };
            foreach (var file in exports.SelectMany(e => e.Files))
            {
                Assert.All(secretVariables, variable => Assert.DoesNotContain(Marker + variable, file.Content, StringComparison.Ordinal));
                Assert.All(secretFileValues, value => Assert.DoesNotContain(value, file.Content, StringComparison.Ordinal));
            }

            // And each secret a service needs is named, with how to create it.
            var used = resolved.Secrets.Where(s => resolved.Services.Any(service => service.Secrets.Contains(s.Name))).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, s => Assert.Contains($"kubectl create secret generic {s.Name.Replace('_', '-')} -n {options.Namespace} --from-file={s.Name}=", exports[0].Instructions, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EachSecretIsCreatedFromItsSourceInItsEnvironment()
    {
        var dev = Reference.Descriptor.Resolve("dev");
        var kubernetes = KubernetesExporter.Export(dev, Reference.Options).Instructions;
        var compose = ComposeExporter.Export(dev, Reference.ComposeFile, Reference.Options);

        // dev: db_password from a file, payment_api_key from the stack project's user secrets.
        Assert.Contains("kubectl create secret generic db-password -n shop --from-file=db_password=examples/hello/secrets/db_password.txt\n", kubernetes, StringComparison.Ordinal);
        Assert.Contains("printf '%s' \"$(dotnet user-secrets list | sed -n 's/^Payments:ApiKey = //p')\" | kubectl create secret generic payment-api-key -n shop --from-file=payment_api_key=/dev/stdin\n", kubernetes, StringComparison.Ordinal);
        Assert.Equal("../examples/hello/secrets/db_password.txt", At(Compose(compose), "secrets", "db_password", "file"));
        Assert.Equal("./secrets/payment_api_key", At(Compose(compose), "secrets", "payment_api_key", "file"));
        Assert.Contains("> ./deploy/secrets/payment_api_key\n", compose.Instructions, StringComparison.Ordinal);

        // prod: both from host variables.
        Assert.Contains("printf '%s' \"$SHOP_DB_PASSWORD\" | kubectl create secret generic db-password -n shop --from-file=db_password=/dev/stdin\n", Reference.Kubernetes.Instructions, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void TheNamespaceIsKustomizationsAndTheWaitingServiceAccounts(string stack)
    {
        var exported = ExportedStack.Named(stack);
        var binding = Kubernetes(exported.Kubernetes).OfType<V1RoleBinding>().Single();

        Assert.Equal(("ServiceAccount", "shop-job-wait", exported.Options.Namespace), (binding.Subjects[0].Kind, binding.Subjects[0].Name, binding.Subjects[0].NamespaceProperty));
        Assert.Contains($"\nnamespace: {exported.Options.Namespace}\n", exported.Kubernetes.File("kustomization.yaml").Content, StringComparison.Ordinal);
        Assert.All(Kubernetes(exported.Kubernetes).OfType<IMetadata<V1ObjectMeta>>(), o => Assert.Null(o.Metadata.NamespaceProperty));
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void ExportingTwiceWritesTheSameFiles(string stack)
    {
        var exported = ExportedStack.Named(stack);

        Assert.Equal(exported.Kubernetes.Files, KubernetesExporter.Export(exported.Prod, exported.Options).Files);
        Assert.Equal(exported.Compose.Files, ComposeExporter.Export(exported.Prod, exported.ComposeFile, exported.Options).Files);
    }

    /// <summary>runAsUser and runAsGroup for a stack.toml user: Berth's nobody by default, none for a name.</summary>
    private static (long? User, long? Group) KubernetesUser(string? user) => user?.Split(':') switch
    {
        null => (65534, 65534),
        [var uid] when long.TryParse(uid, CultureInfo.InvariantCulture, out var id) => (id, null),
        [var uid, var gid] when long.TryParse(uid, CultureInfo.InvariantCulture, out var id) && long.TryParse(gid, CultureInfo.InvariantCulture, out var group) => (id, group),
        _ => (null, null),
    };

    /// <summary>The memory limits of the two stacks as Compose writes them: in the largest of g, m, k that divides them.</summary>
    private static string ComposeMemory(long bytes) => bytes switch
    {
        1L << 30 => "1g",
        512L << 20 => "512m",
        256L << 20 => "256m",
        64L << 20 => "64m",
        32_000_000 => "31250k",
        _ => throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A limit of neither stack: add what Compose should say."),
    };
}
