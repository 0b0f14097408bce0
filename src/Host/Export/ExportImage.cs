using System.Text;
using Berth.Host.Orchestration;

namespace Berth.Host.Export;

/// <summary>
/// An image another engine must be given because Berth runs the service from files: a project's build output (one
/// image per project, built by the .NET SDK's <c>dotnet publish -t:PublishContainer</c>, no Dockerfile needed), or a
/// local <c>image</c> (an OCI layout or archive, copied with skopeo; a root filesystem directory, to be made an image).
/// Each is named <c>[REGISTRY/]STACK/NAME:TAG</c>; <see cref="Command"/> builds or copies it there.
/// </summary>
/// <param name="Source">The project path or <c>image</c> value as stack.toml writes it.</param>
/// <param name="IsDirectory">A root filesystem directory: no tool makes it an image in one step, so it is a warning.</param>
public sealed record ExportImage(string Source, string Image, string Command, bool IsDirectory = false)
{
    /// <summary>The image of each project and local image the stack's services name, keyed by <see cref="Source"/>.</summary>
    public static IReadOnlyDictionary<string, ExportImage> For(StackDefinition stack, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);

        // "registry.example.com/team": the SDK takes the registry's host on its own and the rest as part of the repository.
        var (registryHost, registryPath) = SplitRegistry(options.Registry);
        var images = new SortedDictionary<string, ExportImage>(StringComparer.Ordinal);
        foreach (var service in stack.Services)
        {
            var source = service.Project ?? service.Image!;
            if (images.ContainsKey(source))
            {
                continue;
            }

            var local = service.Project is null ? ServiceImageSource.Parse(stack, source) : null;
            if (local is ServiceImageSource.Registry)
            {
                continue;
            }

            var (name, tag) = local switch
            {
                ServiceImageSource.OciLayout layout => (Path.GetFileName(layout.Path), layout.Tag ?? options.Tag),
                ServiceImageSource.OciArchive archive => (Path.GetFileNameWithoutExtension(archive.Path), options.Tag),
                ServiceImageSource.RootDirectory directory => (Path.GetFileName(Path.TrimEndingDirectorySeparator(directory.Path)), options.Tag),
                _ => (Path.GetFileNameWithoutExtension(source), options.Tag),
            };
            var repository = string.Join('/', new[] { registryPath, RepositoryComponent(stack.Name), RepositoryComponent(name) }.Where(c => !string.IsNullOrEmpty(c)));
            var image = registryHost is null ? $"{repository}:{tag}" : $"{registryHost}/{repository}:{tag}";
            images[source] = local switch
            {
                null => new ExportImage(source, image, Publish(source, repository, tag, registryHost)),
                ServiceImageSource.RootDirectory => new ExportImage(source, image, $"# {source}: make an image of this root filesystem (umoci, buildah) and push it as {image}", IsDirectory: true),

                // skopeo reads the layout or archive as stack.toml names it; a docker save archive is docker-archive:PATH.
                _ => new ExportImage(source, image, $"skopeo copy {ShellWords.Quote(source)} {(registryHost is null ? $"docker-daemon:{image}" : $"docker://{image}")}"),
            };
        }

        return images;
    }

    /// <summary>What <paramref name="service"/> runs from in the export: its exported image, or its registry reference as written.</summary>
    public static string Of(IReadOnlyDictionary<string, ExportImage> images, ServiceDefinition service) =>
        images.TryGetValue(service.Project ?? service.Image!, out var image) ? image.Image : service.Image!;

    /// <summary>The warning for a service whose image is a root filesystem directory, or null.</summary>
    public static ExportWarning? DirectoryWarning(IReadOnlyDictionary<string, ExportImage> images, ServiceDefinition service) =>
        service.Image is { } source && images.TryGetValue(source, out var image) && image.IsDirectory
            ? new ExportWarning(
                Configuration.StackTomlPath.Of("services", service.Name, "image"),
                $"a root filesystem directory is no image another engine can pull; the export names it {image.Image}: make an image of {source} and push it under that name.")
            : null;

    private static string Publish(string project, string repository, string tag, string? registryHost)
    {
        var command = new StringBuilder($"dotnet publish {ShellWords.Quote(project)} -c Release -t:PublishContainer -p:ContainerRepository={ShellWords.Quote(repository)} -p:ContainerImageTag={ShellWords.Quote(tag)}");
        if (registryHost is not null)
        {
            command.Append($" -p:ContainerRegistry={ShellWords.Quote(registryHost)}");
        }

        return command.ToString();
    }

    private static (string? Host, string? Path) SplitRegistry(string? registry)
    {
        var trimmed = registry?.Trim().TrimEnd('/');
        if (string.IsNullOrEmpty(trimmed))
        {
            return (null, null);
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (trimmed, null) : (trimmed[..slash], trimmed[(slash + 1)..].ToLowerInvariant());
    }

    /// <summary>A path component of an image repository: lowercase letters, digits and single separators.</summary>
    private static string RepositoryComponent(string name)
    {
        var component = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                component.Append(c);
            }
            else if (component.Length > 0 && component[^1] != '-')
            {
                component.Append('-');
            }
        }

        return component.ToString().TrimEnd('-');
    }
}
