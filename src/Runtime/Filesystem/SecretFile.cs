namespace Berth.Runtime.Filesystem;

/// <summary>
/// A secret the container reads at <c>/run/secrets/NAME</c> (compose's place; <c>AddKeyPerFile("/run/secrets")</c>
/// reads it as configuration). Its bytes are written into a tmpfs mounted inside the container's own mount
/// namespace: they never reach a disk nor the host's mount table.
/// </summary>
/// <param name="Name">A plain file name.</param>
/// <param name="Content">The secret's bytes.</param>
public sealed record SecretFile(string Name, byte[] Content)
{
    /// <summary>Where secrets are mounted in the container.</summary>
    public const string MountPoint = "/run/secrets";

    /// <summary>Throws <see cref="ArgumentException"/> when the name is not a plain file name.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name is "." or ".." || Name.AsSpan().IndexOfAny("/\0") >= 0)
            throw new ArgumentException($"A secret's name must be a plain file name: \"{Name}\".");
        if (Content is null)
            throw new ArgumentException($"The secret \"{Name}\" has no content.");
    }

    /// <summary>Never prints the content.</summary>
    public override string ToString() => $"SecretFile {{ Name = {Name}, Length = {Content?.Length ?? 0} }}";
}
