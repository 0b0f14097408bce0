using System.Text;
using k8s;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// Writes a resolved stack as Kubernetes manifests: one file per service (its ConfigMap, Deployment or Job, Service
/// and NetworkPolicy), the named volumes' claims, the gateway's Ingress, the default-deny policy, what waiting for
/// jobs needs, a kustomization.yaml that lists them (<c>kubectl apply -k DIR</c>) and a README.md that says what
/// to do first. Secret values are never read: the README says which Secrets to create and how.
/// </summary>
public static class KubernetesExporter
{
    /// <exception cref="ArgumentException">Two names of the stack become one in Kubernetes.</exception>
    /// <exception cref="Configuration.StackConfigurationException">An <c>env</c> value needs a host variable that is not set.</exception>
    public static StackExport Export(StackDefinition stack, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);

        var context = new KubernetesExportContext(stack, options);
        var files = new List<ExportedFile>();
        var claims = KubernetesVolumes.For(context);
        if (claims.Count > 0)
        {
            files.Add(Manifest("volumes.yaml", claims));
        }

        var jobs = stack.Services.Where(context.IsJob).ToList();
        if (stack.Services.Any(s => KubernetesDependencyWaits.WaitsForJob(context, s)))
        {
            files.Add(Manifest("job-wait.yaml", KubernetesDependencyWaits.Access(context, jobs)));
        }

        foreach (var service in stack.Services)
        {
            var objects = KubernetesWorkloads.For(context, service).ToList();
            if (KubernetesNetworkPolicies.For(context, service) is { } policy)
            {
                objects.Add(policy);
            }

            files.Add(Manifest($"{context.Names.Service(service)}.yaml", objects));
        }

        if (KubernetesIngress.For(context) is { } ingress)
        {
            files.Add(Manifest("ingress.yaml", [ingress]));
        }

        files.Add(Manifest("network-policy.yaml", [KubernetesNetworkPolicies.DefaultDeny(context)]));
        files.Add(new ExportedFile("kustomization.yaml", Kustomization(options.Namespace, files)));

        var instructions = Instructions(context, jobs);
        files.Add(new ExportedFile("README.md", instructions));
        return new StackExport(files, context.SortedWarnings(), instructions);
    }

    private static ExportedFile Manifest(string path, IEnumerable<object> objects) =>
        new(path, string.Join("---\n", objects.Select(o => KubernetesYaml.Serialize(o).ReplaceLineEndings("\n").TrimEnd('\n') + "\n")));

    private static string Kustomization(string @namespace, IEnumerable<ExportedFile> files)
    {
        var text = new StringBuilder($"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {@namespace}\nresources:\n");
        foreach (var file in files)
        {
            text.Append("- ").Append(file.Path).Append('\n');
        }

        return text.ToString();
    }

    private static string Instructions(KubernetesExportContext context, IReadOnlyList<ServiceDefinition> jobs)
    {
        var stack = context.Stack;
        var secrets = SecretValueCommand.Used(stack)
            .Select(secret =>
            {
                var name = context.Names.Secret(secret.Name);
                return secret.SourceKind == SecretSourceKind.File
                    ? $"kubectl create secret generic {name} -n {context.Options.Namespace} --from-file={secret.Name}={ShellWords.Quote(secret.Source)}"
                    : $"{SecretValueCommand.For(secret)} | kubectl create secret generic {name} -n {context.Options.Namespace} --from-file={secret.Name}=/dev/stdin";
            })
            .ToList();

        var notes = new List<string>();
        if (context.HostVariablesRead.Count > 0)
        {
            notes.Add($"`env` values were interpolated from the variables of the shell that exported: {string.Join(", ", context.HostVariablesRead)}. Export again when they change.");
        }

        if (stack.Services.Any(s => s.Volumes.Any(v => v.Kind == VolumeKind.Named)))
        {
            notes.Add($"Each PersistentVolumeClaim in volumes.yaml asks for {KubernetesVolumes.DefaultSize} of the cluster's default storage class; stack.toml gives volumes no size.");
        }

        if (jobs.Count > 0)
        {
            notes.Add($"A Job cannot be changed once created: delete it before applying a new version (`kubectl delete job -n {context.Options.Namespace} {string.Join(' ', jobs.Select(context.Names.Service))}`).");
        }

        if (context.WaitImages.Count > 0)
        {
            notes.Add($"Pods wait for the services they depend on in init containers, which run the images {string.Join(" and ", context.WaitImages)}.");
        }

        if (stack.Services.Any(s => !s.Routes.IsEmpty))
        {
            notes.Add("Services with routes take connections on their port from anywhere, since the ingress controller's pods are not the stack's; narrow their NetworkPolicy's first ingress rule to your controller's namespace.");
        }

        return new ExportInstructions($"Stack '{stack.Name}' ({stack.Environment}) for Kubernetes")
            .Paragraph($"Written by `dotnet run -- export kubernetes --environment {stack.Environment} --namespace {context.Options.Namespace}` from stack.toml; export again rather than edit these files. Apply them all, into the namespace {context.Options.Namespace}, with `kubectl apply -k DIRECTORY` (this directory).")
            .Heading("Before the first apply")
            .Paragraph("Run these in the stack's directory (the one with stack.toml), against the cluster you deploy to.")
            .Step("Create the Secrets. Their values are never written to these files:", secrets)
            .Images(context.Images, " and push them where the cluster pulls images from")
            .List("Notes", notes)
            .Warnings(context.SortedWarnings())
            .ToString();
    }
}
