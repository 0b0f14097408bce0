namespace Berth.Runtime.Tests;

public class RuntimePathsTests
{
    [Fact]
    public void RootKeepsStateUnderRunBerth()
    {
        // Tests run as root (namespaces, mounts and cgroups need it), where XDG_RUNTIME_DIR does not apply.
        Assert.Equal(0u, (uint)Tmds.Linux.LibC.geteuid());
        Assert.Equal("/run/berth", RuntimePaths.StateDirectory);
    }
}
