using Microsoft.Net.Http.Headers;

namespace Meg.Gateway.Extensions;

/// <summary>
/// Serves the web page (wwwroot: index.html, its scripts and stylesheet) at /. Every file comes from the gateway (no
/// CDN), and the content security policy lets the page load nothing from anywhere else. Files are revalidated on each
/// load, so an updated page is never mixed with an old script.
/// </summary>
public static class WebPage
{
    private const string Policy = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebPage(this IApplicationBuilder app)
    {
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers[HeaderNames.CacheControl] = "no-cache";
                headers[HeaderNames.ContentSecurityPolicy] = Policy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
    }
}
