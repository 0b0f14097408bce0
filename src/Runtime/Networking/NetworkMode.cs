namespace Berth.Runtime.Networking;

/// <summary>Which network a container's processes see.</summary>
public enum NetworkMode
{
    /// <summary>
    /// A network namespace of its own with only <c>lo</c>, up: the service reaches nothing and nothing reaches it
    /// except through sockets the host creates inside (see <see cref="ContainerNetwork"/>).
    /// </summary>
    Private,

    /// <summary>The host's network namespace, as Compose's <c>network_mode: host</c>: no network isolation at all.</summary>
    Host,
}
