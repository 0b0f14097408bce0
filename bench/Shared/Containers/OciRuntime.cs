
namespace Berth.Benchmarks.Containers;

/// <summary>
/// crun or runc with its state in the run's workspace (<c>--root</c>), so that this run's containers are exactly
/// those it lists, and started through the launcher it needs on this host.
/// </summary>
internal sealed class OciRuntime(string name, string binary, string stateRoot, IProcessLauncher launcher)
{
    public string Name { get; } = name;

    public Task<ChildProcess> StartAsync(bool drain, params string[] arguments) =>
        ChildProcess.StartAsync(launcher, binary, ["--root", stateRoot, .. arguments], drain);

    /// <summary>Runs a command to its end; a failure throws with the runtime's own message.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        using var child = await StartAsync(drain: true, arguments).ConfigureAwait(false);
        return await child.SucceedAsync().ConfigureAwait(false);
    }

    /// <summary>The runtime's <c>spec</c>: a config.json in <paramref name="bundle"/>.</summary>
    public async Task WriteSpecAsync(string bundle)
    {
        using var child = await ChildProcess.StartAsync(launcher, binary, ["spec"], drain: true, workingDirectory: bundle).ConfigureAwait(false);
        await child.SucceedAsync().ConfigureAwait(false);
    }

    /// <summary>Kills and deletes every container in this state root: what a run left, finished or not.</summary>
    public async Task DeleteAllAsync()
    {
        if (!Directory.Exists(stateRoot))
        {
            return;
        }

        var ids = (await RunAsync("list", "--quiet").ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var id in ids)
        {
            await RunAsync("delete", "--force", id).ConfigureAwait(false);
        }
    }
}
