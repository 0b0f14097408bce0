using System.Text;

namespace Berth.Host.Export;

/// <summary>
/// The image a project service runs from once it leaves Berth, which runs project services from their build output:
/// one image per project (services may share one), named after the stack and the project, and the .NET SDK command
/// that builds it (<c>dotnet publish -t:PublishContainer</c>, no Dockerfile needed).
/// </summary>
public sealed record ProjectImage(string Project, string Image, string PublishCommand)
{
    /// <summary>The image of each project the stack's services name, keyed by the project path as stack.toml writes it.</summary>
    public static IReadOnlyDictionary<string, ProjectImage> For(StackDefinition stack, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);

        // "registry.example.com/team": the SDK takes the registry's host on its own and the rest as part of the repository.
        var (registryHost, registryPath) = SplitRegistry(options.Registry);
        var images = new SortedDictionary<string, ProjectImage>(StringComparer.Ordinal);
        foreach (var project in stack.Services.Select(s => s.Project).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var repository = string.Join('/', new[] { registryPath, RepositoryComponent(stack.Name), RepositoryComponent(Path.GetFileNameWithoutExtension(project)) }.Where(c => !string.IsNullOrEmpty(c)));
            var image = registryHost is null ? $"{repository}:{options.Tag}" : $"{registryHost}/{repository}:{options.Tag}";
            var command = new StringBuilder($"dotnet publish {ShellWords.Quote(project)} -c Release -t:PublishContainer -p:ContainerRepository={ShellWords.Quote(repository)} -p:ContainerImageTag={ShellWords.Quote(options.Tag)}");
            if (registryHost is not null)
            {
                command.Append($" -p:ContainerRegistry={ShellWords.Quote(registryHost)}");
            }

            images[project] = new ProjectImage(project, image, command.ToString());
        }

        return images;
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
