using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Runtime.Cgroups;

namespace Shop.Tests;

/// <summary>
/// The shop's command line as a user runs it: `up` in dev until Ctrl+C, twice on the same volumes (an order outlives
/// the stack), `config` for prod, and prod without its payments key.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed partial class ShopCommandLineTests : IDisposable
{
    private readonly ShopRun _run = new();

    private string VolumesDirectory => Path.Combine(_run.StateDirectory, "volumes");

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task UpRunsTheShopUntilCtrlC_AndAnOrderOutlivesTheStack()
    {
        string confirmation;
        using (var up = new ShopProcess(_run, VolumesDirectory, "up", "--gateway-port", "0"))
        {
            var gateway = await WaitUntilUpAsync(up);
            Assert.Contains(up.Lines, line => line.Trim() == "/             -> storefront (1 replica)");
            Assert.Contains(up.Lines, line => line.Trim() == "/api/catalog  -> catalog (1 replica)");
            Assert.DoesNotContain(up.Lines, line => line.Contains("-> payments", StringComparison.Ordinal));

            // A visitor's purchase, as the browser's forms post it.
            using var browser = Browser(gateway);
            Assert.Contains("Berth Coffee", await browser.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/basket", Form("productId", "scale"))).StatusCode);
            using var checkout = await browser.PostAsync("/checkout", Form());
            confirmation = checkout.Headers.Location!.OriginalString;
            Assert.Contains("Thank you for your order!", await browser.GetStringAsync(confirmation), StringComparison.Ordinal);

            await StopAsync(up);
        }

        // The stack again, on the same volumes: migrate finds the schema current, and the order is still there.
        using (var again = new ShopProcess(_run, VolumesDirectory, "--gateway-port", "0"))
        {
            var gateway = await WaitUntilUpAsync(again);
            Assert.Contains(again.Lines, line => line.Contains("migrated from schema version 2 to 2", StringComparison.Ordinal));
            using var api = new HttpClient { BaseAddress = gateway };
            using var order = JsonDocument.Parse(await api.GetStringAsync($"/api{confirmation}"));
            Assert.Equal(("Paid", 3200L), (order.RootElement.GetProperty("status").GetString(), order.RootElement.GetProperty("totalCents").GetInt64()));

            await StopAsync(again);
        }

        Assert.True(File.Exists(Path.Combine(VolumesDirectory, "shop", "orders-data", "orders.db")));
    }

    [Fact]
    public async Task ProdWithoutThePaymentsKeyFailsBeforeStartingAnything()
    {
        using var up = new ShopProcess(_run, VolumesDirectory, "--environment", "prod", "--gateway-port", "0");

        Assert.Equal(1, await up.WaitForExitAsync());
        Assert.Equal(
            [
                "Starting stack 'shop' (prod): 6 services, 7 replicas",
                "Stack 'shop' cannot start in environment 'prod': secret 'payments_api_key' comes from env = \"SHOP_PAYMENTS_API_KEY\": the host variable SHOP_PAYMENTS_API_KEY is not set; set it in the environment that runs the stack; or give the secret another source for this environment in [environments.prod.secrets.payments_api_key].",
            ],
            up.Lines);
        AssertNothingLeft();
        Assert.False(Directory.Exists(VolumesDirectory), "a volume was made for a stack that did not start");
    }

    [Fact]
    public async Task ConfigShowsWhatProdChanges_WithoutAnySecretValue()
    {
        using var prod = new ShopProcess(_run, VolumesDirectory, "config", "--environment", "prod");
        Assert.Equal(0, await prod.WaitForExitAsync());
        using var json = JsonDocument.Parse(prod.Transcript);

        var services = json.RootElement.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(2, services["catalog"].GetProperty("replicas").GetInt32());
        Assert.All(services.Values, service =>
        {
            Assert.Equal(256L * 1024 * 1024, service.GetProperty("limits").GetProperty("memory_bytes").GetInt64());
            Assert.Equal("Warning", service.GetProperty("config").GetProperty("Logging:LogLevel:Default").GetString());
        });
        var secret = Assert.Single(json.RootElement.GetProperty("secrets").EnumerateArray());
        Assert.Contains("SHOP_PAYMENTS_API_KEY", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ShopPaths.PaymentsApiKey, prod.Transcript, StringComparison.Ordinal);

        // dev, for the difference: one replica each, no limits, the key from the example's file, the shop's own debug log.
        var dev = ShopStack.Resolve(ShopEnvironment.Dev);
        Assert.All(dev.Services, service => Assert.Equal((1, (long?)null), (service.Replicas, service.Limits.MemoryBytes)));
        Assert.All(dev.Services, service => Assert.Equal("Debug", service.Config["Logging:LogLevel:Shop"]));
        Assert.Equal("secrets/payments_api_key.txt", dev.GetSecret("payments_api_key").Source);
    }

    private async Task<Uri> WaitUntilUpAsync(ShopProcess up)
    {
        await up.WaitForLineAsync(line => line == "Press Ctrl+C to stop.");
        var summary = await up.WaitForLineAsync(line => line.StartsWith("Gateway: ", StringComparison.Ordinal));
        return new Uri(GatewayUrl().Match(summary).Value);
    }

    /// <summary>Ctrl+C: the stack stops in order, `up` exits 0, and nothing of the run remains.</summary>
    private async Task StopAsync(ShopProcess up)
    {
        up.Interrupt();
        Assert.True(await up.WaitForExitAsync() == 0, up.Transcript);
        Assert.Contains(up.Lines, line => line.StartsWith("Stack 'shop' stopped in", StringComparison.Ordinal));
        AssertNothingLeft();
    }

    private void AssertNothingLeft()
    {
        var containers = Path.Combine(_run.StateDirectory, "containers");
        Assert.Empty(Directory.Exists(containers) ? Directory.EnumerateFileSystemEntries(containers) : []);
        Assert.Empty(new CgroupFactory(CgroupLayout.Detect(), _run.CgroupParent).ListNames());
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(_run.StateDirectory, StringComparison.Ordinal));
    }

    private static HttpClient Browser(Uri gateway) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = gateway };

    private static FormUrlEncodedContent Form(params string[] nameThenValue) =>
        new(nameThenValue.Chunk(2).Select(pair => KeyValuePair.Create(pair[0], pair[1])));

    [GeneratedRegex(@"http://[^\s]+")]
    private static partial Regex GatewayUrl();
}
