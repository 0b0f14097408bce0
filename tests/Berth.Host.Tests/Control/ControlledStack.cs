using Berth.Host.Control;
using Berth.Host.Orchestration;
using Berth.Host.Tests.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Host.Tests.Control;

/// <summary>
/// A stack run by a host in this process, as a library user runs one (<c>AddStackOrchestrator</c> and
/// <c>AddStackControl</c>), with the state of an <see cref="OrchestratedStack"/>; and the command line's verbs
/// pointed at that state directory, as <c>Berth__StateDirectory</c> points them.
/// </summary>
internal sealed class ControlledStack : IAsyncDisposable
{
    private readonly OrchestratedStack _stack;

    public ControlledStack(OrchestratedStack stack)
    {
        _stack = stack;
        Descriptor = new StackDescriptor(stack.Stack.Name, [new StackEnvironment(stack.Stack.Environment, stack.Stack.DotnetEnvironment)], stack.Stack.Environment, _ => stack.Stack);
        Settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Berth:StateDirectory"] = stack.Options.StateDirectory,
            ["Berth:CgroupParent"] = stack.Options.CgroupParent,
        }).Build();
        Host = NewHost();
    }

    public StackDescriptor Descriptor { get; }

    public IConfiguration Settings { get; }

    public IHost Host { get; }

    public StackOrchestrator Orchestrator => Host.Services.GetRequiredService<StackOrchestrator>();

    /// <summary>Another host of the same stack, with the same state directory.</summary>
    public IHost NewHost()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddStack(Descriptor);
        builder.Services.AddStackOrchestrator(o =>
        {
            o.StateDirectory = _stack.Options.StateDirectory;
            o.CgroupParent = _stack.Options.CgroupParent;
            o.VolumesDirectory = _stack.Options.VolumesDirectory;
            o.ServiceManifestPath = _stack.Options.ServiceManifestPath;
            o.GatewayEndPoint = _stack.Options.GatewayEndPoint;
            o.UserSecretsId = null;
            o.HostVariable = _stack.Options.HostVariable;
        });
        builder.Services.AddStackControl();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        return builder.Build();
    }

    /// <summary>Runs a verb of the stack's command line in this process: its exit code, output and error.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await StackCommandLine.RunAsync(Descriptor, args, Settings, output, error).WaitAsync(TestTimeouts.Generous);
        return (exitCode, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Generous);
        Host.Dispose();
    }
}
