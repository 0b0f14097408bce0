namespace Berth.Runtime.Cgroups;

/// <summary>
/// Rules for the names Berth gives cgroups: one path component each, so a name can never reach outside the Berth
/// parent, and never the name of a kernel interface file (those all contain a '.', as in <c>memory.max</c>, but a
/// leading '.' or a bare "." / ".." is refused too).
/// </summary>
internal static class CgroupName
{
    public const int MaxLength = 255;

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && name[0] != '.'
        && name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@") < 0;

    public static void Validate(string name, string paramName)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"\"{name}\" is not a valid cgroup name: use letters, digits, '-', '_', '.', '@', not starting with '.'.",
                paramName);
        }
    }

    /// <summary>A parent is a relative path of valid names, such as <c>berth</c> or <c>berth/tests</c>.</summary>
    public static IReadOnlyList<string> ValidateParent(string parent, string paramName)
    {
        var components = parent.Split('/');
        foreach (var component in components)
            Validate(component, paramName);
        return components;
    }
}
