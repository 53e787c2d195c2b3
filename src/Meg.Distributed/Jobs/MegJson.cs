using System.Text.Json.Serialization;
using System.Text.Json;

namespace Meg.Distributed.Jobs;

/// <summary>One JSON setup for job records and the public API: camelCase, enums as names.</summary>
public static class MegJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
