using Berth.Benchmarks.ContainerStart.Processes;
using Berth.Runtime.Cgroups;

namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>
/// The contenders this machine can run, in report order, and those it cannot, each with the reason. A runtime
/// that is not installed, or an init that was not built, is a skip; an init named on the command line that does
/// not exist is an error.
/// </summary>
internal sealed class ContenderLineup : IAsyncDisposable
{
    private const string AotPublishHint =
        "publish one with `dotnet publish src/Runtime/InitProgram -c Release -r linux-x64 -p:PublishAot=true -o DIR` and pass `--aot-init DIR/Berth.Runtime.Init`";

    private readonly List<IContender> _contenders = [];
    private readonly List<SkippedContender> _skipped = [];

    public IReadOnlyList<IContender> Contenders => _contenders;

    public IReadOnlyList<SkippedContender> Skipped => _skipped;

    public static async Task<ContenderLineup> CreateAsync(BenchOptions options, BenchWorkspace workspace, BusyboxImage image, CgroupLayout layout)
    {
        var lineup = new ContenderLineup();
        try
        {
            if (options.Contenders.Contains("bare"))
            {
                lineup._contenders.Add(new BareSpawnContender(image));
            }

            lineup.AddBerth(options, "berth-managed", "Berth, managed init", options.ManagedInit, "build the harness first (the init is a project reference)", workspace, image);
            if (options.AotInitGiven && !File.Exists(options.AotInit))
            {
                throw new BenchSetupException($"--aot-init {options.AotInit}: no such file");
            }

            lineup.AddBerth(options, "berth-aot", "Berth, AOT init", options.AotInit, AotPublishHint, workspace, image);

            foreach (var name in new[] { "crun", "runc" }.Where(options.Contenders.Contains))
            {
                if (ToolLocator.Find(name) is not { } binary)
                {
                    lineup._skipped.Add(new SkippedContender(name, $"`{name} run`", $"not installed (Debian: apt-get install {name})"));
                    continue;
                }

                lineup._contenders.Add(await CreateOciAsync(name, binary, workspace, image, layout).ConfigureAwait(false));
            }

            return lineup;
        }
        catch
        {
            await lineup.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>crun or runc with its state root in the workspace; crun through the hybrid-cgroup workaround where this host needs it.</summary>
    public static OciRuntime OpenOciRuntime(string name, string binary, BenchWorkspace workspace, CgroupLayout layout, out IDisposable? launcherToDispose)
    {
        var directory = workspace.OciDirectory(name);
        Directory.CreateDirectory(directory);
        var launcher = name == "crun" ? HybridCgroupWorkaround.For(layout, Path.Combine(directory, "empty")) : DirectLauncher.Instance;
        launcherToDispose = launcher as IDisposable;
        return new OciRuntime(name, binary, Path.Combine(directory, "state"), launcher);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var contender in Contenders)
        {
            await contender.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void AddBerth(BenchOptions options, string key, string name, string initPath, string hint, BenchWorkspace workspace, BusyboxImage image)
    {
        if (!options.Contenders.Contains(key))
        {
            return;
        }

        if (File.Exists(initPath))
        {
            _contenders.Add(new BerthContender(key, name, initPath, workspace, image));
        }
        else
        {
            _skipped.Add(new SkippedContender(key, name, $"no init at {initPath}: {hint}"));
        }
    }

    private static async Task<IContender> CreateOciAsync(string name, string binary, BenchWorkspace workspace, BusyboxImage image, CgroupLayout layout)
    {
        var runtime = OpenOciRuntime(name, binary, workspace, layout, out var launcher);
        try
        {
            return await OciContender.CreateAsync(runtime, workspace.OciDirectory(name), image, workspace.OciCgroupParent, launcher).ConfigureAwait(false);
        }
        catch
        {
            launcher?.Dispose();
            throw;
        }
    }
}
