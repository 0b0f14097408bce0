using System.Globalization;
using Berth.Runtime.Filesystem;

namespace Berth.Host.Orchestration;

/// <summary>
/// A service's <c>volumes</c> as the runtime mounts them: a bind source resolved against the stack's directory, a
/// named volume as its directory under <see cref="StackOrchestratorOptions.VolumesDirectory"/> (made on first use,
/// kept across restarts of the service and of the stack, shared by every service that names it), a tmpfs as it is.
/// </summary>
internal static class ServiceVolumes
{
    /// <summary>The default user of a service, which a new named volume is given to so that the service can write it.</summary>
    private const int Nobody = 65534;

    /// <exception cref="ServiceStartException">A bind source does not exist, or a named volume cannot be made.</exception>
    public static IReadOnlyList<Volume> Resolve(StackDefinition stack, ServiceDefinition service, string volumesDirectory)
    {
        var volumes = new List<Volume>();
        foreach (var volume in service.Volumes)
        {
            volumes.Add(volume.Kind switch
            {
                VolumeKind.Bind => Bind(stack, service, volume),
                VolumeKind.Named => new BindVolume(NamedDirectory(stack, service, volume, volumesDirectory), volume.Target, volume.ReadOnly),
                _ => new TmpfsVolume(volume.Target, volume.SizeBytes, ReadOnly: volume.ReadOnly),
            });
        }

        return volumes;
    }

    private static BindVolume Bind(StackDefinition stack, ServiceDefinition service, VolumeDefinition volume)
    {
        var source = volume.Source!;
        if (source == "~" || source.StartsWith("~/", StringComparison.Ordinal))
        {
            source = Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), source[1..]);
        }

        source = stack.ResolvePath(source);
        return Path.Exists(source)
            ? new BindVolume(source, volume.Target, volume.ReadOnly)
            : throw new ServiceStartException(service.Name, $"the source of its volume {volume.Target}, {source}, does not exist (bind sources are relative to stack.toml)");
    }

    private static string NamedDirectory(StackDefinition stack, ServiceDefinition service, VolumeDefinition volume, string volumesDirectory)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Berth runs services on Linux only.");
        }

        var directory = Path.Combine(volumesDirectory, stack.Name, volume.Source!);
        try
        {
            if (!Directory.Exists(directory))
            {
                // Only the host (root) walks the parents; the volume itself is the service's to write.
                Directory.CreateDirectory(Path.GetDirectoryName(directory)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                Directory.CreateDirectory(directory);
                GiveTo(directory, service.User);
            }

            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceStartException(service.Name, $"its named volume '{volume.Source}' cannot be made at {directory}: {e.Message}");
        }
    }

    /// <summary>
    /// A new volume belongs to the service's user when that is a number (or the default, nobody), as Docker gives a
    /// new volume the owner of the image's directory; a user given by name keeps it root's (the name means something
    /// only inside the image).
    /// </summary>
    private static void GiveTo(string directory, string? user)
    {
        var (uid, gid) = user switch
        {
            null => (Nobody, Nobody),
            _ when int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var id) => (id, id),
            _ when user.Split(':') is [var u, var g]
                && int.TryParse(u, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
                && int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var groupId) => (userId, groupId),
            _ => (-1, -1),
        };
        if (uid >= 0)
        {
            UnixOwnership.Change(directory, uid, gid);
        }
    }
}
