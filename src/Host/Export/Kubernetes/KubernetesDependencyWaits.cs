using System.Globalization;
using Berth.Host.Networking;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// <c>depends_on</c> as init containers, since Kubernetes starts a workload's pods without regard to others. A
/// dependency with a port is waited for through its Service, which only has the pods that are ready (whose readiness
/// probe, the health check, passes; without one, that run), so one connection that succeeds means
/// <c>started</c> and <c>healthy</c> alike. A job's completion is waited for with <c>kubectl wait</c>, which needs
/// to read Jobs from the API: the pod runs as a ServiceAccount allowed only that, whose token only the waiting init
/// container gets.
/// </summary>
internal static class KubernetesDependencyWaits
{
    public const string BusyboxImage = "docker.io/library/busybox:1.37";
    public const string KubectlImage = "registry.k8s.io/kubectl:v1.34.0";
    public const string ApiAccessVolume = "kube-api-access";
    private const string ServiceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The init containers that make <paramref name="service"/>'s pods wait for its dependencies, in declaration order.</summary>
    public static IReadOnlyList<V1Container> For(KubernetesExportContext context, ServiceDefinition service)
    {
        var waits = new List<V1Container>();
        foreach (var dependency in context.Running.DependenciesOf(service.Name))
        {
            var target = context.Stack.GetService(dependency.Service);
            var name = context.Names.Service(target);
            if (dependency.Condition == DependencyCondition.Completed)
            {
                waits.Add(Container($"wait-for-{name}", KubectlImage, ["kubectl", "wait", "--for=condition=complete", $"job/{name}", "--timeout=1h"], apiAccess: true));
            }
            else if (ServiceNetworkPlan.Reachable(context.Stack, service).Contains(target))
            {
                var port = target.Port!.Value.ToString(CultureInfo.InvariantCulture);
                waits.Add(Container($"wait-for-{name}", BusyboxImage, ["sh", "-c", $"until nc -z -w 2 {name} {port}; do sleep 1; done"], apiAccess: false));
            }
            else
            {
                context.Warn(
                    $"Kubernetes starts pods in no order, and '{dependency.Service}' has no port in the pod network to wait on: {service.Name} does not wait for it to be {dependency.Condition.ToString().ToLowerInvariant()}.",
                    "services", service.Name, "depends_on", dependency.Service);
            }
        }

        context.WaitImages.UnionWith(waits.Select(w => w.Image));
        return waits;
    }

    /// <summary>Whether <paramref name="service"/>'s pods wait for a Job, and so need the API.</summary>
    public static bool WaitsForJob(KubernetesExportContext context, ServiceDefinition service) =>
        context.Running.DependenciesOf(service.Name).Any(d => d.Condition == DependencyCondition.Completed);

    public static string ServiceAccountName(KubernetesExportContext context) => $"{context.Names.Stack}-job-wait";

    /// <summary>The token, CA and namespace kubectl reads in a pod, as the API-access volume Kubernetes mounts by default, but for the waiting container only.</summary>
    public static V1Volume ApiAccess() => new()
    {
        Name = ApiAccessVolume,
        Projected = new V1ProjectedVolumeSource
        {
            DefaultMode = Convert.ToInt32("444", 8),
            Sources =
            [
                new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 3607 } },
                new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                new V1VolumeProjection
                {
                    DownwardAPI = new V1DownwardAPIProjection
                    {
                        Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }],
                    },
                },
            ],
        },
    };

    /// <summary>The ServiceAccount, Role and RoleBinding that let waiting pods read the stack's Jobs, and nothing else.</summary>
    public static IReadOnlyList<object> Access(KubernetesExportContext context, IReadOnlyList<ServiceDefinition> jobs)
    {
        var name = ServiceAccountName(context);
        return
        [
            new V1ServiceAccount
            {
                ApiVersion = "v1",
                Kind = "ServiceAccount",
                Metadata = new V1ObjectMeta { Name = name, Labels = context.StackLabels() },
                AutomountServiceAccountToken = false,
            },
            new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = new V1ObjectMeta { Name = name, Labels = context.StackLabels() },
                Rules =
                [
                    new V1PolicyRule
                    {
                        ApiGroups = ["batch"],
                        Resources = ["jobs"],
                        ResourceNames = [.. jobs.Select(context.Names.Service)],
                        Verbs = ["get", "list", "watch"],
                    },
                ],
            },
            new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = new V1ObjectMeta { Name = name, Labels = context.StackLabels() },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = context.Options.Namespace }],
            },
        ];
    }

    private static V1Container Container(string name, string image, List<string> command, bool apiAccess) => new()
    {
        Name = name,
        Image = image,
        Command = command,
        Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
            Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
        },

        // Whatever user the service runs as, the waiting container needs none of its own: nobody, nothing, read-only.
        SecurityContext = new V1SecurityContext
        {
            RunAsUser = 65534,
            RunAsGroup = 65534,
            RunAsNonRoot = true,
            AllowPrivilegeEscalation = false,
            ReadOnlyRootFilesystem = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        VolumeMounts = apiAccess ? [new V1VolumeMount { Name = ApiAccessVolume, MountPath = ServiceAccountMountPath, ReadOnlyProperty = true }] : null,
    };
}
