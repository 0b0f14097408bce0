using Berth.Host.Networking;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// Berth's default-deny as NetworkPolicies: no pod of the stack takes or makes any connection but those allowed
/// here. A service takes connections on its port from the services that declare it in <c>depends_on</c> (and from
/// anywhere, if it has <c>routes</c>: the ingress controller runs outside the stack), and makes connections to the
/// services it declares, to the cluster's DNS to find them and, to wait for a Job, to the API.
/// </summary>
internal static class KubernetesNetworkPolicies
{
    /// <summary>Selects every pod of the stack and allows nothing: what the per-service policies allow is all there is.</summary>
    public static V1NetworkPolicy DefaultDeny(KubernetesExportContext context) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = $"{context.Names.Stack}-default-deny", Labels = context.StackLabels() },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesExportContext.PartOfLabel] = context.Names.Stack } },
            PolicyTypes = ["Ingress", "Egress"],
        },
    };

    /// <summary>What <paramref name="service"/> may take and make; null for a service in the host's network, which no policy reaches.</summary>
    public static V1NetworkPolicy? For(KubernetesExportContext context, ServiceDefinition service)
    {
        if (service.Network == NetworkMode.Host)
        {
            return null;
        }

        var ingress = new List<V1NetworkPolicyIngressRule>();
        if (service.Port is { } port)
        {
            var callers = context.Stack.Services
                .Where(s => s.Network == NetworkMode.Isolated && ServiceNetworkPlan.Reachable(context.Stack, s).Contains(service))
                .ToList();
            if (callers.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule
                {
                    FromProperty = [.. callers.Select(c => new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = context.Selector(c) } })],
                    Ports = [Tcp(port)],
                });
            }

            if (!service.Routes.IsEmpty)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { Ports = [Tcp(port)] });
            }
        }

        var egress = new List<V1NetworkPolicyEgressRule>();
        var dependencies = ServiceNetworkPlan.Reachable(context.Stack, service);
        foreach (var dependency in dependencies)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = context.Selector(dependency) } }],
                Ports = [Tcp(dependency.Port!.Value)],
            });
        }

        var waitsForJob = KubernetesDependencyWaits.WaitsForJob(context, service);
        if (waitsForJob)
        {
            // The API server is no pod a selector can name, and its address is the cluster's own.
            egress.Add(new V1NetworkPolicyEgressRule { Ports = [Tcp(443), Tcp(6443)] });
            foreach (var job in context.Running.DependenciesOf(service.Name).Where(d => d.Condition == DependencyCondition.Completed))
            {
                context.Warn(
                    "waiting for the Job needs the Kubernetes API, so the pod may connect to TCP ports 443 and 6443 anywhere; narrow the rule to your API server's address (kubectl get endpoints kubernetes -n default).",
                    "services", service.Name, "depends_on", job.Service);
            }
        }

        if (dependencies.Count > 0 || waitsForJob)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector(),
                        PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { ["k8s-app"] = "kube-dns" } },
                    },
                ],
                Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, Tcp(53)],
            });
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = context.Metadata(service),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = context.Selector(service) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = ingress.Count == 0 ? null : ingress,
                Egress = egress.Count == 0 ? null : egress,
            },
        };
    }

    private static V1NetworkPolicyPort Tcp(int port) => new() { Protocol = "TCP", Port = port };
}
