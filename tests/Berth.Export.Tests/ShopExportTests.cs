using k8s.Models;
using static Berth.Export.Tests.ExportedObjects;

namespace Berth.Export.Tests;

/// <summary>
/// The example shop in prod as its stack.toml describes it, in both exports: what the theories over both stacks
/// derive from the definition, pinned here to the shop's own facts.
/// </summary>
public sealed class ShopExportTests
{
    private static ExportedStack Shop => ExportedStack.Shop;

    [Fact]
    public void CatalogRunsTwoReplicasAndEveryServiceHasProdsLimits()
    {
        var objects = Kubernetes(Shop.Kubernetes);
        var compose = Compose(Shop.Compose);

        Assert.Equal(2, objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "catalog").Spec.Replicas);
        Assert.Equal("2", At(compose, "services", "catalog", "deploy", "replicas"));
        foreach (var service in new[] { "storefront", "catalog", "basket", "migrate", "orders", "payments" })
        {
            var resources = Pod(objects, service).Spec.Containers.Single().Resources;
            Assert.Equal(("256Mi", "500m"), (resources.Limits["memory"].ToString(), resources.Limits["cpu"].ToString()));
            Assert.Equal(("256m", "0.5"), (At(compose, "services", service, "deploy", "resources", "limits", "memory"), At(compose, "services", service, "deploy", "resources", "limits", "cpus")));
        }
    }

    [Fact]
    public void OnlyOrdersReachesPaymentsWhichHasNoRoute()
    {
        var objects = Kubernetes(Shop.Kubernetes);
        var compose = Compose(Shop.Compose);

        Assert.Equal(["/", "/api/basket", "/api/catalog", "/api/orders"], objects.OfType<V1Ingress>().Single().Spec.Rules.Single().Http.Paths.Select(p => p.Path));
        Assert.DoesNotContain("payments", Shop.Compose.File("compose.gateway.conf").Content, StringComparison.Ordinal);

        var policy = objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "payments");
        var rule = Assert.Single(policy.Spec.Ingress);
        Assert.Equal("orders", Assert.Single(rule.FromProperty).PodSelector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Null(policy.Spec.Egress);
        Assert.Equal(["orders-to-payments"], List(At(compose, "services", "payments", "networks")));
    }

    [Fact]
    public void MigrateIsAJobThatOrdersWaitsFor()
    {
        var objects = Kubernetes(Shop.Kubernetes);
        var compose = Compose(Shop.Compose);

        var job = objects.OfType<V1Job>().Single();
        Assert.Equal(("migrate", "Never", 0), (job.Metadata.Name, job.Spec.Template.Spec.RestartPolicy, job.Spec.BackoffLimit));
        Assert.DoesNotContain(objects.OfType<V1Deployment>(), d => d.Metadata.Name == "migrate");
        var orders = Pod(objects, "orders").Spec;
        Assert.Equal(["wait-for-migrate", "wait-for-catalog", "wait-for-payments"], orders.InitContainers.Select(c => c.Name));
        Assert.Equal(["kubectl", "wait", "--for=condition=complete", "job/migrate", "--timeout=1h"], orders.InitContainers[0].Command);
        Assert.Equal("shop-job-wait", orders.ServiceAccountName);

        Assert.Equal("service_completed_successfully", At(compose, "services", "orders", "depends_on", "migrate", "condition"));
        Assert.Equal("no", At(compose, "services", "migrate", "restart"));
        Assert.Equal("none", At(compose, "services", "migrate", "network_mode"));
    }

    [Fact]
    public void ThePaymentsKeyIsReferencedNeverWritten()
    {
        var objects = Kubernetes(Shop.Kubernetes);
        var compose = Compose(Shop.Compose);

        foreach (var service in new[] { "orders", "payments" })
        {
            var pod = Pod(objects, service).Spec;
            var secrets = pod.Volumes.Single(v => v.Name == "secrets").Projected;
            var source = Assert.Single(secrets.Sources).Secret;
            Assert.Equal(("payments-api-key", "payments_api_key"), (source.Name, Assert.Single(source.Items).Key));
            Assert.Equal("/run/secrets", pod.Containers.Single().VolumeMounts.Single(m => m.Name == "secrets").MountPath);
            Assert.Equal(["payments_api_key"], List(At(compose, "services", service, "secrets")));
        }

        Assert.Empty(objects.OfType<V1Secret>());
        Assert.Equal("./secrets/payments_api_key", At(compose, "secrets", "payments_api_key", "file"));
        Assert.Contains("printf '%s' \"$SHOP_PAYMENTS_API_KEY\" | kubectl create secret generic payments-api-key -n default --from-file=payments_api_key=/dev/stdin\n", Shop.Kubernetes.Instructions, StringComparison.Ordinal);
        Assert.Contains("printf '%s' \"$SHOP_PAYMENTS_API_KEY\" > ./deploy/secrets/payments_api_key\n", Shop.Compose.Instructions, StringComparison.Ordinal);
    }
}
