using Meg.Channel;
using Meg.Protocols.Plans;

namespace Meg.Experiments.Tests;

/// <summary>Bad experiment settings fail before any work, naming the setting and what it accepts.</summary>
public sealed class ExperimentOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_for_the_shipped_evaluation_set()
    {
        Assert.Same(ExperimentOptions.Quick, ExperimentOptions.Quick.Validate(availableItems: 256));
        var defaults = new ExperimentOptions();
        Assert.Same(defaults, defaults.Validate(availableItems: 256));
    }

    [Theory]
    [InlineData("no protocols", "Protocols", "at least one")]
    [InlineData("no SNRs", "SnrDb", "dB")]
    [InlineData("a NaN SNR", "SnrDb", "dB")]
    [InlineData("more items than the set", "Items", "from 1 to 256")]
    [InlineData("no items", "Items", "from 1 to 256")]
    [InlineData("no noisy links", "NoisyLinks", "ul, dl, bh")]
    [InlineData("a noiseless channel", "Channel", "analog, digital or capacity")]
    public void Each_bad_setting_is_named(string bad, string field, string accepted)
    {
        var error = Assert.Throws<ArgumentException>(() => Options(bad).Validate(availableItems: 256));

        Assert.Equal(field, error.ParamName);
        Assert.Contains(accepted, error.Message);
    }

    private static ExperimentOptions Options(string bad) => bad switch
    {
        "no protocols" => new ExperimentOptions { Protocols = [] },
        "no SNRs" => new ExperimentOptions { SnrDb = [] },
        "a NaN SNR" => new ExperimentOptions { SnrDb = [double.NaN] },
        "more items than the set" => new ExperimentOptions { Items = 257 },
        "no items" => new ExperimentOptions { Items = 0 },
        "no noisy links" => new ExperimentOptions { NoisyLinks = new HashSet<LinkKind>() },
        "a noiseless channel" => new ExperimentOptions { Channel = new ChannelSettings { Mode = ChannelMode.Noiseless } },
        _ => throw new ArgumentOutOfRangeException(nameof(bad), bad, null),
    };

    [Fact]
    public void An_unknown_protocol_is_refused_with_the_known_ones()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ExperimentOptions { Protocols = ["XYZ"] }.Validate(8));

        Assert.Contains("XYZ", error.Message);
        Assert.Contains("CIAG", error.Message);
    }
}
