using System.CommandLine;
using Berth.Host.Configuration;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;

namespace Berth.Host.Export;

/// <summary>
/// <c>export kubernetes|compose</c>: writes the stack, as resolved for an environment, for another engine. The files
/// come from the generated definition, never from re-reading stack.toml, and are the same for the same stack and
/// options: no timestamps, a stable order.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(StackDescriptor descriptor) => new("export", "Write the stack, resolved for an environment, as files for another engine: Kubernetes manifests or a Compose file. Secret values are never written; the output says which secrets to create and how.")
    {
        Target(
            descriptor,
            "kubernetes",
            "Write Kubernetes manifests into a directory: per service a ConfigMap, a Deployment (a Job for a one-shot job), a Service and a NetworkPolicy; the routes as an Ingress; a kustomization.yaml (kubectl apply -k DIR) and a README.md with what to do first.",
            "The directory to write the manifests into (made if missing; files of the same names are replaced).",
            outputIsFile: false,
            (stack, output, options) => KubernetesExporter.Export(stack, options),
            new Option<string>("--namespace", "-n")
            {
                Description = "The namespace to deploy into: kustomization.yaml's, and the one the instructions create the secrets in.",
                DefaultValueFactory = _ => ExportOptions.DefaultNamespace,
            }),
        Target(
            descriptor,
            "compose",
            "Write a Compose file (docker compose, podman compose) with the stack's services, networks that keep its default-deny, and an nginx gateway for its routes.",
            "The Compose file to write, e.g. deploy/compose.yaml; the gateway's nginx configuration goes next to it.",
            outputIsFile: true,
            (stack, output, options) => ComposeExporter.Export(stack, output, options)),
    };

    /// <param name="outputIsFile">Whether <c>--output</c> names a file (the others go next to it) rather than a directory.</param>
    private static Command Target(StackDescriptor descriptor, string name, string description, string outputDescription, bool outputIsFile, Func<StackDefinition, string, ExportOptions, StackExport> export, Option<string>? @namespace = null)
    {
        var environment = new Option<string?>("--environment", "-e")
        {
            Description = $"The environment to export ({string.Join(", ", descriptor.Environments.Select(e => e.Name))}); default: DOTNET_ENVIRONMENT, else {descriptor.DefaultEnvironment}.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = outputDescription,
            Required = true,
        };
        var registry = new Option<string?>("--registry")
        {
            Description = "The registry (and path) of the project services' images, e.g. registry.example.com/team; without it, images are named for the local image store.",
        };
        var tag = new Option<string>("--tag")
        {
            Description = "The tag of the project services' images.",
            DefaultValueFactory = _ => ExportOptions.DefaultTag,
        };

        var command = new Command(name, description) { environment, output, registry, tag };
        if (@namespace is not null)
        {
            command.Options.Add(@namespace);
        }

        command.SetAction(result =>
        {
            var error = result.InvocationConfiguration.Error;
            try
            {
                var selected = descriptor.SelectEnvironment(result.GetValue(environment), System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"));
                var stack = descriptor.Resolve(selected);
                var outputPath = Path.GetFullPath(result.GetValue(output)!);
                var options = new ExportOptions
                {
                    Registry = result.GetValue(registry),
                    Tag = result.GetValue(tag)!,
                    Namespace = @namespace is null ? ExportOptions.DefaultNamespace : result.GetValue(@namespace)!,
                    HostVariable = System.Environment.GetEnvironmentVariable,
                };
                var exported = export(stack, outputPath, options);
                Write(exported, outputIsFile ? Path.GetDirectoryName(outputPath)! : outputPath);

                var console = result.InvocationConfiguration.Output;
                var shown = !outputIsFile ? result.GetValue(output) : Path.GetDirectoryName(result.GetValue(output)) is { Length: > 0 } parent ? parent : ".";
                console.WriteLine($"Wrote {exported.Files.Count} file{(exported.Files.Count == 1 ? "" : "s")} to {shown} ({string.Join(", ", exported.Files.Select(f => f.Path))}), with {exported.Warnings.Count} warning{(exported.Warnings.Count == 1 ? "" : "s")}.");
                console.WriteLine();
                console.Write(exported.Instructions);
                return 0;
            }
            catch (ArgumentException e)
            {
                error.WriteLine(e.Message);
                return 2;
            }
            catch (Exception e) when (e is StackConfigurationException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static void Write(StackExport exported, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in exported.Files)
        {
            File.WriteAllText(Path.Combine(directory, file.Path), file.Content);
        }
    }
}
