using System.Text.Encodings.Web;
using System.Text.Json;

namespace Meg.Cli;

internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // output goes to files and terminals, not HTML
    };
}
