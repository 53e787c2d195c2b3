namespace Meg.Distributed.IntegrationTests;

/// <summary>A test that drives Debian's headless Chromium (scripts/install-prerequisites.sh --tests installs it):
/// skipped, saying why, where it is missing, never passed without running.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"{ExecutablePath} is missing: install it with scripts/install-prerequisites.sh --tests (apt-get install chromium).";
        }
    }
}
