using Berth.Runtime.Probe;

// One verb per kind of isolation; each prints a single JSON object on stdout and exits 0 when it could report.
return args switch
{
    ["seccomp"] => SeccompProbe.Run(),
    ["seccomp-tsync-fallback"] => SeccompTsyncFallbackProbe.Run(),
    ["caps-drop", .. var options] => CapabilityDropProbe.Run(options),
    ["container-host", var state, var cgroupParent, var id] => ContainerHostProbe.Run(state, cgroupParent, id),
    ["isolation", var hostPath] => IsolationProbe.Run(hostPath),
    ["mounts", var workDirectory] => MountHelpersProbe.Run(workDirectory),
    ["rootfs", var requestFile] => RootfsProbe.Run(requestFile),
    ["rootfs-inside", var requestFile] => RootfsProbe.RunInside(requestFile),
    ["rootfs-inspect", var inspectionJson] => RootfsProbe.Inspect(inspectionJson),
    ["rootfs-leak", var containerDirectory, var bindSource] => RootfsLeakProbe.Run(containerDirectory, bindSource),
    ["echo-server", var address, var port] => NetworkProbe.Serve(address, port),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(
        "usage: Berth.Runtime.Probe <verb>\nverbs: seccomp, seccomp-tsync-fallback, "
        + "caps-drop [--keep NAME]... [--user SPEC] [--groups GID,...] [--no-new-privs], container-host STATE CGROUP-PARENT ID, isolation HOST-PATH, "
        + "mounts WORKDIR, rootfs REQUEST, rootfs-inside REQUEST, rootfs-inspect JSON, rootfs-leak CONTAINERDIR BINDSOURCE, "
        + "echo-server ADDRESS PORT");
    return 2;
}
