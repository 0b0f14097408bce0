namespace Berth.Host.Orchestration;

/// <summary>A service cannot start (a missing build, a bad volume, a container that failed or exited before it was ready): the message names the service and says why.</summary>
public sealed class ServiceStartException : Exception
{
    public ServiceStartException(string service, string reason)
        : base($"Service '{service}' cannot start: {reason}.")
    {
        Service = service;
        Reason = reason;
    }

    public string Service { get; }

    public string Reason { get; }
}
