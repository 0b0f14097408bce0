using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// The one thread of the process that creates sockets in containers' network namespaces. A socket belongs for good
/// to the network namespace of the thread that called <c>socket(2)</c>, so for each request this thread joins the
/// container's namespace (<c>setns</c>), creates the socket, and goes back to the host's at once. Requests from any
/// number of callers and containers queue here: one thread in all, none per container or connection.
/// </summary>
/// <remarks>
/// <para>
/// Why not the container's parent thread, which is inside already: after <c>unshare(CLONE_NEWPID)</c> it cannot
/// create threads, and the .NET runtime starts some of its own threads from whichever thread needs them (the tiered
/// JIT's worker, when a method called there gets hot): on that thread any managed call may then fail with an
/// <see cref="OutOfMemoryException"/>. And after the init's <c>pivot_root</c> its root directory is the container's.
/// This thread is an ordinary one that leaves the host only for the two system calls.
/// </para>
/// <para>
/// A thread the runtime started from here would be born in this thread's network namespace. Outside of a request
/// that is the host's; within one, only the system calls run, compiled ahead (no tiering) so that nothing in them
/// makes the runtime start a thread.
/// </para>
/// </remarks>
internal sealed class NamespaceSocketThread
{
    private static readonly Lazy<NamespaceSocketThread> s_shared = new(() => new NamespaceSocketThread(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Queue<Request> _requests = new();

    // The process's own network namespace, to go back to after each request. Open for the life of the process.
    private readonly SafeFileHandle _host = NamespaceFile.Open("/proc/self/ns/net");

    private NamespaceSocketThread()
    {
        var thread = new Thread(Run) { Name = "berth-netns", IsBackground = true };
        thread.Start();
    }

    public static NamespaceSocketThread Shared => s_shared.Value;

    /// <summary>
    /// <c>socket(domain, type | SOCK_CLOEXEC, protocol)</c> in the network namespace <paramref name="netns"/> (an open
    /// namespace file the caller keeps open until this returns): a descriptor, or minus the errno.
    /// </summary>
    public int CreateSocket(SafeFileHandle netns, int domain, int type, int protocol)
    {
        var request = new Request((int)netns.DangerousGetHandle(), domain, type, protocol);
        lock (_requests)
        {
            _requests.Enqueue(request);
            Monitor.Pulse(_requests);
        }

        return request.Wait();
    }

    private void Run()
    {
        var host = (int)_host.DangerousGetHandle();
        while (true)
        {
            Request request;
            lock (_requests)
            {
                while (_requests.Count == 0)
                {
                    Monitor.Wait(_requests);
                }

                request = _requests.Dequeue();
            }

            request.Complete(CreateIn(request, host));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CreateIn(Request request, int host)
    {
        if (LibC.setns(request.Namespace, LibC.CLONE_NEWNET) != 0)
        {
            return -Marshal.GetLastPInvokeError();
        }

        var descriptor = LibC.socket(request.Domain, request.Type | LibC.SOCK_CLOEXEC, request.Protocol);
        var result = descriptor >= 0 ? descriptor : -Marshal.GetLastPInvokeError();

        // Should going back ever fail, the next request still joins its own namespace first; only the thread's
        // resting place would be wrong until then.
        _ = LibC.setns(host, LibC.CLONE_NEWNET);
        return result;
    }

    /// <summary>One request; its caller blocks until the thread has answered (microseconds: two setns and a socket).</summary>
    private sealed class Request(int netns, int domain, int type, int protocol)
    {
        private readonly object _gate = new();
        private bool _done;
        private int _result;

        public int Namespace { get; } = netns;

        public int Domain { get; } = domain;

        public int Type { get; } = type;

        public int Protocol { get; } = protocol;

        public void Complete(int result)
        {
            lock (_gate)
            {
                _result = result;
                _done = true;
                Monitor.Pulse(_gate);
            }
        }

        public int Wait()
        {
            lock (_gate)
            {
                while (!_done)
                {
                    Monitor.Wait(_gate);
                }

                return _result;
            }
        }
    }
}
