namespace Berth.Runtime.Filesystem;

/// <summary>A memory-backed directory, empty at every start, never on disk.</summary>
/// <param name="SizeBytes">A cap; null for the kernel's default (half the RAM, charged to the container's cgroup).</param>
/// <param name="Mode">The directory's mode, e.g. <c>0x1ED</c> (octal 755); null for 1777 like <c>/tmp</c>.</param>
public sealed record TmpfsVolume(string Target, long? SizeBytes = null, int? Mode = null, bool ReadOnly = false) : Volume(Target)
{
    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (SizeBytes is <= 0)
            throw new ArgumentException($"A tmpfs volume's size must be positive: {SizeBytes} (for {Target}).");
        if (Mode is < 0 or > 4095)
            throw new ArgumentException($"A tmpfs volume's mode must be between 0 and 07777: {Mode} (for {Target}).");
    }
}
