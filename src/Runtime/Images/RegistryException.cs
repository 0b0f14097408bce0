namespace Berth.Runtime.Images;

/// <summary>
/// A registry could not give an image: unreachable, refused the credentials, has no such image, or answered with an
/// HTTP error. The message names the image, the registry and the status, and what to do.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException(string message, System.Net.HttpStatusCode? status = null, Exception? innerException = null)
        : base(message, innerException) => Status = status;

    /// <summary>The registry's HTTP status, when it answered.</summary>
    public System.Net.HttpStatusCode? Status { get; }
}
