using Berth.Host.Orchestration;
using Berth.Runtime.Containers;

namespace Berth.Host.Tests.Orchestration;

public sealed class RestartPoliciesTests
{
    public static TheoryData<RestartPolicy, bool, bool> Decisions => new()
    {
        // policy, restarts after a clean exit, restarts after a failure
        { RestartPolicy.No, false, false },
        { RestartPolicy.OnFailure, false, true },
        { RestartPolicy.Always, true, true },
        { RestartPolicy.UnlessStopped, true, true },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void EachPolicyRestartsAsComposeDoesWhileTheStackRuns(RestartPolicy policy, bool afterSuccess, bool afterFailure)
    {
        Assert.Equal(afterSuccess, policy.Restarts(new ContainerExit(0, null)));
        Assert.Equal(afterFailure, policy.Restarts(new ContainerExit(3, null)));
        Assert.Equal(afterFailure, policy.Restarts(new ContainerExit(137, 9)));
    }

    [Theory]
    [InlineData(RestartPolicy.No, "no")]
    [InlineData(RestartPolicy.OnFailure, "on-failure")]
    [InlineData(RestartPolicy.Always, "always")]
    [InlineData(RestartPolicy.UnlessStopped, "unless-stopped")]
    public void PoliciesAreSpelledAsInStackToml(RestartPolicy policy, string spelled) => Assert.Equal(spelled, RestartPolicies.Spell(policy));
}
