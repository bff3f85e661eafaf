using System;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Outputs;

namespace DataShareAdmin.Core.Tests.Outputs;

/// <summary>Bad input: each a specific error id and category, thrown before any result, and nothing written.</summary>
public sealed class OutputInputTests : IDisposable
{
    private readonly OutputFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData("OutputCountColumnMissing", DataShareErrorCategory.InvalidData, "Region,Value2\nNorth,12")]
    [InlineData("OutputCountNotNumeric", DataShareErrorCategory.InvalidData, "Region,Count\nNorth,twelve")]
    [InlineData("OutputCountNotNumeric", DataShareErrorCategory.InvalidData, "Region,Count\nNorth,")]
    [InlineData("OutputCountNotNumeric", DataShareErrorCategory.InvalidData, "Region,Count\nNorth,12.5")]
    [InlineData("OutputCountNegative", DataShareErrorCategory.InvalidData, "Region,Count\nNorth,-3")]
    [InlineData("OutputCellDuplicate", DataShareErrorCategory.InvalidData, "Region,Sex,Count\nNorth,F,12\nSouth,F,20\nNorth , F,12")]
    [InlineData("OutputDimensionsMissing", DataShareErrorCategory.InvalidData, "Count,Value\n12,300")]
    [InlineData("OutputColumnDuplicate", DataShareErrorCategory.InvalidData, "Region,Count,region\nNorth,12,x")]
    [InlineData("OutputRowMalformed", DataShareErrorCategory.InvalidData, "Region,Count\nNorth,12,13")]
    [InlineData("OutputFileEmpty", DataShareErrorCategory.InvalidData, "Region,Count")]
    [InlineData("OutputValueNegative", DataShareErrorCategory.InvalidData, "Sector,Contributors,Value,Largest\nRetail,12,-5,3")]
    [InlineData("OutputValueNotNumeric", DataShareErrorCategory.InvalidData, "Sector,Contributors,Value,Largest\nRetail,12,lots,3")]
    [InlineData("OutputContributionsInconsistent", DataShareErrorCategory.InvalidData, "Sector,Contributors,Value,Largest,SecondLargest\nRetail,12,100,30,40")]
    [InlineData("CsvFieldTooLong", DataShareErrorCategory.LimitsExceeded, "Region,Count\n\"North,12")]
    public void A_bad_table_is_refused_with_its_own_error(string errorId, DataShareErrorCategory category, string text)
    {
        if (errorId == "CsvFieldTooLong")
        {
            text += new string('x', OutputTableReader.MaxFieldLength + 10);
        }

        var path = files.Table("bad.csv", text);
        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(path));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(category, error.Category);
        var protectedCopy = Path.Combine(files.Folder, "copy.csv");
        Assert.Equal(errorId, Assert.Throws<DataShareException>(() => new OutputChecker().Protect(path, protectedCopy, null, null, null, false)).ErrorId);
        Assert.Equal(new[] { "bad.csv" }, Array.ConvertAll(Directory.GetFiles(files.Folder), Path.GetFileName));
    }

    [Fact]
    public void A_duplicate_cell_names_both_lines()
    {
        var path = files.Table("dup.csv", "Region,Count", "North,12", "South,20", "North,12");
        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(path));

        Assert.Contains("Lines 2 and 4", error.Message);
    }

    [Fact]
    public void A_binary_file_is_not_a_csv()
    {
        var path = Path.Combine(files.Folder, "book.xlsx");
        File.WriteAllBytes(path, new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00 });

        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(path));

        Assert.Equal("OutputFileNotCsv", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidData, error.Category);
        Assert.Contains("workbook", error.Message);
    }

    [Fact]
    public void A_utf16_table_with_a_byte_order_mark_is_text()
    {
        var path = Path.Combine(files.Folder, "u16.csv");
        File.WriteAllText(path, "Region,Count\r\nNorth,12\r\n", new System.Text.UnicodeEncoding(false, true));

        Assert.Equal(OutputVerdict.Pass, OutputFiles.Check(path).Summary.Verdict);
    }

    [Theory]
    [InlineData("/dev/zero", "OutputFileEmpty")]
    [InlineData("/dev/null", "OutputFileEmpty")]
    [InlineData("/proc/self/status", "OutputFileEmpty")]
    public void A_device_or_proc_file_is_refused_without_reading_it(string path, string errorId)
    {
        Assert.True(File.Exists(path), $"{path} is on every Linux machine these tests run on");
        Assert.Equal(errorId, Assert.Throws<DataShareException>(() => OutputFiles.Check(path)).ErrorId);
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_not_found()
    {
        Assert.Equal("OutputFileNotFound", Assert.Throws<DataShareException>(() => OutputFiles.Check(Path.Combine(files.Folder, "..", "nope%2E.csv"))).ErrorId);
        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(files.Folder));
        Assert.Equal("OutputFileNotFound", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.ObjectNotFound, error.Category);
    }

    [Fact]
    public void A_named_column_that_is_not_there_is_an_invalid_argument()
    {
        var path = files.Table("t.csv", "Region,Count", "North,12");
        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(path, layout: new OutputTableLayout { Count = "Pupils" }));

        Assert.Equal("OutputColumnNotFound", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
        Assert.Equal("Pupils", error.Target);
    }

    [Theory]
    [InlineData("Threshold", 0)]
    [InlineData("Threshold", 1_000_001)]
    [InlineData("DominanceN", 3)]
    [InlineData("DominanceN", 0)]
    [InlineData("DominanceK", 0)]
    [InlineData("DominanceK", 100.5)]
    [InlineData("DominanceK", double.NaN)]
    [InlineData("PPercent", -1)]
    [InlineData("PPercent", 101)]
    [InlineData("RoundingBase", 1)]
    [InlineData("RoundingBase", -5)]
    [InlineData("RoundingBase", 1001)]
    public void A_rule_parameter_out_of_range_is_refused_before_the_file_is_read(string parameter, double value)
    {
        var rules = parameter switch
        {
            "Threshold" => new OutputRules { Threshold = (int)value },
            "DominanceN" => new OutputRules { DominanceN = (int)value },
            "DominanceK" => new OutputRules { DominanceK = value },
            "PPercent" => new OutputRules { PPercent = value },
            _ => new OutputRules { RoundingBase = (int)value },
        };

        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(Path.Combine(files.Folder, "not-there.csv"), rules));

        Assert.Equal("OutputRuleOutOfRange", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(parameter, error.Target);
    }

    [Fact]
    public void The_edges_of_each_range_are_accepted()
    {
        var path = files.Table("t.csv", "Region,Count", "North,1000");
        OutputFiles.Check(path, new OutputRules { Threshold = 1, DominanceN = 1, DominanceK = 100, PPercent = 0, RoundingBase = 1000 });
        OutputFiles.Check(path, new OutputRules { Threshold = 1_000_000, PPercent = 100, RoundingBase = 2 });
    }

    [Fact]
    public void A_protected_copy_never_replaces_its_original_an_existing_file_or_a_link()
    {
        var path = files.Table("t.csv", "Region,Count", "North,3", "South,40");
        var original = File.ReadAllText(path);
        var checker = new OutputChecker();

        Assert.Equal("OutputDestinationIsSource", Assert.Throws<DataShareException>(() => checker.Protect(path, path, null, null, null, true)).ErrorId);
        var link = Path.Combine(files.Folder, "link.csv");
        File.CreateSymbolicLink(link, path);
        Assert.Equal("OutputDestinationIsSource", Assert.Throws<DataShareException>(() => checker.Protect(link, path, null, null, null, true)).ErrorId);
        Assert.Equal("OutputDestinationInvalid", Assert.Throws<DataShareException>(() => checker.Protect(Path.Combine(files.Folder, "t.csv"), link, null, null, null, true)).ErrorId);
        var existing = files.Table("existing.csv", "keep me");
        var exists = Assert.Throws<DataShareException>(() => checker.Protect(path, existing, null, null, null, false));
        Assert.Equal("OutputDestinationExists", exists.ErrorId);
        Assert.Equal(DataShareErrorCategory.ResourceExists, exists.Category);
        Assert.Equal("keep me\n", File.ReadAllText(existing));
        Assert.Equal("OutputDestinationFolderNotFound", Assert.Throws<DataShareException>(() => checker.Protect(path, Path.Combine(files.Folder, "no", "x.csv"), null, null, null, false)).ErrorId);
        Assert.Equal(original, File.ReadAllText(path));

        checker.Protect(path, existing, null, null, null, overwrite: true);
        Assert.Contains("North,[c]", File.ReadAllText(existing));
        Assert.Equal(original, File.ReadAllText(path));
        Assert.Equal(new[] { "existing.csv", "link.csv", "t.csv" }, Array.ConvertAll(Directory.GetFiles(files.Folder), Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }
}
