using Microsoft.Extensions.Logging;

namespace Berth.Host.Orchestration;

/// <summary>The default output of replicas when nothing else is registered: each line a log entry of category <c>Berth.Replicas</c>.</summary>
internal sealed partial class LoggerReplicaOutput(ILoggerFactory loggerFactory) : IReplicaOutput
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Berth.Replicas");

    public void Write(string replica, ReplicaOutputStream stream, string line)
    {
        if (stream == ReplicaOutputStream.StandardError)
        {
            LogError(_logger, replica, line);
        }
        else
        {
            LogOutput(_logger, replica, line);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Replica} | {Line}")]
    private static partial void LogOutput(ILogger logger, string replica, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Replica} | {Line}")]
    private static partial void LogError(ILogger logger, string replica, string line);
}
