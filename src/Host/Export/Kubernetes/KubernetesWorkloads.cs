using System.Security.Cryptography;
using System.Text;
using Berth.Host.Configuration;
using Berth.Host.Networking;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>A service's own objects: its environment's ConfigMap, its Deployment (or Job, for a one-shot job) and its Service.</summary>
internal static class KubernetesWorkloads
{
    public static IEnumerable<object> For(KubernetesExportContext context, ServiceDefinition service)
    {
        var environment = EnvironmentOf(context, service);
        yield return environment;
        var checksum = Checksum(environment.Data);
        var isJob = context.IsJob(service);
        yield return isJob ? Job(context, service, checksum) : Deployment(context, service, checksum);
        if (!service.Ports.IsEmpty)
        {
            context.Warn(
                $"a manifest cannot publish ports on the machine that applies it; forward them from a pod instead: `kubectl port-forward {(isJob ? "pod/POD-OF-THE-JOB" : $"deployment/{context.Names.Service(service)}")} {string.Join(' ', service.Ports.Select(p => $"{p.HostPort}:{p.ContainerPort}"))}`.",
                "services", service.Name, "ports");
        }

        if (Service(context, service) is { } kubernetesService)
        {
            yield return kubernetesService;
        }
    }

    /// <summary>
    /// What Berth gives the service's process, in its order (DOTNET_ENVIRONMENT, config, env, then the network's
    /// variables), with <c>env</c> interpolated from the exporting shell: Kubernetes has no interpolation of its own.
    /// </summary>
    private static V1ConfigMap EnvironmentOf(KubernetesExportContext context, ServiceDefinition service)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in ServiceEnvironmentBuilder.Build(context.Stack, service, Read))
        {
            variables[name] = value;
        }

        foreach (var (name, value) in ServiceNetworkPlan.Environment(context.Stack, service, context.Names.Service))
        {
            variables[name] = value;
        }

        var unportable = variables.Keys.Where(name => !IsCIdentifier(name)).ToList();
        if (unportable.Count > 0)
        {
            context.Warn(
                $"{string.Join(", ", unportable)}: names that are not C identifiers need Kubernetes 1.32 or later (an older kubelet leaves them out of the container's environment).",
                "services", service.Name);
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = context.Metadata(service, KubernetesPods.EnvironmentConfigMap(context, service)),
            Data = variables,
        };

        string? Read(string variable)
        {
            context.HostVariablesRead.Add(variable);
            return context.Options.HostVariable(variable);
        }
    }

    private static V1Deployment Deployment(KubernetesExportContext context, ServiceDefinition service, string checksum)
    {
        if (service.Restart is RestartPolicy.No or RestartPolicy.OnFailure)
        {
            context.Warn(
                $"a Deployment restarts its containers whenever they exit; \"{(service.Restart == RestartPolicy.No ? "no" : "on-failure")}\" has no equivalent for a service that is not a job (one that some service waits for with \"completed\").",
                "services", service.Name, "restart");
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = context.Metadata(service),
            Spec = new V1DeploymentSpec
            {
                Replicas = service.Replicas,
                Selector = new V1LabelSelector { MatchLabels = context.Selector(service) },
                Template = KubernetesPods.Template(context, service, checksum),
            },
        };
    }

    /// <summary>
    /// A one-shot job. No <c>ttlSecondsAfterFinished</c>: a pod that starts later (a new replica, a restart) waits
    /// for the Job's completion, so the finished Job must stay.
    /// </summary>
    private static V1Job Job(KubernetesExportContext context, ServiceDefinition service, string checksum)
    {
        var template = KubernetesPods.Template(context, service, checksum);
        template.Spec.RestartPolicy = service.Restart == RestartPolicy.No ? "Never" : "OnFailure";
        if (service.Restart is RestartPolicy.Always or RestartPolicy.UnlessStopped)
        {
            context.Warn(
                "a Job's pods cannot restart after a successful exit; the job is restarted on failure only (restartPolicy OnFailure).",
                "services", service.Name, "restart");
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = context.Metadata(service),
            Spec = new V1JobSpec
            {
                // Every replica runs the job once, as Berth runs each replica to its exit.
                Completions = service.Replicas,
                Parallelism = service.Replicas,
                BackoffLimit = service.Restart == RestartPolicy.No ? 0 : null,
                Template = template,
            },
        };
    }

    /// <summary>
    /// The service's DNS name and port in the cluster. An HTTP service answers on port 80 too, as in Berth's mesh, so
    /// both <c>http://catalog:8080</c> and <c>http://catalog</c> work.
    /// </summary>
    private static V1Service? Service(KubernetesExportContext context, ServiceDefinition service)
    {
        if (service.Port is not { } port)
        {
            return null;
        }

        var portName = KubernetesPods.PortName(service);
        var ports = ServiceNetworkPlan.MeshPorts(service)
            .Select(p => new V1ServicePort { Name = p == port ? portName : $"{portName}-{p}", Port = p, TargetPort = portName, Protocol = "TCP" })
            .ToList();
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = context.Metadata(service),
            Spec = new V1ServiceSpec { Selector = context.Selector(service), Ports = ports },
        };
    }

    private static string Checksum(IDictionary<string, string> data)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(value).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static bool IsCIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
