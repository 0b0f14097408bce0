using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Services.Tests;

/// <summary>
/// One service of the shop in process, found by a type of its assembly (the services' Program classes are all
/// called Program), with configuration of the test's and, for a service that calls others, those others in process
/// as the targets of its typed HTTP clients.
/// </summary>
public class ServiceFactory<TMarker> : WebApplicationFactory<TMarker>
    where TMarker : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <summary>The service as it is (xUnit's class fixtures take this one).</summary>
    public ServiceFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    internal ServiceFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _services = services;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>A client that keeps cookies and shows redirects rather than following them.</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}
