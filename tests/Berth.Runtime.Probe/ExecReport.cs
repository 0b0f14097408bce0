namespace Berth.Runtime.Probe;

/// <summary>A child program's exit code, its credential lines from its own <c>/proc/self/status</c>, and stderr.</summary>
internal sealed record ExecReport(int ExitCode, CredentialStatus Status, string Output, string Errors);
