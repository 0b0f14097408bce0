using System.Text;

namespace Berth.Runtime;

/// <summary>Paths and mount options as the NUL-terminated UTF-8 the kernel reads.</summary>
internal static class NativeStrings
{
    /// <summary>The bytes of <paramref name="value"/> and a NUL; null for null (a NULL pointer under <c>fixed</c>).</summary>
    /// <exception cref="ArgumentException">The value holds a NUL, which would cut it short without a word.</exception>
    public static byte[]? Utf8(string? value)
    {
        if (value is null)
            return null;
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"A path or mount option holds a NUL character: \"{value.Replace("\0", "\\0", StringComparison.Ordinal)}\".", nameof(value));

        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
