namespace Berth.Runtime.Filesystem;

/// <summary>
/// A host directory or file bound into the container, with the mounts below it (<c>rbind</c>, as Docker binds
/// volumes). Read-only applies to every one of those mounts.
/// </summary>
/// <param name="Source">An absolute host path that exists.</param>
public sealed record BindVolume(string Source, string Target, bool ReadOnly = false) : Volume(Target)
{
    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(Source) || !Path.IsPathRooted(Source))
            throw new ArgumentException($"A bind volume's source must be an absolute host path: \"{Source}\".");
        if (!Path.Exists(Source))
            throw new ArgumentException($"A bind volume's source does not exist: \"{Source}\" (for {Target}).");
    }

    internal override bool TargetIsDirectory => Directory.Exists(Source);
}
