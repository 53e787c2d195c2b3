using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Meg.Diffusion.Pipeline;
using Meg.Imaging;

namespace Meg.Execution;

/// <summary>
/// Turns the values a <see cref="NodeMemory"/> holds into bytes and back, exactly: the distributed system
/// keeps them in Redis (claim check) between stages, and a noiseless run must still match the in-process
/// executor bit for bit. Layout: one tag byte, then little-endian int32 sizes, then the payload
/// (float32 little-endian for tensors, 8-bit RGB rows for images, UTF-8 for text).
/// </summary>
public static class ArtifactSerializer
{
    private const byte TextTag = 1;
    private const byte ImageTag = 2;
    private const byte LatentTag = 3;
    private const byte ConditioningTag = 4;

    public static byte[] Serialize(object value) => value switch
    {
        string text => [TextTag, .. Encoding.UTF8.GetBytes(text)],
        RgbImage image => Image(image),
        Latent latent => Tensor(LatentTag, [latent.Channels, latent.Height, latent.Width], latent.Data),
        TextConditioning text => Conditioning(text),
        _ => throw new ArgumentException($"Cannot serialize a {value.GetType().Name}; artifacts are strings, RGB images, latents or text conditionings.", nameof(value)),
    };

    public static object Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new FormatException("An artifact needs at least its tag byte; got no bytes.");
        }

        var body = bytes[1..];
        switch (bytes[0])
        {
            case TextTag:
                return Encoding.UTF8.GetString(body);
            case ImageTag:
                var (w, h) = (ReadInt(body, 0), ReadInt(body, 1));
                RequireLength(body, 8 + 3L * w * h, "image");
                return new RgbImage(w, h, body[8..]);
            case LatentTag:
                var (c, lh, lw) = (ReadInt(body, 0), ReadInt(body, 1), ReadInt(body, 2));
                RequireLength(body, 12 + 4L * c * lh * lw, "latent");
                return new Latent(Floats(body[12..]), c, lh, lw);
            case ConditioningTag:
                var (length, width) = (ReadInt(body, 0), ReadInt(body, 1));
                var size = length * width;
                RequireLength(body, 8 + 8L * size, "text conditioning");
                var all = Floats(body[8..]);
                return new TextConditioning(all[..size], all[size..], length, width);
            default:
                throw new FormatException($"Unknown artifact tag {bytes[0]}; expected 1 (text), 2 (image), 3 (latent) or 4 (text conditioning).");
        }
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> bytes) => Deserialize(bytes) is T typed
        ? typed
        : throw new FormatException($"The bytes hold a different artifact type than {typeof(T).Name}.");

    private static byte[] Image(RgbImage image)
    {
        var bytes = new byte[1 + 8 + image.Pixels.Length];
        bytes[0] = ImageTag;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(5), image.Height);
        image.Pixels.CopyTo(bytes.AsSpan(9));
        return bytes;
    }

    private static byte[] Conditioning(TextConditioning text)
    {
        var header = new byte[1 + 8];
        header[0] = ConditioningTag;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(1), text.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(5), text.Width);
        return [.. header, .. FloatBytes(text.Prompt), .. FloatBytes(text.Empty)];
    }

    private static byte[] Tensor(byte tag, int[] shape, float[] data)
    {
        var header = new byte[1 + 4 * shape.Length];
        header[0] = tag;
        for (var i = 0; i < shape.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(1 + 4 * i), shape[i]);
        }

        return [.. header, .. FloatBytes(data)];
    }

    private static byte[] FloatBytes(float[] values)
    {
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < bytes.Length; i += 4)
            {
                bytes.AsSpan(i, 4).Reverse();
            }
        }

        return bytes;
    }

    private static float[] Floats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
        }

        return values;
    }

    private static int ReadInt(ReadOnlySpan<byte> body, int index)
    {
        RequireLength(body, 4L * (index + 1), "artifact header");
        var value = BinaryPrimitives.ReadInt32LittleEndian(body[(4 * index)..]);
        return value >= 0 ? value : throw new FormatException($"A negative size ({value}) in an artifact header.");
    }

    private static void RequireLength(ReadOnlySpan<byte> body, long needed, string what)
    {
        if (body.Length < needed)
        {
            throw new FormatException($"The {what} needs {needed} bytes after its tag; got {body.Length}.");
        }
    }
}
