using System.Collections.Immutable;
using Berth.Host;
using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;
using k8s.Models;
using static Berth.Export.Tests.ExportedObjects;

namespace Berth.Export.Tests;

/// <summary>What the reference stack does not have: names Kubernetes spells differently, and what neither target can express.</summary>
public sealed class EdgeCaseExportTests
{
    private static readonly ExportOptions s_options = new();

    [Fact]
    public void NamesBecomeKubernetesNamesAndTheVariablesKeepTheStacksNames()
    {
        var stack = Stack(
            new ServiceDefinition { Name = "Catalog_DB", Image = "postgres:17", Port = 5432, Protocol = ServiceProtocol.Tcp, Volumes = [new VolumeDefinition { Kind = VolumeKind.Named, Source = "secrets", Target = "/data" }] },
            new ServiceDefinition { Name = "api", Image = "api:1", Port = 8080, DependsOn = [new ServiceDependency("Catalog_DB")], Secrets = ["Db_Password"] });

        var objects = Kubernetes(KubernetesExporter.Export(stack, s_options));

        Assert.Contains(objects, o => o is V1Service { Metadata.Name: "catalog-db" });
        var api = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "api-env");
        Assert.Equal("tcp://catalog-db:5432", api.Data["services__Catalog_DB__tcp__0"]);
        var pod = Pod(objects, "catalog-db").Spec;
        Assert.Equal("secrets", Assert.Single(pod.Volumes).PersistentVolumeClaim.ClaimName);
        Assert.Equal("db-password", Assert.Single(Pod(objects, "api").Spec.Volumes.Single(v => v.Name == "secrets").Projected.Sources).Secret.Name);
        Assert.Equal("until nc -z -w 2 catalog-db 5432; do sleep 1; done", Pod(objects, "api").Spec.InitContainers.Single().Command[2]);
    }

    [Fact]
    public void TwoNamesThatBecomeOneAreAnError()
    {
        var stack = Stack(new ServiceDefinition { Name = "cache_a", Image = "x" }, new ServiceDefinition { Name = "cache-a", Image = "x" });

        var error = Assert.Throws<ArgumentException>(() => KubernetesExporter.Export(stack, s_options));

        Assert.Equal("The services 'cache_a' and 'cache-a' would both be named 'cache-a' in Kubernetes, whose names are lowercase with '-' for '_'. Rename one of them in stack.toml.", error.Message);
    }

    [Fact]
    public void WhatCannotBeExpressedIsAWarningOnItsKey()
    {
        var stack = Stack(
            new ServiceDefinition
            {
                Name = "web",
                Image = "web:1",
                Port = 8080,
                Network = NetworkMode.Host,
                Routes = ["/"],
                Health = new HealthCheckDefinition { Kind = HealthCheckKind.Http, HttpPath = "/health", Interval = TimeSpan.FromMilliseconds(500), Retries = 0 },
                DependsOn = [new ServiceDependency("worker", DependencyCondition.Healthy)],
                Ports = [new PortMapping(9000, 9000)],
            },
            new ServiceDefinition { Name = "worker", Image = "worker:1", User = "root", CapAdd = ["NET_ADMIN"], Health = new HealthCheckDefinition { Kind = HealthCheckKind.Tcp } });

        var kubernetes = KubernetesExporter.Export(stack, s_options);
        var compose = ComposeExporter.Export(stack, "/stacks/edge/compose.yaml", s_options);

        Assert.Equal(
            [
                "gateway.bind", "gateway.port", "services.web.depends_on.worker", "services.web.health.interval", "services.web.ports",
                "services.web.restart", "services.worker.health", "services.worker.restart",
            ],
            kubernetes.Warnings.Select(w => w.Key));
        Assert.Equal(["services.web.health.http", "services.web.routes", "services.worker.health"], compose.Warnings.Select(w => w.Key));

        // Root keeps its capability without a warning; a probe counts at least one failure and one second.
        var worker = Pod(Kubernetes(kubernetes), "worker").Spec;
        Assert.False(worker.SecurityContext.RunAsNonRoot);
        Assert.Equal(["NET_ADMIN"], worker.Containers[0].SecurityContext.Capabilities.Add);
        var probe = Pod(Kubernetes(kubernetes), "web").Spec.Containers[0].ReadinessProbe;
        Assert.Equal((1, 1), (probe.PeriodSeconds, probe.FailureThreshold));
    }

    [Fact]
    public void ComposeEscapesWhatItWouldInterpolateAndKeepsWhatItShould()
    {
        var stack = Stack(new ServiceDefinition
        {
            Name = "app",
            Image = "app:1",
            Args = ["--price", "$5"],
            Config = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("Prices:Format", "$0.00")]),
            Env = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("A", "${HOME:-/root}"), KeyValuePair.Create("B", "cost $1 or $$2")]),
        });

        var service = Map(At(Compose(ComposeExporter.Export(stack, "/stacks/edge/compose.yaml", s_options)), "services", "app")!);
        var kubernetes = Kubernetes(KubernetesExporter.Export(stack, s_options with { HostVariable = name => name == "HOME" ? "/home/app" : null }));

        Assert.Equal(["--price", "$$5"], List(service["command"]));
        Assert.Equal("$$0.00", At(service, "environment", "Prices__Format"));
        Assert.Equal("${HOME:-/root}", At(service, "environment", "A"));
        Assert.Equal("cost $$1 or $$2", At(service, "environment", "B"));
        var environment = kubernetes.OfType<V1ConfigMap>().Single().Data;
        Assert.Equal(("/home/app", "cost $1 or $2", "$0.00"), (environment["A"], environment["B"], environment["Prices__Format"]));
    }

    [Fact]
    public void LocalImagesGetNamesAndTheCommandsThatPutThemThere()
    {
        var stack = Stack(
            new ServiceDefinition { Name = "tool", Image = "oci:./images/tool:1.0" },
            new ServiceDefinition { Name = "cache", Image = "oci-archive:./images/redis.tar" },
            new ServiceDefinition { Name = "shell", Image = "./rootfs/busybox" },
            new ServiceDefinition { Name = "db", Image = "docker.io/library/postgres:17" });
        var options = s_options with { Registry = "registry.example.com", Tag = "7" };

        var kubernetes = KubernetesExporter.Export(stack, options);
        var compose = ComposeExporter.Export(stack, "/stacks/edge/compose.yaml", options);

        var objects = Kubernetes(kubernetes);
        var services = Map(Compose(compose)["services"]);
        foreach (var (service, image) in new[]
        {
            ("tool", "registry.example.com/edge/tool:1.0"),
            ("cache", "registry.example.com/edge/redis:7"),
            ("shell", "registry.example.com/edge/busybox:7"),
            ("db", "docker.io/library/postgres:17"),
        })
        {
            Assert.Equal(image, Pod(objects, service).Spec.Containers[0].Image);
            Assert.Equal(image, At(services, service, "image"));
        }

        Assert.Contains("skopeo copy oci:./images/tool:1.0 docker://registry.example.com/edge/tool:1.0\n", kubernetes.Instructions, StringComparison.Ordinal);
        Assert.Contains("skopeo copy oci-archive:./images/redis.tar docker://registry.example.com/edge/redis:7\n", compose.Instructions, StringComparison.Ordinal);
        Assert.Equal(["services.shell.image"], kubernetes.Warnings.Where(w => w.Key.EndsWith(".image", StringComparison.Ordinal)).Select(w => w.Key));
        Assert.Equal(["services.shell.image"], compose.Warnings.Where(w => w.Key.EndsWith(".image", StringComparison.Ordinal)).Select(w => w.Key));
    }

    private static StackDefinition Stack(params ServiceDefinition[] services) => new()
    {
        Name = "edge",
        Environment = "dev",
        DotnetEnvironment = "Development",
        SourceDirectory = "/stacks/edge",
        Services = [.. services],
        Secrets = [.. services.SelectMany(s => s.Secrets).Distinct().Select(name => new SecretDefinition(name, SecretSourceKind.Env, name.ToUpperInvariant()))],
    };
}
