namespace Berth.Host.Orchestration;

/// <summary>A health check got an answer, and the answer was not healthy.</summary>
public sealed class HealthCheckFailedException(string message) : Exception(message);
