namespace Berth.Host.Control;

/// <summary>The process that runs the stack could not serve a request (an unknown service, say); the message is its answer.</summary>
public sealed class ControlRequestException : Exception
{
    internal ControlRequestException(string message)
        : base(message)
    {
    }
}
