using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataShareAdmin.Core.Register;

/// <summary>Writes a link as null and reads any stored value as none: the Table register never holds a signature.</summary>
internal sealed class NoLinkConverter : JsonConverter<DataShareLink?>
{
    public override bool HandleNull => true;

    public override DataShareLink? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DataShareLink? value, JsonSerializerOptions options) => writer.WriteNullValue();
}
