using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Lets one string carry several data items separated by ';' ("KS2:B3; FSM:C4"), as a CSV cell does. Hashtables,
/// DataItem objects and single strings pass through to PowerShell's own conversion.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DataItemTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var items = new List<object>();
        foreach (var value in Flatten(inputData))
        {
            if (value is string text && text.IndexOf(';') >= 0)
            {
                foreach (var part in text.Split(';'))
                {
                    if (part.Trim().Length > 0)
                    {
                        items.Add(part.Trim());
                    }
                }
            }
            else
            {
                items.Add(value);
            }
        }

        return items.ToArray();
    }

    private static IEnumerable<object> Flatten(object input)
    {
        var value = input is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : input;
        if (value is IEnumerable sequence and not string and not IDictionary)
        {
            foreach (var item in sequence)
            {
                yield return item is PSObject inner && inner.BaseObject is string s ? s : item;
            }
        }
        else
        {
            yield return value;
        }
    }
}
