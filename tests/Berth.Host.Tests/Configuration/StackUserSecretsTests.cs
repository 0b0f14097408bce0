using Berth.Host.Configuration;
using Microsoft.Extensions.Configuration.UserSecrets;

// What the SDK compiles into a project with <UserSecretsId>; written by hand so the test needs no project setting.
[assembly: UserSecretsId("berth-host-tests-user-secrets")]

namespace Berth.Host.Tests.Configuration;

public class StackUserSecretsTests
{
    [Fact]
    public void TheIdComesFromTheStackAssembly() =>
        Assert.Equal("berth-host-tests-user-secrets", StackUserSecrets.FindId(typeof(StackUserSecretsTests).Assembly));

    [Fact]
    public void AnAssemblyWithoutUserSecretsHasNoId()
    {
        Assert.Null(StackUserSecrets.FindId(typeof(StackDefinition).Assembly));
        Assert.Null(StackUserSecrets.FindId(null));
    }
}
