using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// A bundle for one command: the runtime's own config.json, aligned with Berth's container. Each container needs
/// a cgroup of its own under the run's parent, and the path is part of config.json, so the file is rewritten (out
/// of the timed part) before each start.
/// </summary>
internal sealed class OciBundle
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    private readonly JsonObject _config;
    private readonly string _configPath;

    private OciBundle(string directory, JsonObject config)
    {
        Directory = directory;
        _config = config;
        _configPath = Path.Combine(directory, "config.json");
    }

    public string Directory { get; }

    public static async Task<OciBundle> CreateAsync(OciRuntime runtime, string directory, string rootfs, IReadOnlyList<string> command)
    {
        System.IO.Directory.CreateDirectory(directory);
        await runtime.WriteSpecAsync(directory).ConfigureAwait(false);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "config.json")).ConfigureAwait(false))!.AsObject();
        OciConfigAlignment.Apply(config, rootfs, command);
        var bundle = new OciBundle(directory, config);
        bundle.Write();
        return bundle;
    }

    /// <summary>Writes config.json for a container whose cgroup is <paramref name="cgroupsPath"/>.</summary>
    public void PrepareFor(string cgroupsPath)
    {
        _config["linux"]!["cgroupsPath"] = cgroupsPath;
        Write();
    }

    private void Write() => File.WriteAllText(_configPath, _config.ToJsonString(s_indented));
}
