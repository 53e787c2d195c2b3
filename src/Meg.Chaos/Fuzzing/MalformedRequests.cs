using System.Text;
using System.Text.Json.Nodes;
using Meg.Imaging;

namespace Meg.Chaos.Fuzzing;

/// <summary>
/// Malformed requests against the jobs API, every one of which must be refused with a 4xx that says why: wrong JSON
/// types for every field, broken encodings and JSON, oversize bodies and values, odd headers, bad images (a PNG bomb,
/// truncated, other formats, bad base64), bad job ids, wrong methods and query values, and seeded random mutations of
/// a valid request (truncations, flipped bytes) up to the count asked for. The same seed gives the same requests.
/// </summary>
public static class MalformedRequests
{
    private const string Jobs = "/api/jobs";

    private static readonly string[] Fields =
        ["prompt", "sketch", "protocol", "snrDb", "channel", "steps", "strength", "guidance", "randomSeed", "channelRandomSeed", "maxWaitMs", "deadlineMs"];

    public static IReadOnlyList<FuzzCase> Generate(int count, ulong seed, RgbImage sketch)
    {
        var valid = Valid(sketch);
        var cases = new List<FuzzCase>();
        cases.AddRange(WrongTypes(valid));
        cases.AddRange(Encodings(valid));
        cases.AddRange(Sizes(valid));
        cases.AddRange(Headers(valid));
        cases.AddRange(Images(valid, sketch));
        cases.AddRange(Ids());
        cases.AddRange(Methods());
        cases.AddRange(Queries());
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var bytes = Encoding.UTF8.GetBytes(valid.ToJsonString());
        while (cases.Count < count)
        {
            cases.Add(random.Next(2) == 0 ? Truncated(bytes, random) : Flipped(bytes, random));
        }

        return cases;
    }

    /// <summary>A request the API accepts: every malformed one differs from it in one way.</summary>
    public static JsonObject Valid(RgbImage sketch) => new()
    {
        ["prompt"] = "a red star",
        ["sketch"] = Convert.ToBase64String(PngCodec.Encode(sketch)),
        ["protocol"] = "CIAG",
        ["steps"] = 3,
    };

    private static IEnumerable<FuzzCase> WrongTypes(JsonObject valid)
    {
        foreach (var field in Fields)
        {
            foreach (var value in WrongValues(field))
            {
                var body = (JsonObject)valid.DeepClone();
                body[field] = value;
                yield return Post("types", $"{field} = {value.ToJsonString()}", body.ToJsonString(), field);
            }
        }

        yield return Post("types", "the body is an array", "[1, 2, 3]", "body");
        yield return Post("types", "the body is a string", "\"a red star\"", "body");
        yield return Post("types", "the body is null", "null", "body");
        yield return Post("types", "an unknown field", With(valid, "colour", "red"), "colour");
        yield return Post("types", "the old seed field", With(valid, "seed", 7), "seed");
    }

    /// <summary>JSON values of a type <paramref name="field"/> does not take.</summary>
    private static JsonNode[] WrongValues(string field) => field switch
    {
        "prompt" or "sketch" or "protocol" or "channel" => [123, true, new JsonArray("a"), new JsonObject { ["a"] = 1 }],
        "steps" or "randomSeed" or "channelRandomSeed" => [2.5, "ten", true, new JsonArray(1), 1e30],
        _ => ["ten", true, new JsonArray(1), new JsonObject { ["a"] = 1 }],
    };

    private static IEnumerable<FuzzCase> Encodings(JsonObject valid)
    {
        var json = valid.ToJsonString();
        yield return Raw("encodings", "empty body", "POST", Jobs, [], "application/json", "body");
        yield return Raw("encodings", "invalid UTF-8 in the prompt", "POST", Jobs,
            [.. Encoding.UTF8.GetBytes("{\"prompt\": \""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], "application/json", null);
        yield return Raw("encodings", "UTF-16 body", "POST", Jobs, Encoding.Unicode.GetBytes(json), "application/json", "body");
        yield return Raw("encodings", "form-encoded body", "POST", Jobs, Encoding.UTF8.GetBytes("prompt=a+red+star&steps=2"), "application/x-www-form-urlencoded", "body");
        yield return Raw("encodings", "no content type", "POST", Jobs, Encoding.UTF8.GetBytes("not json"), null, "body");
        yield return Post("encodings", "single quotes", json.Replace('"', '\''), "body");
        yield return Post("encodings", "a comment", "/* hi */" + json, "body");
        yield return Post("encodings", "trailing comma", json[..^1] + ",}", "body");
        yield return Post("encodings", "two objects", json + json, "body");
        yield return Post("encodings", "NaN as a number", With(valid, "snrDb", "NaN").Replace("\"NaN\"", "NaN"), "body");
        yield return Post("encodings", "a control character in the prompt", json.Replace("a red star", "a red\u0001star"), "body");
        yield return Post("encodings", "nesting 200 deep", new string('[', 200) + new string(']', 200), "body");
    }

    private static IEnumerable<FuzzCase> Sizes(JsonObject valid)
    {
        yield return Post("sizes", "a prompt of 1001 characters", With(valid, "prompt", new string('a', 1001)), "prompt");
        yield return Post("sizes", "a prompt of 1 MB", With(valid, "prompt", new string('b', 1_000_000)), "prompt");
        yield return Post("sizes", "a blank prompt", With(valid, "prompt", "   "), "prompt");
        yield return Post("sizes", "a body of 13 MB", With(valid, "prompt", new string('c', 13 * 1024 * 1024)), "body");
        yield return Post("sizes", "steps 0", With(valid, "steps", 0), "steps");
        yield return Post("sizes", "steps 1000000", With(valid, "steps", 1_000_000), "steps");
        yield return Post("sizes", "steps past int", With(valid, "steps", 1e12), "steps");
        yield return Post("sizes", "snrDb 1000", With(valid, "snrDb", 1000), "snrDb");
        yield return Post("sizes", "strength 0", With(valid, "strength", 0), "strength");
        yield return Post("sizes", "strength 1.5", With(valid, "strength", 1.5), "strength");
        yield return Post("sizes", "guidance 0", With(valid, "guidance", 0), "guidance");
        yield return Post("sizes", "guidance 51", With(valid, "guidance", 51), "guidance");
        yield return Post("sizes", "a negative random seed", With(valid, "randomSeed", -5), "randomSeed");
        yield return Post("sizes", "maxWaitMs 0", With(valid, "maxWaitMs", 0), "maxWaitMs");
        yield return Post("sizes", "deadlineMs of a day", With(valid, "deadlineMs", 86_400_000), "deadlineMs");
        yield return Post("sizes", "an unknown protocol", With(valid, "protocol", "teleport"), "protocol");
        yield return Post("sizes", "an unknown channel", With(valid, "channel", "pigeon"), "channel");
        yield return Post("sizes", "CIAG with 2 steps (it needs 3)", With(valid, "steps", 2), "steps");
    }

    private static IEnumerable<FuzzCase> Headers(JsonObject valid)
    {
        var json = valid.ToJsonString();
        yield return new FuzzCase("headers", "text/plain content type", "POST", Jobs, Encoding.UTF8.GetBytes(json[..^1]), "text/plain", Field: "body");
        yield return new FuzzCase("headers", "a content type with a bogus charset", "POST", Jobs, Encoding.UTF8.GetBytes(json[..^1]), "application/json; charset=klingon", Field: "body");
        yield return new FuzzCase("headers", "an unknown content encoding", "POST", Jobs, Encoding.UTF8.GetBytes("{"), "application/json",
            new Dictionary<string, string> { ["Content-Encoding"] = "br" }, "body");
        yield return new FuzzCase("headers", "a huge header beside a broken body", "POST", Jobs, Encoding.UTF8.GetBytes("{\"steps\": \"x\"}"), "application/json",
            new Dictionary<string, string> { ["X-Padding"] = new string('x', 8000) }, "steps");
    }

    private static IEnumerable<FuzzCase> Images(JsonObject valid, RgbImage sketch)
    {
        var png = PngCodec.Encode(sketch);
        FuzzCase Sketch(string what, string value) => Post("images", what, With(valid, "sketch", value), "sketch");
        yield return Sketch("a PNG bomb claiming 16384x16384", Convert.ToBase64String(PngBomb.Create(16384, 16384)));
        yield return Sketch("a PNG bomb claiming 100000x100000", Convert.ToBase64String(PngBomb.Create(100_000, 100_000)));
        yield return Sketch("a PNG claiming 0x0", Convert.ToBase64String(PngBomb.Create(0, 0)));
        yield return Sketch("a PNG 2048 wide", Convert.ToBase64String(PngCodec.Encode(RgbImage.Filled(2048, 4, new Rgb(1, 2, 3)))));
        yield return Sketch("a truncated PNG", Convert.ToBase64String(png[..(png.Length / 2)]));
        yield return Sketch("the PNG signature alone", Convert.ToBase64String(png[..8]));
        yield return Sketch("a JPEG", Convert.ToBase64String(JpegCodec.Encode(sketch, 90)));
        yield return Sketch("a GIF header", Convert.ToBase64String("GIF89a\x01\x00\x01\x00"u8.ToArray()));
        yield return Sketch("an empty string", "");
        yield return Sketch("not base64", "this is not base64!!");
        yield return Sketch("base64 of the wrong length", Convert.ToBase64String(png)[..^3]);
        yield return Sketch("a data URL", "data:image/png;base64," + Convert.ToBase64String(png));
        var corrupt = (byte[])png.Clone();
        for (var i = 33; i < corrupt.Length - 12; i += 7)
        {
            corrupt[i] ^= 0x5A; // the image data, past the header
        }

        yield return Sketch("a PNG with damaged data", Convert.ToBase64String(corrupt));
    }

    private static IEnumerable<FuzzCase> Ids()
    {
        foreach (var (what, id) in new[]
                 {
                     ("not a GUID", "not-a-job-id"), ("a number", "12345"), ("SQL", "1'%20OR%20'1'='1"), ("a path climb", "..%2F..%2Fetc%2Fpasswd"),
                     ("a 5000-character id", new string('a', 5000)), ("an unknown GUID", Guid.Empty.ToString()), ("unicode", "%E2%98%83"),
                 })
        {
            yield return new FuzzCase("ids", $"status of {what}", "GET", $"{Jobs}/{id}", ContentType: null);
            yield return new FuzzCase("ids", $"image of {what}", "GET", $"{Jobs}/{id}/image", ContentType: null);
        }
    }

    private static IEnumerable<FuzzCase> Methods()
    {
        foreach (var method in new[] { "PUT", "PATCH", "DELETE" })
        {
            yield return new FuzzCase("methods", $"{method} /api/jobs", method, Jobs, Encoding.UTF8.GetBytes("{}"));
            yield return new FuzzCase("methods", $"{method} a job", method, $"{Jobs}/{Guid.NewGuid()}", Encoding.UTF8.GetBytes("{}"));
        }

        yield return new FuzzCase("methods", "POST a job's status", "POST", $"{Jobs}/{Guid.Empty}", Encoding.UTF8.GetBytes("{}"));
        yield return new FuzzCase("methods", "POST the queues", "POST", "/api/system/queues", Encoding.UTF8.GetBytes("{}"));
        yield return new FuzzCase("methods", "an unknown API path", "GET", "/api/teleport", ContentType: null);
    }

    private static IEnumerable<FuzzCase> Queries()
    {
        foreach (var (field, value) in new[] { ("waitMs", "abc"), ("waitMs", "-1"), ("waitMs", "99999999"), ("waitMs", "1.5"), ("waitMs", "1e3"), ("waitMs", "") })
        {
            yield return new FuzzCase("queries", $"{field}={value}", "GET", $"{Jobs}/{Guid.Empty}?{field}={value}", ContentType: null, Field: value == "" ? null : field);
        }

        foreach (var value in new[] { "abc", "-1", "99" })
        {
            yield return new FuzzCase("queries", $"share={value}", "GET", $"{Jobs}/{Guid.Empty}/image?share={value}", ContentType: null, Field: value == "abc" ? "share" : null);
        }
    }

    private static FuzzCase Truncated(byte[] valid, Random random)
    {
        var length = random.Next(1, valid.Length - 1);
        return Raw("mutations", $"the valid request cut at byte {length}", "POST", Jobs, valid[..length], "application/json", "body");
    }

    private static FuzzCase Flipped(byte[] valid, Random random)
    {
        var body = (byte[])valid.Clone();
        // A structural byte of the JSON (a quote, brace, colon or comma) made into something else breaks its syntax.
        var structural = Enumerable.Range(0, body.Length).Where(i => body[i] is (byte)'"' or (byte)'{' or (byte)'}' or (byte)':' or (byte)',').ToArray();
        var at = structural[random.Next(structural.Length)];
        body[at] = (byte)"#@!)]"[random.Next(5)];
        return Raw("mutations", $"byte {at} of the valid request replaced", "POST", Jobs, body, "application/json", "body");
    }

    private static FuzzCase Post(string kind, string what, string json, string? field) =>
        Raw(kind, what, "POST", Jobs, Encoding.UTF8.GetBytes(json), "application/json", field);

    private static FuzzCase Raw(string kind, string what, string method, string path, byte[] body, string? contentType, string? field) =>
        new(kind, what, method, path, body, contentType, Field: field);

    private static string With(JsonObject valid, string field, JsonNode? value)
    {
        var body = (JsonObject)valid.DeepClone();
        body[field] = value;
        return body.ToJsonString();
    }
}
