namespace Berth.Runtime.Filesystem;

/// <summary>
/// The user the service runs as: it owns the secrets, and the .NET template's <c>/etc/passwd</c> and
/// <c>/etc/group</c> name it (with a group of the same name).
/// </summary>
public sealed record ContainerUser(string Name, uint Uid, uint Gid)
{
    /// <summary>root, 0:0.</summary>
    public static ContainerUser Root { get; } = new("root", 0, 0);

    /// <summary>Throws <see cref="ArgumentException"/> when the name cannot be written to <c>/etc/passwd</c>.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.AsSpan().IndexOfAny(":\n\r\0/ \t") >= 0)
            throw new ArgumentException($"A user name may not be empty nor hold ':', '/', white space or a newline: \"{Name}\".");
        if ((Uid == 0) != (Name == "root") || (Name == "root" && Gid != 0))
            throw new ArgumentException($"root is uid 0 and gid 0, and uid 0 is called root: \"{Name}\" ({Uid}:{Gid}).");
    }
}
