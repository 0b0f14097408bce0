namespace Berth.Runtime.Security;

/// <summary>
/// A user or group a service names is not in the root filesystem's <c>/etc/passwd</c> or <c>/etc/group</c>, or the
/// name is not a valid user specification. The message names the user or group and the file.
/// </summary>
public sealed class UserLookupException : Exception
{
    /// <summary>An error with no details.</summary>
    public UserLookupException()
    {
    }

    /// <summary>An error described by <paramref name="message"/>.</summary>
    public UserLookupException(string message)
        : base(message)
    {
    }

    /// <summary>An error described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public UserLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
