using Berth.Runtime.Probe;

// One verb per kind of isolation; each prints a single JSON object on stdout and exits 0 when it could report.
return args switch
{
    ["seccomp"] => SeccompProbe.Run(),
    ["seccomp-tsync-fallback"] => SeccompTsyncFallbackProbe.Run(),
    ["container-host", var state, var cgroupParent, var id] => ContainerHostProbe.Run(state, cgroupParent, id),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Berth.Runtime.Probe <verb>\nverbs: seccomp, seccomp-tsync-fallback, container-host STATE CGROUP-PARENT ID");
    return 2;
}
