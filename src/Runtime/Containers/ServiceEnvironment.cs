namespace Berth.Runtime.Containers;

/// <summary>
/// The environment a service starts with: the spec's, plus the two variables Docker adds when the spec does not
/// set them, so a program that reads <c>$HOME</c> or searches <c>$PATH</c> behaves as it would under Docker. Nothing
/// of the host's environment is ever passed on.
/// </summary>
internal static class ServiceEnvironment
{
    /// <summary>Docker's default search path for Linux containers (what <c>docker run</c> sets without one in the image).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// <paramref name="specified"/> with <c>PATH</c> and <c>HOME</c> added where it has none. A variable the spec
    /// sets is kept as it is, even when empty: the spec asked for it.
    /// </summary>
    /// <param name="specified">The spec's environment.</param>
    /// <param name="home">The user's home in the container's <c>/etc/passwd</c>, <c>/</c> when it lists none.</param>
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, string> specified, string home)
    {
        ArgumentNullException.ThrowIfNull(specified);
        ArgumentNullException.ThrowIfNull(home);
        var environment = new Dictionary<string, string>(specified, StringComparer.Ordinal);
        environment.TryAdd("PATH", DefaultPath);
        environment.TryAdd("HOME", home);
        return environment;
    }
}
