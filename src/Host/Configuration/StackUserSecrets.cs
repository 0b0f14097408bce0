using System.Reflection;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Berth.Host.Configuration;

/// <summary>Finds the stack project's user-secrets store, which <c>user_secret</c> secrets are read from.</summary>
public static class StackUserSecrets
{
    /// <summary>
    /// The <c>UserSecretsId</c> of the project compiled into <paramref name="stackAssembly"/>, or null when it has none.
    /// The SDK compiles <c>&lt;UserSecretsId&gt;</c> (which <c>dotnet user-secrets init</c> adds to the project file) into
    /// a <see cref="UserSecretsIdAttribute"/> of every project that references ASP.NET Core, as stack projects do
    /// through Berth.Host. The stack project is the entry assembly of <c>dotnet run</c>, so pass
    /// <see cref="Assembly.GetEntryAssembly"/> there.
    /// </summary>
    public static string? FindId(Assembly? stackAssembly) =>
        stackAssembly?.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId is { Length: > 0 } id ? id.Trim() : null;
}
