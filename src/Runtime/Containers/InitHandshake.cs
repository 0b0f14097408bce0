using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;

namespace Berth.Runtime.Containers;

/// <summary>
/// The host's side of the talk with an init it has just started, for a container's start and for an exec alike: the
/// init connects, gets its instructions, and either says it is about to <c>execve</c> (then the exec closes its end
/// of the socket, close-on-exec) or names the step that failed. Every way it can go wrong ends in one exception made
/// by <c>fail(stage, reason)</c>, never in a hang.
/// </summary>
/// <param name="process">The init.</param>
/// <param name="subject">What the init starts, for messages: "the service", "the process".</param>
/// <param name="fail">Makes the exception for a failed step.</param>
internal sealed class InitHandshake(Process process, ContainerRuntimeOptions options, string subject, Func<string, string, Exception> fail)
{
    public async Task<Socket> AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.InitConnectTimeout);
        var accept = listener.AcceptAsync(timeout.Token).AsTask();
        var exit = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(accept, exit).ConfigureAwait(false);
        if (first == accept && accept.IsCompletedSuccessfully)
        {
            return accept.Result;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var error = process.HasExited ? (await process.StandardError.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false)).Trim() : string.Empty;
        throw fail(
            "init",
            process.HasExited
                ? $"the init exited with code {process.ExitCode} before connecting{(error.Length > 0 ? $": {error}" : string.Empty)}"
                : $"the init did not connect within {options.InitConnectTimeout.TotalSeconds:0} s");
    }

    /// <summary>
    /// Sends <paramref name="descriptors"/> (if any; the caller keeps them open until this returns) and the
    /// instructions, and waits for the outcome: returns once the init has <c>execve</c>'d or, in init mode, started
    /// the service.
    /// </summary>
    /// <param name="cgroup">The container's: whether its memory limit killed the init, for the message.</param>
    public async Task HandOverAsync<T>(Socket init, int[]? descriptors, T instructions, JsonTypeInfo<T> type, Cgroup cgroup, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.InitSetupTimeout);
        InitReport? report;
        try
        {
            if (descriptors is not null)
            {
                DescriptorPassing.Send(init, descriptors);
            }

            await InitChannel.SendAsync(init, instructions, type, timeout.Token).ConfigureAwait(false);
            report = await InitChannel.ReceiveAsync(init, InitJsonContext.Default.InitReport, timeout.Token).ConfigureAwait(false);
            if (report is { Executing: true })
            {
                report = await InitChannel.ReceiveAsync(init, InitJsonContext.Default.InitReport, timeout.Token).ConfigureAwait(false);
                if (report is null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw fail("init", $"{subject} was not started within {options.InitSetupTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            report = null;
        }

        if (report is { Stage: { } stage })
        {
            throw fail(stage, report.Reason ?? "failed");
        }

        // The init is gone without a word: say how it ended.
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        var exit = ContainerExit.FromProcessExitCode(process.ExitCode, cgroup.OomKilled);
        var errors = (await process.StandardError.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false)).Trim();
        throw fail(
            "init",
            $"the init ended before starting {subject} ({exit.Summary}){(errors.Length > 0 ? $": {errors}" : string.Empty)}");
    }
}
