using Berth.Host.Control;
using Berth.Host.Orchestration;
using Microsoft.Extensions.Configuration;

namespace Berth.Host;

/// <summary>
/// The settings that are not the stack's own (the configuration section <c>Berth</c>, from the environment:
/// <c>Berth__StateDirectory</c>, …): <c>up</c> runs with them, and the verbs that reach a running stack find it
/// with the same ones.
/// </summary>
internal static class StackSettings
{
    public const string Section = "Berth";

    public static StackOrchestratorOptions Read(IConfiguration settings)
    {
        var options = new StackOrchestratorOptions();
        settings.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>The running stack's directory in the state directory these settings name.</summary>
    public static StackDirectory DirectoryOf(IConfiguration settings, StackDescriptor descriptor) =>
        StackDirectory.For(Read(settings).StateDirectory, descriptor.Name);
}
