using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols;

namespace Meg.Distributed.Jobs;

/// <summary>
/// Checks a <see cref="JobRequest"/> and turns it into a <see cref="JobSpec"/>, or lists what is wrong by field
/// (camelCase JSON names), so the API can answer 400 with problem details before anything is stored or enqueued.
/// </summary>
public sealed class JobRequestValidator(ModelDimensions model, string modelName, int edgeServers, int maxSteps = JobRequestValidator.MaxSteps)
{
    /// <summary>The most a request may allow a command to wait in a queue (10 minutes).</summary>
    public const double MaxWaitLimitMs = 600_000;

    /// <summary>The longest deadline a request may set (an hour).</summary>
    public const double MaxDeadlineMs = 3_600_000;

    public const int MaxPromptLength = 1000;
    public const int MaxSketchBytes = 8 * 1024 * 1024;

    /// <summary>The largest sketch side accepted (it is resized to the model's size): at most 4 MiB of pixels to decode.</summary>
    public const int MaxSketchSide = 1024;
    /// <summary>The most steps any request may ask for; a model's noise schedule may allow fewer (meg-tiny: 999).</summary>
    public const int MaxSteps = 1000;

    public static IReadOnlyList<string> ChannelNames { get; } = ["noiseless", "awgn", "rayleigh", "rician", "digital", "capacity"];

    public (JobSpec? Spec, RgbImage? Sketch, Dictionary<string, string[]> Errors) Validate(JobRequest request, Guid id)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            Fail("prompt", "The prompt is required: a non-empty text.");
        }
        else if (request.Prompt.Length > MaxPromptLength)
        {
            Fail("prompt", $"The prompt must be at most {MaxPromptLength} characters; got {request.Prompt.Length}.");
        }

        var sketch = DecodeSketch(request.Sketch, Fail);

        var snr = request.SnrDb ?? 10;
        if (!double.IsFinite(snr) || snr < ChannelSettings.MinSnrDb || snr > ChannelSettings.MaxSnrDb)
        {
            Fail("snrDb", $"snrDb must be from {ChannelSettings.MinSnrDb} to {ChannelSettings.MaxSnrDb} dB; got {snr}.");
        }

        var channelName = (request.Channel ?? "noiseless").Trim().ToLowerInvariant();
        if (!ChannelNames.Contains(channelName))
        {
            Fail("channel", $"channel must be one of {string.Join(", ", ChannelNames)}; got '{request.Channel}'.");
        }

        var steps = request.Steps ?? 20;
        var stepLimit = Math.Min(MaxSteps, maxSteps);
        if (steps < 1 || steps > stepLimit)
        {
            Fail("steps", $"steps must be from 1 to {stepLimit}; got {steps}.");
        }

        var strength = request.Strength ?? 1;
        if (!double.IsFinite(strength) || strength is <= 0 or > 1)
        {
            Fail("strength", $"strength must be in (0, 1]; got {strength}.");
        }

        var guidance = request.Guidance ?? 4;
        if (!double.IsFinite(guidance) || guidance is < 1 or > 50)
        {
            Fail("guidance", $"guidance must be from 1 to 50; got {guidance}.");
        }

        if (request.MaxWaitMs is { } maxWait && (!double.IsFinite(maxWait) || maxWait is < 1 or > MaxWaitLimitMs))
        {
            Fail("maxWaitMs", $"maxWaitMs must be from 1 to {MaxWaitLimitMs} milliseconds; got {maxWait}.");
        }

        if (request.DeadlineMs is { } deadline && (!double.IsFinite(deadline) || deadline is < 1 or > MaxDeadlineMs))
        {
            Fail("deadlineMs", $"deadlineMs must be from 1 to {MaxDeadlineMs} milliseconds; got {deadline}.");
        }

        var protocol = (request.Protocol ?? "auto").Trim();
        var known = protocol.Equals("auto", StringComparison.OrdinalIgnoreCase) ||
                    ProtocolCatalog.Names.Contains(protocol, StringComparer.OrdinalIgnoreCase);
        if (!known)
        {
            Fail("protocol", $"protocol must be 'auto' or one of {string.Join(", ", ProtocolCatalog.Names)}; got '{request.Protocol}'.");
        }

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        PlanParameters parameters;
        string resolved;
        try
        {
            parameters = PlanParameters.ForModel(model, steps, strength, edgeServers);
            resolved = protocol.Equals("auto", StringComparison.OrdinalIgnoreCase)
                ? JobPlanning.ChooseAutomatically(model, parameters, System.Text.Encoding.UTF8.GetByteCount(request.Prompt!))
                : ProtocolCatalog.Get(protocol).Name;
            ProtocolCatalog.Build(resolved, parameters);
        }
        catch (ArgumentException e)
        {
            // Plan limits that depend on the combination, e.g. more edge servers than denoising steps.
            var field = e.ParamName is nameof(PlanParameters.TotalSteps) or nameof(PlanParameters.EdgeServers) ? "steps"
                : e.ParamName is nameof(PlanParameters.Strength) ? "strength" : "protocol";
            Fail(field, e.Message);
            return (null, null, errors);
        }

        var settings = new GenerationSettings { Steps = steps, Guidance = guidance, Strength = parameters.Strength, RandomSeed = request.RandomSeed ?? 1 };
        var spec = new JobSpec
        {
            Id = id,
            Prompt = request.Prompt!,
            Protocol = resolved,
            Plan = parameters,
            Settings = settings,
            Channel = ChannelFor(channelName, snr),
            ChannelRandomSeed = request.ChannelRandomSeed ?? request.RandomSeed ?? 1,
            Model = modelName,
            MaxWaitMs = request.MaxWaitMs,
            DeadlineMs = request.DeadlineMs,
        };
        return (spec, sketch, errors);
    }

    public static ChannelSettings ChannelFor(string name, double snrDb) => name switch
    {
        "noiseless" => new ChannelSettings { Mode = ChannelMode.Noiseless, SnrDb = snrDb },
        "awgn" => new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = snrDb },
        "rayleigh" => new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = snrDb, Fading = FadingModel.Rayleigh },
        "rician" => new ChannelSettings { Mode = ChannelMode.Analog, SnrDb = snrDb, Fading = FadingModel.Rician },
        "digital" => new ChannelSettings { Mode = ChannelMode.Digital, SnrDb = snrDb },
        "capacity" => new ChannelSettings { Mode = ChannelMode.Capacity, SnrDb = snrDb },
        _ => throw new ArgumentException($"Unknown channel '{name}'.", nameof(name)),
    };

    private RgbImage? DecodeSketch(string? base64, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            fail("sketch", $"The sketch is required: a base64 PNG, {model.ImageWidth}x{model.ImageHeight} pixels or resized to it (at most {MaxSketchSide} on a side).");
            return null;
        }

        if (base64.Length > (MaxSketchBytes / 3 + 1) * 4)
        {
            fail("sketch", $"The sketch is too large: at most {MaxSketchBytes} bytes of PNG.");
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            fail("sketch", "The sketch is not valid base64.");
            return null;
        }

        // The size comes from the header, before any decoding: a small file that claims a huge image costs nothing.
        if (!PngCodec.TryReadSize(bytes, out var width, out var height))
        {
            fail("sketch", "The sketch is not a PNG file (base64 of the PNG bytes is expected).");
            return null;
        }

        if (width < 1 || height < 1 || width > MaxSketchSide || height > MaxSketchSide)
        {
            fail("sketch", $"The sketch is {width}x{height}; it must be 1 to {MaxSketchSide} pixels on a side (it is resized to the model's {model.ImageWidth}x{model.ImageHeight}).");
            return null;
        }

        if (!PngCodec.TryDecode(bytes, out var image, out var error))
        {
            fail("sketch", $"The sketch is not a valid PNG file: {error}.");
            return null;
        }

        // Another size than the model's is resized to it, as diffusers' image processor does: area averaging when
        // shrinking (no aliasing), bilinear when enlarging.
        if (image.Width != model.ImageWidth || image.Height != model.ImageHeight)
        {
            var shrinking = image.Width >= model.ImageWidth && image.Height >= model.ImageHeight;
            image = image.Resize(model.ImageWidth, model.ImageHeight, shrinking ? ResizeMode.Area : ResizeMode.Bilinear);
        }

        return image;
    }
}
