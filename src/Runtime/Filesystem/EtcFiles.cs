using System.Globalization;
using System.Text;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// The contents of the files a container's <c>/etc</c> is generated with. A container has no network but loopback,
/// so names resolve through <c>/etc/hosts</c> alone: the host writes the services this one may reach there, on
/// loopback addresses where it listens for them.
/// </summary>
public static class EtcFiles
{
    /// <summary><c>/etc/hostname</c>.</summary>
    public static string Hostname(string hostname) => hostname + "\n";

    /// <summary>
    /// <c>/etc/hosts</c>: localhost, the container's own name on 127.0.0.1 (so it resolves without taking one of the
    /// 127.0.1.N addresses the host hands out), then <paramref name="entries"/>.
    /// </summary>
    public static string Hosts(string hostname, IEnumerable<HostEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder()
            .Append("127.0.0.1\tlocalhost ").Append(hostname).Append('\n')
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        foreach (var entry in entries)
            text.Append(entry.Address).Append('\t').Append(entry.Name).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// <c>/etc/resolv.conf</c> with no name server: glibc then tries 127.0.0.1, where nothing listens, and fails at
    /// once rather than after a timeout. With <see cref="NsswitchConf"/> it is not even asked.
    /// </summary>
    public static string ResolvConf() => "# No name servers: the container has only loopback; names are in /etc/hosts.\n";

    /// <summary><c>/etc/nsswitch.conf</c>: local files only, which glibc 2.34+ and musl serve without loading a module.</summary>
    public static string NsswitchConf() =>
        "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n";

    /// <summary>
    /// <c>/etc/passwd</c>: root and <paramref name="user"/>, whose home is <c>/tmp</c>, the one directory every
    /// container can write (.NET keeps per-user data under <c>$HOME</c>).
    /// </summary>
    public static string Passwd(ContainerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var text = new StringBuilder("root:x:0:0:root:/root:/usr/sbin/nologin\n");
        if (user.Uid != 0)
            text.Append(CultureInfo.InvariantCulture, $"{user.Name}:x:{user.Uid}:{user.Gid}:{user.Name}:/tmp:/usr/sbin/nologin\n");
        return text.ToString();
    }

    /// <summary><c>/etc/group</c>: root, and a group named after <paramref name="user"/> for its gid.</summary>
    public static string Group(ContainerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var text = new StringBuilder("root:x:0:\n");
        if (user.Gid != 0)
            text.Append(CultureInfo.InvariantCulture, $"{user.Name}:x:{user.Gid}:\n");
        return text.ToString();
    }
}
