namespace Shop.Storefront;

/// <summary>
/// A browser's visitor id: a random id in a cookie, made on the first visit. It names the visitor's basket and
/// orders; the cookie is HttpOnly and SameSite=Strict, so another site cannot post forms with it.
/// </summary>
public static class Visitor
{
    public const string CookieName = "shop_visitor";

    public static string Of(HttpContext context)
    {
        if (context.Request.Cookies[CookieName] is { Length: 32 } id && Guid.TryParseExact(id, "N", out _))
        {
            return id;
        }

        var visitor = Guid.NewGuid().ToString("N");
        context.Response.Cookies.Append(CookieName, visitor, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
        });
        return visitor;
    }
}
