using System;
using System.Collections.Generic;
using System.Text.Json;

namespace DataShareAdmin.Core.Register;

/// <summary>Data items stored as a small JSON array: the same text in every backend.</summary>
internal static class DataItemJson
{
    private sealed class Item
    {
        public string Name { get; set; } = string.Empty;

        public string Sensitivity { get; set; } = string.Empty;

        public int IdentificationRisk { get; set; }
    }

    public static string Write(IEnumerable<DataItem> items)
    {
        var list = new List<Item>();
        foreach (var item in items)
        {
            list.Add(new Item { Name = item.Name, Sensitivity = item.Sensitivity, IdentificationRisk = item.IdentificationRisk });
        }

        return JsonSerializer.Serialize(list);
    }

    public static DataItem[] Read(string json)
    {
        var items = JsonSerializer.Deserialize<List<Item>>(json) ?? new List<Item>();
        var result = new DataItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            result[i] = new DataItem(items[i].Name, items[i].Sensitivity, items[i].IdentificationRisk);
        }

        return result.Length == 0 ? Array.Empty<DataItem>() : result;
    }
}
