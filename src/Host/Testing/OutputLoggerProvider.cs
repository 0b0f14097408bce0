using Microsoft.Extensions.Logging;

namespace Berth.Host.Testing;

/// <summary>The host's log as lines among the run's output (<c>warn: Berth.Network: …</c>), as <c>up</c> shows it on its console.</summary>
internal sealed class OutputLoggerProvider(UpConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(console, categoryName);

    public void Dispose()
    {
    }

    private sealed class OutputLogger(UpConsole console, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            console.WriteLine(exception is null
                ? $"{level}: {category}: {formatter(state, exception)}"
                : $"{level}: {category}: {formatter(state, exception)}{Environment.NewLine}{exception}");
        }
    }
}
