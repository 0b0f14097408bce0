namespace Berth.Runtime.Cgroups;

/// <summary>
/// Removes cgroups left by a Berth run that died without deleting them (the host SIGKILLed, the machine's OOM
/// killer): their processes keep running, unsupervised, until someone kills them.
/// </summary>
public sealed class CgroupJanitor
{
    private readonly CgroupFactory _factory;

    public CgroupJanitor(CgroupFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>The cgroups under the Berth parent that no live container claims.</summary>
    public IReadOnlyList<string> FindLeftovers(IReadOnlySet<string> liveNames)
    {
        ArgumentNullException.ThrowIfNull(liveNames);
        return _factory.ListNames().Where(name => !liveNames.Contains(name)).ToArray();
    }

    /// <summary>Kills the processes of every leftover cgroup and deletes it; returns the names removed.</summary>
    /// <exception cref="AggregateException">Some leftovers could not be removed; the others were.</exception>
    public async Task<IReadOnlyList<string>> RemoveLeftoversAsync(
        IReadOnlySet<string> liveNames,
        CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        var failures = new List<Exception>();
        foreach (var name in FindLeftovers(liveNames))
        {
            try
            {
                await _factory.Open(name).DeleteAsync(cancellationToken).ConfigureAwait(false);
                removed.Add(name);
            }
            catch (CgroupException e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
            throw new AggregateException($"Removed {removed.Count} leftover cgroups; {failures.Count} remain", failures);
        return removed;
    }
}
