using System.Text.Json;

namespace Berth.Host.Orchestration;

/// <summary>
/// <c>berth.services.json</c>, written next to the stack project's own build output by the build (see
/// <c>Berth.Host.targets</c>): for each service project it built, where the output went. The host runs project
/// services from there; it never builds anything itself.
/// </summary>
public sealed class ServiceBuildManifest
{
    /// <summary>The file's name in the stack project's output directory.</summary>
    public const string FileName = "berth.services.json";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly Dictionary<string, ServiceBuild> _byProject;

    public ServiceBuildManifest(IEnumerable<ServiceBuild> builds)
    {
        ArgumentNullException.ThrowIfNull(builds);
        _byProject = new Dictionary<string, ServiceBuild>(StringComparer.Ordinal);
        foreach (var build in builds)
        {
            _byProject[Path.GetFullPath(build.Project)] = build;
        }
    }

    /// <summary>Where the manifest was read from; null for one made in code.</summary>
    public string? Source { get; private init; }

    /// <summary>Reads the manifest; a file that does not exist is an empty manifest (the stack may have no project services).</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest.</exception>
    public static ServiceBuildManifest Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return new ServiceBuildManifest([]) { Source = path };
        }

        try
        {
            var document = JsonSerializer.Deserialize<ManifestDocument>(File.ReadAllText(path), s_json);
            var builds = (document?.Services ?? []).Select(s => s.Project is null || s.OutputDirectory is null || s.EntryAssembly is null
                ? throw new InvalidDataException($"{path}: an entry lacks project, outputDirectory or entryAssembly.")
                : new ServiceBuild(s.Project, s.OutputDirectory, s.EntryAssembly));
            return new ServiceBuildManifest(builds) { Source = path };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid service manifest ({e.Message}); rebuild the stack project.", e);
        }
    }

    /// <summary>Writes the manifest as the build does (for tests, and for hosts that build services their own way).</summary>
    public void Write(string path)
    {
        var document = new ManifestDocument { Services = [.. _byProject.Values.Select(b => new ManifestEntry { Project = b.Project, OutputDirectory = b.OutputDirectory, EntryAssembly = b.EntryAssembly })] };
        File.WriteAllText(path, JsonSerializer.Serialize(document, s_json));
    }

    /// <summary>The build of <paramref name="project"/> (an absolute path), if the build listed it.</summary>
    public ServiceBuild? Find(string project) => _byProject.GetValueOrDefault(Path.GetFullPath(project));

    private sealed class ManifestDocument
    {
        public List<ManifestEntry>? Services { get; set; }
    }

    private sealed class ManifestEntry
    {
        public string? Project { get; set; }

        public string? OutputDirectory { get; set; }

        public string? EntryAssembly { get; set; }
    }
}
