using System.Text.Json.Serialization;

namespace Berth.Runtime.Filesystem;

/// <summary>A mount a service asks for, at <see cref="Target"/> in the container.</summary>
/// <param name="Target">An absolute path in the container; not <c>/</c>.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(BindVolume), "bind")]
[JsonDerivedType(typeof(TmpfsVolume), "tmpfs")]
public abstract record Volume(string Target)
{
    /// <summary>Throws <see cref="ArgumentException"/> when the volume cannot be mounted as asked.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrEmpty(Target) || !Target.StartsWith('/') || Target.Trim('/').Length == 0)
            throw new ArgumentException($"A volume's target must be an absolute path in the container, not the root: \"{Target}\".");
        if (Target.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("A volume's target holds a NUL character.");
    }

    /// <summary>Whether the mount point is a directory (else a file).</summary>
    internal virtual bool TargetIsDirectory => true;
}
