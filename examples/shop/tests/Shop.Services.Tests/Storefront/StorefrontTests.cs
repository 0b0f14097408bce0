using System.Net;
using System.Text.RegularExpressions;
using Shop.Storefront;

namespace Shop.Services.Tests.Storefront;

/// <summary>The web page as a browser without script uses it: GETs, form posts and redirects, with its cookie.</summary>
public sealed partial class StorefrontTests(InProcessShop shop) : IClassFixture<InProcessShop>
{
    private readonly HttpClient _browser = shop.Storefront.CreateBrowser();

    [Fact]
    public async Task ThePageListsTheProducts_AndAnEmptyBasket()
    {
        var page = await _browser.GetStringAsync("/");

        Assert.Equal(6, ProductCard().Matches(page).Count);
        Assert.Contains("""<h3>Hand grinder</h3>""", page, StringComparison.Ordinal);
        Assert.Contains("€79.00", page, StringComparison.Ordinal);
        Assert.Contains("Your basket is empty.", page, StringComparison.Ordinal);
        Assert.Contains($"""<span id="catalog-replica">{Environment.MachineName}</span>""", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingToTheBasket_CheckingOut_ShowsTheConfirmation()
    {
        await _browser.GetStringAsync("/");
        await AddAsync("grinder");
        await AddAsync("beans");
        await AddAsync("beans");

        var page = await _browser.GetStringAsync("/");
        Assert.Contains("""<span class="quantity">2 ×</span>""", page, StringComparison.Ordinal);
        Assert.Contains("""<strong id="basket-total">€111.00</strong>""", page, StringComparison.Ordinal);

        using var checkout = await _browser.PostAsync("/checkout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Redirect, checkout.StatusCode);
        var confirmationPath = checkout.Headers.Location!.OriginalString;
        Assert.Matches("^/orders/[0-9]+$", confirmationPath);

        var confirmation = await _browser.GetStringAsync(confirmationPath);
        Assert.Contains("Thank you for your order!", confirmation, StringComparison.Ordinal);
        Assert.Contains("""data-status="Paid""", confirmation, StringComparison.Ordinal);
        Assert.Matches("""<code id="payment-id">pay_[0-9a-f]{32}</code>""", confirmation);
        Assert.Contains("Your basket is empty.", await _browser.GetStringAsync("/"), StringComparison.Ordinal);

        // Another browser, another visitor: the order is not theirs to see.
        using var stranger = shop.Storefront.CreateBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(confirmationPath)).StatusCode);
    }

    [Fact]
    public async Task CheckingOutAnEmptyBasket_GoesBackToTheShop()
    {
        await _browser.GetStringAsync("/");
        using var checkout = await _browser.PostAsync("/checkout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, checkout.StatusCode);
        Assert.Equal("/", checkout.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task APostWithoutAVisitor_AsAnotherSitesFormArrives_ChangesNothing()
    {
        using var added = await _browser.PostAsync("/basket", new FormUrlEncodedContent([new("productId", "grinder")]));
        using var checkout = await _browser.PostAsync("/checkout", new FormUrlEncodedContent([]));

        Assert.Equal(("/", "/"), (added.Headers.Location!.OriginalString, checkout.Headers.Location!.OriginalString));
        Assert.False(added.Headers.Contains("Set-Cookie") || checkout.Headers.Contains("Set-Cookie"), "a post made a visitor");
        Assert.Contains("Your basket is empty.", await _browser.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheCatalogCannotBeReached_ThePageSaysSo()
    {
        using var storefront = shop.StorefrontWith(() => new SocketsHttpHandler { ConnectCallback = (_, _) => throw new HttpRequestException("catalog is down") });

        using var response = await storefront.CreateBrowser().GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("The shop cannot reach one of its services right now.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesFromTheServicesAreEncoded()
    {
        var page = Pages.Shop([new Product("x", "<script>alert(1)</script>", "a & b", 100)], [], "catalog-1");

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("a &amp; b", page, StringComparison.Ordinal);
    }

    private async Task AddAsync(string productId)
    {
        using var added = await _browser.PostAsync("/basket", new FormUrlEncodedContent([new("productId", productId)]));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
    }

    [GeneratedRegex("""<li class="product" """)]
    private static partial Regex ProductCard();
}
