namespace Berth.Runtime.Cgroups;

/// <summary>
/// Removes cgroups left by a Berth run that died without deleting them (the host SIGKILLed, the machine's OOM
/// killer), and only those.
/// </summary>
/// <remarks>
/// <para>Which run owns a cgroup is not written in the cgroup: the caller knows it from its own records (the container
/// runtime's state directory names each container's host, see <c>ContainerOwner</c>). The Berth parent may be shared
/// by every Berth host on the machine, in each hierarchy where this process sits at the root (cpu, pids and freezer
/// on a typical hybrid host), so a cgroup the caller has no record of may be another host's live container: the
/// janitor removes only the cgroups the caller says have a dead owner.</para>
/// <para>Even then it never kills. A container dies with its host (its init gets SIGKILL when the host dies, and its
/// PID namespace with it), so a dead host's cgroup is empty; a process in it belongs to someone else, typically
/// another host that has since taken over the empty cgroup of the same name, and the cgroup stays.</para>
/// </remarks>
public sealed class CgroupJanitor
{
    private readonly CgroupFactory _factory;

    public CgroupJanitor(CgroupFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>The cgroups under the Berth parent whose owner <paramref name="ownerIsDead"/> says is dead.</summary>
    public IReadOnlyList<string> FindLeftovers(Func<string, bool> ownerIsDead)
    {
        ArgumentNullException.ThrowIfNull(ownerIsDead);
        return _factory.ListNames().Where(ownerIsDead).ToArray();
    }

    /// <summary>
    /// Deletes every leftover that no process is in; returns the names removed. A leftover with a process in it is
    /// left as it is, neither killed nor removed, and is not in the list.
    /// </summary>
    /// <exception cref="AggregateException">Some leftovers could not be removed; the others were.</exception>
    public async Task<IReadOnlyList<string>> RemoveLeftoversAsync(
        Func<string, bool> ownerIsDead,
        CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        var failures = new List<Exception>();
        foreach (var name in FindLeftovers(ownerIsDead))
        {
            try
            {
                if (await _factory.Open(name).TryRemoveUnusedAsync(cancellationToken).ConfigureAwait(false))
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
