namespace Shop.Storefront;

/// <summary>
/// A browser's visitor id: a random id in a cookie, made on the first visit. It names the visitor's basket and
/// orders. The cookie is HttpOnly and SameSite=Lax: a link from another site keeps the visitor, while a form that
/// another site posts arrives without it. Only a page (a GET) makes a visitor, so such a post changes nothing.
/// </summary>
public static class Visitor
{
    public const string CookieName = "shop_visitor";

    /// <summary>The visitor the request's cookie names, or null.</summary>
    public static string? Find(HttpContext context) =>
        context.Request.Cookies[CookieName] is { Length: 32 } id && Guid.TryParseExact(id, "N", out _) ? id : null;

    /// <summary>The request's visitor, made (and its cookie set) if it has none.</summary>
    public static string Of(HttpContext context)
    {
        if (Find(context) is { } id)
        {
            return id;
        }

        var visitor = Guid.NewGuid().ToString("N");
        context.Response.Cookies.Append(CookieName, visitor, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
        });
        return visitor;
    }
}
