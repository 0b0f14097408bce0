namespace Berth.Benchmarks.Network.Contenders;

/// <summary>One path to the backend: wrk runs in <see cref="Namespace"/> against <see cref="Url"/>.</summary>
/// <param name="Key">The name on the command line (<c>--only</c>).</param>
/// <param name="Name">The name in the report.</param>
/// <param name="Route">What a request passes through, for the report.</param>
internal sealed record Contender(string Key, string Name, string Route, Uri Url, NetworkNamespace Namespace);
