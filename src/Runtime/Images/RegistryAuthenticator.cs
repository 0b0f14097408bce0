using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// Answers a registry's <c>401</c> challenge (<c>WWW-Authenticate</c>): <c>Bearer realm=…,service=…,scope=…</c> gets
/// a token from the realm (anonymously, or with the registry's basic credentials), <c>Basic</c> uses the credentials.
/// </summary>
internal static class RegistryAuthenticator
{
    private const int MaxTokenResponseBytes = 1 << 20;

    /// <summary>The <c>Authorization</c> header to retry with.</summary>
    /// <param name="missingCredentialsFix">What to do when credentials are needed and <paramref name="credentials"/> is null (log in, …); null: give them by code.</param>
    /// <exception cref="RegistryException">No challenge the client can answer, or the token endpoint refused.</exception>
    public static async Task<AuthenticationHeaderValue> AuthorizeAsync(
        HttpClient http, HttpResponseMessage challenge, ImageReference reference, RegistryCredentials? credentials, string? missingCredentialsFix, CancellationToken cancellationToken)
    {
        var giveThem = missingCredentialsFix ?? "give its credentials (RegistryClientOptions.Credentials)";
        var bearer = challenge.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer is not null)
            return new AuthenticationHeaderValue("Bearer", await GetTokenAsync(http, ParseParameters(bearer.Parameter), reference, credentials, giveThem, cancellationToken).ConfigureAwait(false));
        if (challenge.Headers.WwwAuthenticate.Any(h => h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)))
        {
            return credentials is null
                ? throw new RegistryException(
                    $"The registry {reference.Registry} asks for a user name and password to pull {reference} (HTTP 401, basic auth); {giveThem}.",
                    HttpStatusCode.Unauthorized)
                : Basic(credentials);
        }

        throw new RegistryException(
            $"The registry {reference.Registry} refused {reference} (HTTP 401) without a Bearer or Basic challenge (WWW-Authenticate: {challenge.Headers.WwwAuthenticate}); it cannot be pulled from.",
            HttpStatusCode.Unauthorized);
    }

    /// <summary>The <c>key="value"</c> pairs of a challenge; values may hold commas inside quotes (scopes do).</summary>
    internal static Dictionary<string, string> ParseParameters(string? parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameter ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
                i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0)
                break;
            var key = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var value0 = new StringBuilder();
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                        i++;
                    value0.Append(text[i]);
                }

                value = value0.ToString();
                i++;
            }
            else
            {
                var end = text.IndexOf(',', i);
                value = (end < 0 ? text[i..] : text[i..end]).Trim();
                i = end < 0 ? text.Length : end;
            }

            result[key] = value;
        }

        return result;
    }

    private static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}")));

    /// <summary>Where the credentials came from, for errors: never the credentials themselves.</summary>
    internal static string Origin(RegistryCredentials credentials) =>
        credentials.Source is { } file ? $"the credentials of {credentials.UserName} from {file}" : $"the credentials given for {credentials.UserName}";

    private static async Task<string> GetTokenAsync(
        HttpClient http, Dictionary<string, string> challenge, ImageReference reference, RegistryCredentials? credentials, string giveThem, CancellationToken cancellationToken)
    {
        if (!challenge.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
            throw new RegistryException($"The registry {reference.Registry} asks for a bearer token to pull {reference} but names no usable token realm (\"{realm}\").", HttpStatusCode.Unauthorized);
        if (realmUri.Scheme == "http" && !realmUri.IsLoopback)
            throw new RegistryException($"The registry {reference.Registry} sends token requests for {reference} to {realm}, plain HTTP off this machine; refused (credentials would travel in clear).", HttpStatusCode.Unauthorized);

        var query = new List<string>();
        if (challenge.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        query.Add("scope=" + Uri.EscapeDataString(challenge.TryGetValue("scope", out var scope) ? scope : $"repository:{reference.Repository}:pull"));
        var builder = new UriBuilder(realmUri) { Query = string.Join('&', new[] { realmUri.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query)) };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credentials is not null)
            request.Headers.Authorization = Basic(credentials);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryException(
                $"The token service {realmUri.GetLeftPart(UriPartial.Path)} of the registry {reference.Registry} refused a token to pull {reference} (HTTP {(int)response.StatusCode} {response.ReasonPhrase}); "
                + (credentials is null ? $"the image may be private: give the registry's credentials; {giveThem}." : $"check {Origin(credentials)}."),
                response.StatusCode);
        }

        var body = await RegistryClient.ReadLimitedAsync(response, MaxTokenResponseBytes, $"the token service of {reference.Registry}", cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            foreach (var name in (string[])["token", "access_token"])
            {
                if (json.RootElement.TryGetProperty(name, out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                    return value;
            }
        }
        catch (JsonException)
        {
            // Reported below with the rest of the unusable answers.
        }

        throw new RegistryException($"The token service {realmUri.GetLeftPart(UriPartial.Path)} of the registry {reference.Registry} answered without a token (no \"token\" or \"access_token\" in its JSON).");
    }
}
