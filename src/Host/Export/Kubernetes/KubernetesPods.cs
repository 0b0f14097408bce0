using System.Globalization;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// A service's pod: its container with Berth's isolation defaults (non-root, no capabilities but <c>cap_add</c>,
/// no privilege escalation, the runtime's default seccomp profile, <c>read_only</c>), its limits, its health check
/// as a readiness probe, its environment from its ConfigMap, its secrets at <c>/run/secrets</c> and its volumes.
/// </summary>
internal static class KubernetesPods
{
    /// <summary>Berth's default user and group: nobody/nogroup.</summary>
    private const long Nobody = 65534;

    public static V1PodTemplateSpec Template(KubernetesExportContext context, ServiceDefinition service, string environmentChecksum)
    {
        var name = context.Names.Service(service);
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        AddVolumes(context, service, volumes, mounts);
        AddSecrets(context, service, volumes, mounts);

        if (ExportImage.DirectoryWarning(context.Images, service) is { } directory)
        {
            context.Warnings.Add(directory);
        }

        var user = UserOf(context, service);
        var waits = KubernetesDependencyWaits.For(context, service);
        var waitsForJob = KubernetesDependencyWaits.WaitsForJob(context, service);
        if (waitsForJob)
        {
            volumes.Add(KubernetesDependencyWaits.ApiAccess());
        }

        var container = new V1Container
        {
            Name = name,
            Image = context.ImageOf(service),
            Command = service.Command.IsEmpty ? null : [.. service.Command.Select(Literal)],
            Args = service.Args.IsEmpty ? null : [.. service.Args.Select(Literal)],
            Ports = service.Port is { } port
                ? [new V1ContainerPort { Name = PortName(service), ContainerPort = port, Protocol = "TCP" }]
                : null,
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = EnvironmentConfigMap(context, service) } }],
            Resources = Resources(context, service),
            ReadinessProbe = KubernetesProbes.Readiness(context, service),
            SecurityContext = ContainerSecurity(context, service, user),
            VolumeMounts = mounts.Count == 0 ? null : mounts,
        };

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = context.Labels(service),

                // A change of the ConfigMap alone would not restart the pods; a change of the template does.
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { ["berth/environment-checksum"] = environmentChecksum },
            },
            Spec = new V1PodSpec
            {
                // Berth gives a service exactly its stack's variables and no access to anything it did not declare.
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                ServiceAccountName = waitsForJob ? KubernetesDependencyWaits.ServiceAccountName(context) : null,
                HostNetwork = service.Network == NetworkMode.Host ? true : null,
                DnsPolicy = service.Network == NetworkMode.Host ? "ClusterFirstWithHostNet" : null,

                // init = true: a PID 1 that reaps and forwards signals. Kubernetes' is the pod's pause process.
                ShareProcessNamespace = service.Init ? true : null,
                TerminationGracePeriodSeconds = (long)Math.Ceiling(service.StopGracePeriod.TotalSeconds),
                SecurityContext = PodSecurity(user),
                InitContainers = waits.Count == 0 ? null : [.. waits],
                Containers = [container],
                Volumes = volumes.Count == 0 ? null : volumes,
            },
        };
    }

    public static string EnvironmentConfigMap(KubernetesExportContext context, ServiceDefinition service) => $"{context.Names.Service(service)}-env";

    public static string PortName(ServiceDefinition service) => service.Protocol == ServiceProtocol.Http ? "http" : "tcp";

    /// <summary>
    /// Kubernetes expands <c>$(VAR)</c> in a container's command and arguments; <c>$$</c> keeps a '$' literal, as
    /// Berth passes them.
    /// </summary>
    private static string Literal(string text) => text.Replace("$(", "$$(", StringComparison.Ordinal);

    private static V1ResourceRequirements? Resources(KubernetesExportContext context, ServiceDefinition service)
    {
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (service.Limits.Cpus is { } cpus)
        {
            limits["cpu"] = KubernetesQuantities.Cpus(cpus);
        }

        if (service.Limits.MemoryBytes is { } memory)
        {
            limits["memory"] = KubernetesQuantities.Bytes(memory);
        }

        if (service.Limits.Pids is { } pids)
        {
            context.Warn(
                $"a container has no process limit in Kubernetes (the kubelet's podPidsLimit applies to every pod of a node); the {pids} processes are not enforced.",
                "services", service.Name, "limits", "pids");
        }

        // Requests as the limits: what a container gets without requests, written out, so the scheduler reserves it.
        return limits.Count == 0 ? null : new V1ResourceRequirements { Limits = limits, Requests = new Dictionary<string, ResourceQuantity>(limits, StringComparer.Ordinal) };
    }

    private static V1PodSecurityContext PodSecurity((long? Uid, long? Gid) user) =>
        new()
        {
            RunAsNonRoot = user.Uid != 0,
            RunAsUser = user.Uid,
            RunAsGroup = user.Gid,

            // Secrets and volumes belong to this group, which every container process has as a supplementary one.
            FsGroup = user.Gid ?? Nobody,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };

    private static V1SecurityContext ContainerSecurity(KubernetesExportContext context, ServiceDefinition service, (long? Uid, long? Gid) user)
    {
        if (!service.CapAdd.IsEmpty && user.Uid != 0)
        {
            context.Warn(
                "Kubernetes adds capabilities to a non-root process's bounding set only, so it has them only through file capabilities; Berth raises them as ambient capabilities. Run the service as root (user = \"0\") or give its program file capabilities.",
                "services", service.Name, "cap_add");
        }

        return new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            ReadOnlyRootFilesystem = service.ReadOnly,
            Capabilities = new V1Capabilities { Drop = ["ALL"], Add = service.CapAdd.IsEmpty ? null : [.. service.CapAdd] },
        };
    }

    private static (long? Uid, long? Gid) UserOf(KubernetesExportContext context, ServiceDefinition service)
    {
        if (service.User is null)
        {
            return (Nobody, Nobody);
        }

        var parts = service.User.Split(':');
        if (parts.Length <= 2 && parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var uid = long.Parse(parts[0], CultureInfo.InvariantCulture);
            return (uid, parts.Length == 2 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : null);
        }

        if (service.User is "root" or "root:root")
        {
            return (0, 0);
        }

        context.Warn(
            "Kubernetes takes a numeric user; the container runs as its image's user, which runAsNonRoot requires to be numeric and not root. Write the uid instead (for the .NET images' \"app\": \"1654\").",
            "services", service.Name, "user");

        return (null, null);
    }

    private static void AddVolumes(KubernetesExportContext context, ServiceDefinition service, List<V1Volume> volumes, List<V1VolumeMount> mounts)
    {
        for (var i = 0; i < service.Volumes.Length; i++)
        {
            var volume = service.Volumes[i];
            string name;
            switch (volume.Kind)
            {
                case VolumeKind.Tmpfs:
                    name = $"tmpfs-{i}";
                    volumes.Add(new V1Volume
                    {
                        Name = name,
                        EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = volume.SizeBytes is { } size ? KubernetesQuantities.Bytes(size) : null },
                    });
                    break;
                case VolumeKind.Named:
                    // Named by position, as the others: a volume named "secrets" must not meet the secrets' volume.
                    name = $"volume-{i}";
                    volumes.Add(new V1Volume
                    {
                        Name = name,
                        PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = context.Names.Volume(volume.Source!), ReadOnlyProperty = volume.ReadOnly ? true : null },
                    });
                    break;
                case VolumeKind.Bind when volume.Source!.StartsWith('/'):
                    name = $"host-{i}";
                    context.Warn(
                        $"a bind mount of {volume.Source} is a hostPath: the node's {volume.Source}, on whichever node the pod runs.",
                        "services", service.Name, "volumes");
                    volumes.Add(new V1Volume { Name = name, HostPath = new V1HostPathVolumeSource { Path = volume.Source } });
                    break;
                default:
                    context.Warn(
                        $"the bind mount of {volume.Source} (files next to stack.toml) at {volume.Target} has no Kubernetes equivalent and is left out: put the files into the image, or into a ConfigMap mounted at {volume.Target}.",
                        "services", service.Name, "volumes");
                    continue;
            }

            mounts.Add(new V1VolumeMount { Name = name, MountPath = volume.Target, ReadOnlyProperty = volume.ReadOnly ? true : null });
        }
    }

    /// <summary>Each secret the service lists, at <c>/run/secrets/NAME</c>, readable by the pod's group only.</summary>
    private static void AddSecrets(KubernetesExportContext context, ServiceDefinition service, List<V1Volume> volumes, List<V1VolumeMount> mounts)
    {
        if (service.Secrets.IsEmpty)
        {
            return;
        }

        volumes.Add(new V1Volume
        {
            Name = "secrets",
            Projected = new V1ProjectedVolumeSource
            {
                DefaultMode = Convert.ToInt32("440", 8),
                Sources =
                [
                    .. service.Secrets.Select(secret => new V1VolumeProjection
                    {
                        Secret = new V1SecretProjection
                        {
                            Name = context.Names.Secret(secret),
                            Items = [new V1KeyToPath { Key = secret, Path = secret }],
                        },
                    }),
                ],
            },
        });
        mounts.Add(new V1VolumeMount { Name = "secrets", MountPath = "/run/secrets", ReadOnlyProperty = true });
    }
}
