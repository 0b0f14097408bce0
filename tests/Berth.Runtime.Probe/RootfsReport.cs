using System.Text.Json;

namespace Berth.Runtime.Probe;

/// <summary>The <c>rootfs</c> verb's output: the setup's error, or what the container's processes saw.</summary>
internal sealed record RootfsReport(string? SetupError, FilesystemView? View, CommandRun? AppRun, JsonElement? App);
