using System.Globalization;
using System.Text;

namespace Berth.Host.Export.Compose;

/// <summary>
/// Berth's gateway in Compose, which has none: an unprivileged nginx with the stack's routes. A route sends its path
/// and everything below it (whole segments: "/api/catalog" is not "/api/catalogue") to its service, path
/// unchanged, the longest prefix first; any other path is a 404. Service names are looked up in Docker's DNS at
/// each request, so the replicas that come and go are found and the gateway starts before the services do.
/// </summary>
internal static class ComposeGateway
{
    public const string Image = "docker.io/nginxinc/nginx-unprivileged:1.27-alpine";

    /// <summary>The port nginx-unprivileged listens on inside its container.</summary>
    public const int ContainerPort = 8080;

    /// <summary>The gateway's service name: "gateway", unless the stack has a service of that name.</summary>
    public static string Name(StackDefinition stack) => stack.Services.Any(s => s.Name == "gateway") ? "berth-gateway" : "gateway";

    public static ComposeService Service(StackDefinition stack, string name, string configFile, List<string> networks) => new()
    {
        Image = Image,
        ReadOnly = true,
        CapDrop = ["ALL"],
        SecurityOpt = ["no-new-privileges:true"],
        Volumes =
        [
            new ComposeMount { Type = "bind", Source = $"./{configFile}", Target = "/etc/nginx/conf.d/default.conf", ReadOnly = true },
            new ComposeMount { Type = "tmpfs", Target = "/tmp" },
        ],
        Restart = "always",
        Ports = [$"{stack.Gateway.Bind}:{stack.Gateway.Port.ToString(CultureInfo.InvariantCulture)}:{ContainerPort.ToString(CultureInfo.InvariantCulture)}"],
        Networks = networks,
    };

    public static string Configuration(StackDefinition stack)
    {
        var routes = stack.Services
            .Where(ComposeNetworks.Routed)
            .SelectMany(s => s.Routes.Select(route => (Route: route, Service: s)))
            .OrderByDescending(r => r.Route.Length)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .ToList();

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# The gateway of stack '{stack.Name}' ({stack.Environment}), written by `dotnet run -- export compose`: export again rather than edit.\n");
        text.Append("server {\n");
        text.Append(CultureInfo.InvariantCulture, $"    listen {ContainerPort};\n");
        text.Append("    resolver 127.0.0.11 valid=10s ipv6=off;\n");
        text.Append("    proxy_http_version 1.1;\n");
        text.Append("    proxy_set_header Host $host;\n");
        text.Append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        text.Append("    proxy_set_header X-Forwarded-Proto $scheme;\n");
        text.Append("    proxy_set_header X-Forwarded-Host $host;\n");
        foreach (var (route, service) in routes)
        {
            var upstream = $"set $service {service.Name}:{service.Port!.Value.ToString(CultureInfo.InvariantCulture)}; proxy_pass http://$service;";
            if (route == "/")
            {
                text.Append(CultureInfo.InvariantCulture, $"    location / {{ {upstream} }}\n");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"    location = \"{route}\" {{ {upstream} }}\n");
            text.Append(CultureInfo.InvariantCulture, $"    location \"{route}/\" {{ {upstream} }}\n");
        }

        if (!routes.Any(r => r.Route == "/"))
        {
            text.Append("    location / { return 404; }\n");
        }

        text.Append("}\n");
        return text.ToString();
    }
}
