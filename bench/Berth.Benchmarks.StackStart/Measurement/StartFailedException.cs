namespace Berth.Benchmarks.StackStart.Measurement;

/// <summary>A contender's round failed: its services did not all answer, or answered wrongly; the message says what and shows the last output.</summary>
internal sealed class StartFailedException(string message) : Exception(message);
