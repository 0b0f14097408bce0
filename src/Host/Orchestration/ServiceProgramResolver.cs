using Berth.Runtime.Filesystem;
using Berth.Runtime.Images;

namespace Berth.Host.Orchestration;

/// <summary>
/// Finds what a service runs. A <c>project</c> service runs its build output in the .NET template:
/// <c>/usr/bin/dotnet /app/ENTRY.dll ARGS</c>. An <c>image</c> that is a directory (relative to the stack) is the
/// container's root as it is, and runs its <c>command</c>. <c>command</c> replaces the entry point in both. An image
/// from the store runs as its config says, <c>command</c> and <c>args</c> overriding as in Compose (see <see cref="ImageProcess"/>).
/// </summary>
internal static class ServiceProgramResolver
{
    /// <summary>The search path for a <c>command</c> that is not an absolute path, as in Docker's default <c>PATH</c>.</summary>
    private static readonly string[] s_searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>
    /// A project service's working directory: its build output, as in .NET's container images (<c>WORKDIR /app</c>).
    /// ASP.NET Core takes it as the content root, so the app finds its <c>appsettings.json</c>, and the host watches
    /// that directory for changes to it, not the whole root (with <c>/</c>, the watcher walks <c>/proc</c> and <c>/sys</c>).
    /// </summary>
    private const string AppDirectory = DotnetRootFilesystem.AppMountPoint;

    /// <exception cref="ServiceStartException">The service's build output or image is missing, or it has nothing to run.</exception>
    public static ServiceProgram Resolve(StackDefinition stack, ServiceDefinition service, ServiceBuildManifest builds, IReadOnlyDictionary<string, StoredImage> images)
    {
        if (images.TryGetValue(service.Name, out var stored))
        {
            return ForStoredImage(service, stored);
        }

        if (service.Project is { } project)
        {
            return ForProject(stack, service, project, builds);
        }

        if (service.Image is { } image)
        {
            return ForImage(stack, service, image);
        }

        throw new ServiceStartException(service.Name, "it has neither project nor image");
    }

    private static ServiceProgram ForProject(StackDefinition stack, ServiceDefinition service, string project, ServiceBuildManifest builds)
    {
        var projectPath = stack.ResolvePath(project);
        var build = builds.Find(projectPath) ?? throw new ServiceStartException(
            service.Name,
            $"the build output of its project {projectPath} is not listed in {builds.Source ?? ServiceBuildManifest.FileName}; build the stack project (dotnet build or dotnet run builds every service project with it)");
        var entry = Path.Combine(build.OutputDirectory, build.EntryAssembly);
        if (!File.Exists(entry))
        {
            throw new ServiceStartException(service.Name, $"the build output of its project {projectPath} is missing: {entry} does not exist; build the stack project again");
        }

        if (!File.Exists(Path.ChangeExtension(entry, ".runtimeconfig.json")))
        {
            throw new ServiceStartException(service.Name, $"its project {projectPath} did not build an application ({Path.ChangeExtension(entry, ".runtimeconfig.json")} is missing); a service project needs <OutputType>Exe</OutputType> or the Web SDK");
        }

        var root = DotnetRootFilesystem.ForHost(build.OutputDirectory);
        if (service.Command.IsEmpty)
        {
            return new ServiceProgram(root, DotnetRootFilesystem.DotnetLink, [$"{DotnetRootFilesystem.AppMountPoint}/{build.EntryAssembly}", .. service.Args]) { WorkingDirectory = AppDirectory };
        }

        var executable = service.Command[0] == "dotnet" ? DotnetRootFilesystem.DotnetLink : service.Command[0];
        if (!executable.StartsWith('/'))
        {
            throw new ServiceStartException(service.Name, $"its command '{executable}' is not an absolute path; in the .NET template only dotnet and the app's files (/app/...) exist");
        }

        return new ServiceProgram(root, executable, [.. service.Command.Skip(1), .. service.Args]) { WorkingDirectory = AppDirectory };
    }

    private static ServiceProgram ForStoredImage(ServiceDefinition service, StoredImage image)
    {
        try
        {
            var process = ImageProcess.Resolve(image, service.Command, service.Args);
            return new ServiceProgram(image.Root, process.Executable, process.Args)
            {
                Environment = process.Environment,
                User = process.User,
                WorkingDirectory = process.WorkingDirectory,
            };
        }
        catch (ImageFormatException e)
        {
            throw new ServiceStartException(service.Name, e.Message);
        }
    }

    private static ServiceProgram ForImage(StackDefinition stack, ServiceDefinition service, string image)
    {
        var directory = stack.ResolvePath(image);
        if (!Directory.Exists(directory))
        {
            throw new ServiceStartException(service.Name, LooksLikePath(image)
                ? $"its image directory {directory} does not exist"
                : $"its image '{image}' is not a directory");
        }

        if (service.Command.IsEmpty)
        {
            throw new ServiceStartException(service.Name, $"its image is the directory {directory}, which has no entry point of its own; set command = [\"/path/to/program\", ...]");
        }

        var executable = Find(directory, service.Command[0]) ?? throw new ServiceStartException(
            service.Name,
            $"its command '{service.Command[0]}' is not in the image {directory} (looked in {string.Join(':', s_searchPath)})");
        return new ServiceProgram(DirectoryRootFilesystem.Of(directory), executable, [.. service.Command.Skip(1), .. service.Args]);
    }

    /// <summary>The program as the container sees it: an absolute path as it is, a bare name searched on the default PATH inside the image.</summary>
    private static string? Find(string imageDirectory, string command)
    {
        if (command.StartsWith('/'))
        {
            return command;
        }

        return command.Contains('/', StringComparison.Ordinal)
            ? null
            : s_searchPath.Select(d => $"{d}/{command}").FirstOrDefault(p => ExistsInImage(imageDirectory, p));
    }

    /// <summary>Whether the path names something in the image; a symbolic link counts even when it points outside the host's view.</summary>
    private static bool ExistsInImage(string imageDirectory, string containerPath)
    {
        var hostPath = Path.Join(imageDirectory, containerPath);
        return File.Exists(hostPath) || new FileInfo(hostPath).LinkTarget is not null;
    }

    private static bool LooksLikePath(string image) => image.StartsWith('.') || image.StartsWith('/') || image.StartsWith('~');
}
