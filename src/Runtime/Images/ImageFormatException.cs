namespace Berth.Runtime.Images;

/// <summary>
/// An image, a layer or a blob is not what it claims to be, or not acceptable: a digest mismatch, a JSON document
/// that is not a manifest, an archive entry that would land outside its layer. Nothing of it is left in the store.
/// </summary>
public sealed class ImageFormatException : Exception
{
    public ImageFormatException(string message)
        : base(message)
    {
    }

    public ImageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
