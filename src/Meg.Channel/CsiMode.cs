namespace Meg.Channel;

/// <summary>What the receiver knows about the fading gain when it equalizes.</summary>
public enum CsiMode
{
    /// <summary>The receiver knows each block's gain exactly; no pilots are sent.</summary>
    Perfect,

    /// <summary>Each block starts with pilot symbols (1 + 0j) and the receiver uses their least-squares gain estimate.</summary>
    PilotEstimate,
}
