using System.CommandLine;

namespace Berth.Host;

/// <summary><c>config</c>: prints the stack as resolved for one environment, like <c>docker compose config</c>.</summary>
internal static class ConfigCommand
{
    public static Command Create(StackDescriptor descriptor)
    {
        var environment = new Option<string?>("--environment", "-e")
        {
            Description = $"The environment to resolve ({string.Join(", ", descriptor.Environments.Select(e => e.Name))}); default: DOTNET_ENVIRONMENT, else {descriptor.DefaultEnvironment}.",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("json", "toml");

        var command = new Command("config", "Show the stack resolved for an environment (secret values are never shown; only where they come from).")
        {
            environment,
            format,
        };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            string selected;
            try
            {
                selected = descriptor.SelectEnvironment(result.GetValue(environment), System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"));
            }
            catch (ArgumentException e)
            {
                result.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }

            var definition = descriptor.Resolve(selected);
            output.WriteLine(result.GetValue(format) == "toml"
                ? StackDefinitionFormatter.ToToml(definition)
                : StackDefinitionFormatter.ToJson(definition));
            return 0;
        });
        return command;
    }
}
