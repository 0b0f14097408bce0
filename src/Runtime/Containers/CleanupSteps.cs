namespace Berth.Runtime.Containers;

/// <summary>
/// Runs removal steps each on its own: one that fails leaves the others done and is kept, not hidden, so the
/// caller can report everything that could not be removed.
/// </summary>
internal sealed class CleanupSteps
{
    private readonly List<Exception> _problems = [];

    public IReadOnlyList<Exception> Problems => _problems;

    public async Task RunAsync(Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _problems.Add(e);
        }
    }

    public Task Run(Action step) => RunAsync(() =>
    {
        step();
        return Task.CompletedTask;
    });
}
