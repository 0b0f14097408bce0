using System.Net.Http.Json;
using System.Text.Json;
using Berth.Runtime.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests;

/// <summary>
/// A visitor in a real browser (headless Chromium, Debian's, driven by Playwright) buys through the gateway while a
/// catalog replica is killed under them. The page is screenshotted for the README: into the test's output, and into
/// docs/ when BERTH_UPDATE_SCREENSHOTS=1 (so that a test run does not change tracked files).
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class StorefrontBrowserTests(ShopFixture fixture)
{
    private readonly RunningShopStack _shop = fixture.Shop;

    [RequiresToolFact("chromium", "chromium")]
    public async Task AVisitorBuysThroughTheGateway_AndThePageKeepsWorkingWhenACatalogReplicaIsKilled()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = RequiredTool.Find("chromium", "chromium"), Headless = true });
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = _shop.Gateway.Address.ToString(),
            ViewportSize = new() { Width = 1280, Height = 760 },
        });
        context.SetDefaultTimeout(60_000);
        SetDefaultExpectTimeout(60_000);
        var page = await context.NewPageAsync();

        // The shop, through the gateway: six products, an empty basket.
        await page.GotoAsync("/");
        await Expect(page.Locator("li.product")).ToHaveCountAsync(6);
        await Expect(page.Locator("#basket")).ToContainTextAsync("Your basket is empty.");

        await AddToBasketAsync(page, "grinder");
        await Expect(page.Locator("#basket li.line")).ToHaveCountAsync(1);

        // A catalog replica dies; the other one serves every page while the stack restarts it.
        var killed = ShopFixture.Kill(_shop.Catalog, 1);
        var listedBy = new List<string>();
        for (var load = 0; load < 10; load++)
        {
            var response = await page.ReloadAsync();
            Assert.True(response is { Ok: true }, $"page load {load} after the kill: {response?.Status}");
            await Expect(page.Locator("li.product")).ToHaveCountAsync(6);
            listedBy.Add(await page.Locator("#catalog-replica").InnerTextAsync());
        }

        Assert.All(listedBy, replica => Assert.StartsWith("catalog-", replica, StringComparison.Ordinal));

        await AddToBasketAsync(page, "beans");
        await Expect(page.Locator("#basket li.line")).ToHaveCountAsync(2);
        await Expect(page.Locator("#basket-total")).ToHaveTextAsync("€95.00");
        await SaveScreenshotAsync(page, "shop.png");

        // Checkout, and the confirmation.
        await page.Locator("#checkout").ClickAsync();
        await Expect(page.Locator("#confirmation")).ToHaveTextAsync("Thank you for your order!");
        await Expect(page.Locator("main.confirmation")).ToHaveAttributeAsync("data-status", "Paid");
        await SaveScreenshotAsync(page, "shop-confirmation.png");

        // The order the page confirmed is the one orders kept.
        var orderId = (await page.Locator("#order-id").InnerTextAsync()).TrimStart('#');
        using (var orders = _shop.Orders.CreateHttpClient())
        {
            var order = await orders.GetFromJsonAsync<JsonElement>($"api/orders/{orderId}");
            Assert.Equal(("Paid", 9500L), (order.GetProperty("status").GetString(), order.GetProperty("totalCents").GetInt64()));
        }

        // Meanwhile the stack brought the killed replica back.
        await fixture.WaitWholeAsync();
        Assert.NotEqual(killed, _shop.Catalog.Replicas.Single(r => r.Index == 1).ProcessId);
    }

    /// <summary>Posts the product's form (the click waits for the navigation it starts; the page comes back from the redirect with the basket).</summary>
    private static Task AddToBasketAsync(IPage page, string productId) =>
        page.Locator($"li.product[data-product='{productId}'] button").ClickAsync();

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        await page.ScreenshotAsync(new() { Path = output, FullPage = true });
        Assert.True(new FileInfo(output).Length > 10_000, $"{output} is too small to show the page");
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_SCREENSHOTS") == "1")
        {
            File.Copy(output, Path.Combine(ShopPaths.RepoRoot, "docs", name), overwrite: true);
        }
    }
}
