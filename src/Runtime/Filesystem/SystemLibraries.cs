using System.Runtime.InteropServices;

namespace Berth.Runtime.Filesystem;

/// <summary>
/// Finds the host paths a .NET app needs besides the .NET installation: the directories of the C and C++ runtime
/// libraries, ICU, OpenSSL and zlib, and the ELF interpreter the <c>dotnet</c> host names.
/// </summary>
public static class SystemLibraries
{
    /// <summary>
    /// The libraries the runtime loads: libc and friends at start, libstdc++ and libgcc_s for the runtime's own
    /// native code, ICU for globalization (dlopen'd by name), OpenSSL for cryptography and TLS, zlib (older
    /// runtimes; .NET 9 and later bundle zlib-ng).
    /// </summary>
    private static readonly string[] s_libraryPatterns =
    [
        "libc.so.*", "ld-musl-*.so.*", "libm.so.*", "libdl.so.*", "libpthread.so.*", "librt.so.*",
        "libstdc++.so.*", "libgcc_s.so.*",
        "libicuuc.so.*", "libicui18n.so.*", "libicudata.so.*",
        "libssl.so.*", "libcrypto.so.*",
        "libz.so.*",
    ];

    /// <summary>
    /// The directories holding those libraries (each once, symlinks resolved), then the ELF interpreter path of
    /// <c>&lt;dotnetRoot&gt;/dotnet</c> as the executable names it. Directories come from the libraries mapped into
    /// this process (<c>/proc/self/maps</c>: where the loader really found them, on any distribution) and from the
    /// usual library directories (for those loaded later, like OpenSSL).
    /// </summary>
    public static IReadOnlyList<string> Locate(string dotnetRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(dotnetRoot);
        var root = HostPath.Resolve(dotnetRoot);

        var candidates = new List<string>();
        candidates.AddRange(MappedLibraryDirectories());
        var triplet = MultiarchTriplet();
        foreach (var directory in new[] { "/lib", "/lib64", "/usr/lib", "/usr/lib64", $"/lib/{triplet}", $"/usr/lib/{triplet}" })
            candidates.Add(directory);

        var found = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!Directory.Exists(candidate))
                continue;
            var directory = HostPath.Resolve(candidate);
            if (found.Contains(directory, StringComparer.Ordinal) || MountTable.IsAtOrBelow(directory, root))
                continue;
            if (s_libraryPatterns.Any(pattern => Directory.EnumerateFiles(directory, pattern).Any()))
                found.Add(directory);
        }

        if (ElfInterpreter.Read(Path.Combine(root, "dotnet")) is { } interpreter)
            found.Add(interpreter);
        return found;
    }

    /// <summary>
    /// The library files themselves (and the ELF interpreter): what <see cref="Locate"/>'s directories hold that the
    /// runtime loads, sorted; for an image, which gets these files rather than whole directories.
    /// </summary>
    public static IReadOnlyList<string> LocateFiles(string dotnetRoot) =>
    [
        .. Locate(dotnetRoot)
            .SelectMany(path => Directory.Exists(path) ? s_libraryPatterns.SelectMany(pattern => Directory.EnumerateFiles(path, pattern)) : [path])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The directories of the shared objects this process has mapped that match the library patterns.</summary>
    private static IEnumerable<string> MappedLibraryDirectories()
    {
        var directories = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            // address perms offset dev inode pathname; the path is the rest of the line and may hold spaces.
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
                continue;
            var path = line[slash..];
            var fileName = Path.GetFileName(path);
            if (!s_libraryPatterns.Any(pattern => Matches(fileName, pattern)))
                continue;
            var directory = Path.GetDirectoryName(path);
            if (directory is not null && !directories.Contains(directory, StringComparer.Ordinal))
                directories.Add(directory);
        }

        return directories;
    }

    /// <summary>Whether <paramref name="fileName"/> matches a pattern of the form <c>prefix*middle*</c>.</summary>
    private static bool Matches(string fileName, string pattern)
    {
        var parts = pattern.Split('*');
        var position = 0;
        foreach (var part in parts)
        {
            var found = fileName.IndexOf(part, position, StringComparison.Ordinal);
            if (found < 0 || (position == 0 && parts[0].Length > 0 && found != 0))
                return false;
            position = found + part.Length;
        }

        return true;
    }

    /// <summary>Debian's multiarch directory name for this architecture.</summary>
    private static string MultiarchTriplet() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x86_64-linux-gnu",
        Architecture.Arm64 => "aarch64-linux-gnu",
        Architecture.Arm => "arm-linux-gnueabihf",
        _ => "unknown-linux-gnu",
    };
}
