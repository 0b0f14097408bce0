namespace Berth.Runtime.Images;

/// <summary>
/// A tar entry's name as a path relative to the layer's root: <c>./</c> and empty components dropped, and refused
/// when it could name something outside the layer (an absolute name, a <c>..</c> component).
/// </summary>
internal static class LayerEntryName
{
    /// <summary>The name's components; empty for the layer's root itself (<c>./</c>).</summary>
    /// <exception cref="ImageFormatException">The name is absolute or climbs with <c>..</c>.</exception>
    public static string[] Split(string name, string what)
    {
        if (name.StartsWith('/'))
            throw new ImageFormatException($"{what} \"{name}\" is an absolute path; a layer's names are relative to its root.");
        var components = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToArray();
        if (components.Contains(".."))
            throw new ImageFormatException($"{what} \"{name}\" climbs out of the layer with '..'.");
        return components;
    }

    /// <summary>The components as a container path: <c>/a/b</c>, or <c>/</c>.</summary>
    public static string ToContainerPath(IEnumerable<string> components) => "/" + string.Join('/', components);
}
