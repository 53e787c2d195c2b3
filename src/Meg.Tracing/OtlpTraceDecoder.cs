using System.Buffers.Binary;
using System.Text;

namespace Meg.Tracing;

/// <summary>
/// Reads the spans out of an OTLP/HTTP trace export (an <c>ExportTraceServiceRequest</c> in protobuf, as the services'
/// OpenTelemetry exporter sends it), by the field numbers of opentelemetry-proto's trace and common messages; fields it
/// does not need are skipped by their wire type.
/// </summary>
public static class OtlpTraceDecoder
{
    public static List<TraceSpan> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<TraceSpan>();
        var reader = new Reader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                ResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return spans;
    }

    private static void ResourceSpans(ReadOnlySpan<byte> message, List<TraceSpan> spans)
    {
        // The resource's attributes name the service; its spans come in scope groups.
        var service = "";
        var resource = new Reader(Field(message, 1));
        while (resource.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2 && KeyValue(resource.Bytes()) is ("service.name", string name))
            {
                service = name;
            }
            else if (!(field == 1 && wire == 2))
            {
                resource.Skip(wire);
            }
        }

        var reader = new Reader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == 2)
            {
                ScopeSpans(reader.Bytes(), service, spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void ScopeSpans(ReadOnlySpan<byte> message, string service, List<TraceSpan> spans)
    {
        var scope = Encoding.UTF8.GetString(Field(Field(message, 1), 1)); // InstrumentationScope.name
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == 2)
            {
                spans.Add(Span(reader.Bytes(), service, scope));
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>The first length-delimited field <paramref name="number"/> of <paramref name="message"/>; empty when there is none.</summary>
    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> message, int number)
    {
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == number && wire == 2)
            {
                return reader.Bytes();
            }

            reader.Skip(wire);
        }

        return [];
    }

    private static TraceSpan Span(ReadOnlySpan<byte> message, string service, string scope)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = SpanKind.Unspecified;
        long start = 0, end = 0;
        var attributes = new Dictionary<string, object>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (4, 2): parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case (5, 2): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (6, 0): kind = (SpanKind)reader.Varint(); break;
                case (7, 1): start = (long)reader.Fixed64(); break;
                case (8, 1): end = (long)reader.Fixed64(); break;
                case (9, 2):
                    if (KeyValue(reader.Bytes()) is ({ } key, { } value))
                    {
                        attributes[key] = value;
                    }

                    break;
                default: reader.Skip(wire); break;
            }
        }

        return new TraceSpan(traceId, spanId, parent, service, scope, name, kind, start, end, attributes);
    }

    /// <summary>A KeyValue whose AnyValue is a string, bool, integer or double; (key, null) for other values.</summary>
    private static (string? Key, object? Value) KeyValue(ReadOnlySpan<byte> message)
    {
        string? key = null;
        object? value = null;
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                key = Encoding.UTF8.GetString(reader.Bytes());
            }
            else if (field == 2 && wire == 2)
            {
                var any = new Reader(reader.Bytes());
                while (any.Next(out var f, out var w))
                {
                    value = (f, w) switch
                    {
                        (1, 2) => Encoding.UTF8.GetString(any.Bytes()),
                        (2, 0) => any.Varint() != 0,
                        (3, 0) => (long)any.Varint(),
                        (4, 1) => BitConverter.UInt64BitsToDouble(any.Fixed64()),
                        _ => Skipped(ref any, w),
                    };
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (key, value);

        static object? Skipped(ref Reader r, int w)
        {
            r.Skip(w);
            return null;
        }
    }

    /// <summary>Protocol buffers' wire format: tags, varints, fixed64 and length-delimited fields.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public bool Next(out int field, out int wire)
        {
            if (_at >= _data.Length)
            {
                (field, wire) = (0, 0);
                return false;
            }

            var tag = Varint();
            (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("A varint of an OTLP message runs past 64 bits.");
        }

        public ulong Fixed64()
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_at, 8));
            _at += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = checked((int)Varint());
            var bytes = _data.Slice(_at, length);
            _at += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _at += 8; break;
                case 2: Bytes(); break;
                case 5: _at += 4; break;
                default: throw new FormatException($"Wire type {wire} is not used by OTLP messages.");
            }
        }
    }
}
