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
/// What the reference stack says in prod is in both exports, service by service: Berth's isolation defaults, every
/// route, every dependency and every limit, or a warning that names the key. And no secret value anywhere.
/// </summary>
public sealed class ExportContentTests(ReferenceExportFixture reference) : IClassFixture<ReferenceExportFixture>
{
    private StackDefinition Prod => reference.Prod;

    [Fact]
    public void KubernetesPodsCarryTheIsolationDefaults()
    {
        var objects = Kubernetes(reference.Kubernetes);
        foreach (var service in Prod.Services)
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
            var expectedUser = service.User switch
            {
                null => (65534L, 65534L),
                "999" => (999L, (long?)null),
                "1654:1654" => (1654L, 1654L),
                _ => ((long?)null, (long?)null),
            };
            Assert.Equal(expectedUser, (pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup));
            Assert.All(pod.InitContainers ?? [], init => Assert.False(init.SecurityContext.AllowPrivilegeEscalation));
        }

        // The one user Kubernetes cannot take, a name, is a warning on its key.
        Assert.Contains(reference.Kubernetes.Warnings, w => w.Key == "services.orders.user");
    }

    [Fact]
    public void ComposeServicesCarryTheIsolationDefaults()
    {
        var services = Map(Compose(reference.Compose)["services"]);
        foreach (var service in Prod.Services)
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

    [Fact]
    public void EveryRouteIsInTheIngressAndTheGateway()
    {
        var ingress = Kubernetes(reference.Kubernetes).OfType<V1Ingress>().Single();
        var paths = ingress.Spec.Rules.Single().Http.Paths;
        var gateway = reference.Compose.File("compose.gateway.conf").Content;
        var routes = Prod.Services.SelectMany(s => s.Routes.Select(r => (Route: r, Service: s))).ToList();

        Assert.Equal(3, routes.Count);
        foreach (var (route, service) in routes)
        {
            var path = Assert.Single(paths, p => p.Path == route);
            Assert.Equal(("Prefix", service.Name), (path.PathType, path.Backend.Service.Name));
            Assert.Contains($"location \"{route}/\" {{ set $service {service.Name}:{service.Port}; proxy_pass http://$service; }}", gateway, StringComparison.Ordinal);
            Assert.Contains($"location = \"{route}\" {{", gateway, StringComparison.Ordinal);
        }

        Assert.Equal(paths.Count, routes.Count);
        var published = List(At(Compose(reference.Compose), "services", "gateway", "ports")!);
        Assert.Equal(["0.0.0.0:80:8080"], published);
    }

    [Fact]
    public void EveryDependencyIsWaitedForInBothOrWarnedAbout()
    {
        var objects = Kubernetes(reference.Kubernetes);
        var services = Map(Compose(reference.Compose)["services"]);
        var dependencies = Prod.Services.Where(s => s.Replicas > 0)
            .SelectMany(s => s.DependsOn.Select(d => (Service: s, Dependency: d)))
            .Where(x => Prod.GetService(x.Dependency.Service).Replicas > 0)
            .ToList();

        Assert.Equal(6, dependencies.Count);
        foreach (var (service, dependency) in dependencies)
        {
            var condition = At(services, service.Name, "depends_on", dependency.Service, "condition");
            Assert.Equal(dependency.Condition switch
            {
                DependencyCondition.Started => "service_started",
                DependencyCondition.Healthy => "service_healthy",
                _ => "service_completed_successfully",
            }, condition);

            var waits = Pod(objects, service.Name).Spec.InitContainers ?? [];
            var target = Prod.GetService(dependency.Service);
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
        Assert.Equal(0, Prod.GetService("mailpit").Replicas);
    }

    [Fact]
    public void NetworkPoliciesAllowExactlyTheDeclaredConnections()
    {
        var policies = Kubernetes(reference.Kubernetes).OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);
        var deny = policies["shop-default-deny"];
        Assert.Equal(["Ingress", "Egress"], deny.Spec.PolicyTypes);
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);

        foreach (var service in Prod.Services.Where(s => s.Network == NetworkMode.Isolated))
        {
            var policy = policies[service.Name];
            var reachable = ServiceNetworkPlan.Reachable(Prod, service).Select(d => d.Name).Order(StringComparer.Ordinal);
            var allowed = (policy.Spec.Egress ?? [])
                .SelectMany(rule => rule.To ?? [])
                .Where(peer => peer.NamespaceSelector is null)
                .Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"])
                .Order(StringComparer.Ordinal);
            Assert.Equal(reachable, allowed);

            var callers = Prod.Services.Where(c => ServiceNetworkPlan.Reachable(Prod, c).Contains(service)).Select(c => c.Name).Order(StringComparer.Ordinal);
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
        Assert.False(policies.ContainsKey("metrics"));
    }

    [Fact]
    public void ComposeNetworksConnectExactlyTheDeclaredPairs()
    {
        var compose = Compose(reference.Compose);
        var networks = Map(compose["networks"]);
        foreach (var service in Prod.Services.Where(s => s.Network == NetworkMode.Isolated))
        {
            foreach (var dependency in ServiceNetworkPlan.Reachable(Prod, service))
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
        Assert.Equal("none", At(compose, "services", "mailpit", "network_mode"));
        Assert.Equal("host", At(compose, "services", "metrics", "network_mode"));
    }

    [Fact]
    public void EveryLimitIsInBothOrWarnedAbout()
    {
        var objects = Kubernetes(reference.Kubernetes);
        var compose = Compose(reference.Compose);
        var limited = Prod.Services.Where(s => s.Limits != new ResourceLimits()).ToList();

        Assert.Equal(4, limited.Count);
        foreach (var service in limited)
        {
            var resources = Pod(objects, service.Name).Spec.Containers.Single().Resources;
            var limits = At(compose, "services", service.Name, "deploy", "resources", "limits");
            if (service.Limits.MemoryBytes is { } memory)
            {
                Assert.Equal(memory, resources.Limits["memory"].ToInt64());
                Assert.Equal(resources.Limits["memory"], resources.Requests["memory"]);
                Assert.Equal(memory switch { 512L << 20 => "512m", 1L << 30 => "1g", 64L << 20 => "64m", _ => "31250k" }, At(limits!, "memory"));
                Assert.Equal(service.Name == "metrics", memory == 32_000_000);
            }

            if (service.Limits.Cpus is { } cpus)
            {
                Assert.Equal((decimal)cpus, resources.Limits["cpu"].ToDecimal());
                Assert.Equal(cpus, double.Parse((string)At(limits!, "cpus")!, CultureInfo.InvariantCulture));
            }

            if (service.Limits.Pids is { } pids)
            {
                Assert.Equal(pids.ToString(CultureInfo.InvariantCulture), At(compose, "services", service.Name, "pids_limit"));
                Assert.Contains(reference.Kubernetes.Warnings, w => w.Key == $"services.{service.Name}.limits.pids");
            }
        }
    }

    [Fact]
    public void WarningsNameKeysOfTheStack()
    {
        foreach (var warning in reference.Kubernetes.Warnings.Concat(reference.Compose.Warnings))
        {
            var parts = warning.Key.Split('.');
            Assert.True(parts[0] == "gateway" || (parts[0] == "services" && Prod.Services.Any(s => s.Name == parts[1])), warning.ToString());
            Assert.Contains(warning.Key, reference.Kubernetes.Warnings.Contains(warning) ? reference.Kubernetes.Instructions : reference.Compose.Instructions, StringComparison.Ordinal);
        }

        // Compose files carry their warnings and instructions as comments; the Kubernetes export in its README.
        Assert.StartsWith("# # Stack 'shop' (prod) for Compose", reference.Compose.Files[0].Content, StringComparison.Ordinal);
        Assert.Equal(reference.Kubernetes.Instructions, reference.Kubernetes.File("README.md").Content);
    }

    [Fact]
    public void NoSecretValueIsInAnyFileOfAnyEnvironment()
    {
        // Every host variable has a recognisable value, the secrets' too: none of those may end up in a file.
        const string Marker = "SECRET-VALUE-OF-";
        var secretVariables = reference.Descriptor.Environments
            .SelectMany(e => reference.Descriptor.Resolve(e.Name).Secrets)
            .Where(s => s.SourceKind == SecretSourceKind.Env)
            .Select(s => s.Source)
            .ToHashSet();
        Assert.Contains("SHOP_DB_PASSWORD", secretVariables);
        var options = reference.Options with { HostVariable = name => $"{Marker}{name}" };

        foreach (var environment in reference.Descriptor.Environments)
        {
            var stack = reference.Descriptor.Resolve(environment.Name);
            var exports = new[] { KubernetesExporter.Export(stack, options), ComposeExporter.Export(stack, reference.ComposeFile, options) };
            foreach (var file in exports.SelectMany(e => e.Files))
            {
                Assert.All(secretVariables, variable => Assert.DoesNotContain(Marker + variable, file.Content, StringComparison.Ordinal));
                Assert.All(reference.SecretFileValues, value => Assert.DoesNotContain(value, file.Content, StringComparison.Ordinal));
            }

            // And each secret a service needs is named, with how to create it.
            var used = stack.Secrets.Where(s => stack.Services.Any(service => service.Secrets.Contains(s.Name))).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, s => Assert.Contains($"kubectl create secret generic {s.Name.Replace('_', '-')} -n shop --from-file={s.Name}=", exports[0].Instructions, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EachSecretIsCreatedFromItsSourceInItsEnvironment()
    {
        var dev = reference.Descriptor.Resolve("dev");
        var kubernetes = KubernetesExporter.Export(dev, reference.Options).Instructions;
        var compose = ComposeExporter.Export(dev, reference.ComposeFile, reference.Options);

        // dev: db_password from a file, payment_api_key from the stack project's user secrets.
        Assert.Contains("kubectl create secret generic db-password -n shop --from-file=db_password=examples/hello/secrets/db_password.txt\n", kubernetes, StringComparison.Ordinal);
        Assert.Contains("printf '%s' \"$(dotnet user-secrets list | sed -n 's/^Payments:ApiKey = //p')\" | kubectl create secret generic payment-api-key -n shop --from-file=payment_api_key=/dev/stdin\n", kubernetes, StringComparison.Ordinal);
        Assert.Equal("../examples/hello/secrets/db_password.txt", At(Compose(compose), "secrets", "db_password", "file"));
        Assert.Equal("./secrets/payment_api_key", At(Compose(compose), "secrets", "payment_api_key", "file"));
        Assert.Contains("> ./deploy/secrets/payment_api_key\n", compose.Instructions, StringComparison.Ordinal);

        // prod: both from host variables.
        Assert.Contains("printf '%s' \"$SHOP_DB_PASSWORD\" | kubectl create secret generic db-password -n shop --from-file=db_password=/dev/stdin\n", reference.Kubernetes.Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNamespaceIsKustomizationsAndTheWaitingServiceAccounts()
    {
        var binding = Kubernetes(reference.Kubernetes).OfType<V1RoleBinding>().Single();

        Assert.Equal(("ServiceAccount", "shop-job-wait", "shop"), (binding.Subjects[0].Kind, binding.Subjects[0].Name, binding.Subjects[0].NamespaceProperty));
        Assert.Contains("\nnamespace: shop\n", reference.Kubernetes.File("kustomization.yaml").Content, StringComparison.Ordinal);
        Assert.All(Kubernetes(reference.Kubernetes).OfType<IMetadata<V1ObjectMeta>>(), o => Assert.Null(o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void ExportingTwiceWritesTheSameFiles()
    {
        var again = KubernetesExporter.Export(Prod, reference.Options);

        Assert.Equal(reference.Kubernetes.Files, again.Files);
    }
}
