using System.Linq;
using DataShareAdmin.Core.Outputs;

namespace DataShareAdmin.Core.Tests.Outputs;

/// <summary>Each rule on a table small enough to work out by hand (docs/outputs.md has the same examples).</summary>
public sealed class OutputRuleTests : System.IDisposable
{
    private readonly OutputFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_count_under_the_threshold_fails_and_one_at_it_passes()
    {
        var path = files.Table("t.csv", "Region,Count", "North,9", "South,10", "East,250");
        var check = OutputFiles.Check(path);
        var cells = OutputFiles.Cells(check);

        Assert.Equal(OutputVerdict.Fail, cells["Region=North"].Verdict);
        Assert.Equal("Threshold", cells["Region=North"].Rules);
        Assert.Contains("count 9 is under 10", cells["Region=North"].Reason);
        var finding = Assert.Single(cells["Region=North"].Findings);
        Assert.Equal(9, finding.Observed);
        Assert.Equal(10, finding.Limit);
        Assert.Equal(OutputVerdict.Pass, cells["Region=South"].Verdict);
        Assert.Equal(OutputVerdict.Pass, cells["Region=East"].Verdict);
        Assert.Equal(2, cells["Region=North"].Line);
        Assert.Equal((3, 1, 2, 0), (check.Summary.Cells, check.Summary.Failed, check.Summary.Passed, check.Summary.Review));
        Assert.Equal(OutputVerdict.Fail, check.Summary.Verdict);
        Assert.Equal("Threshold 1", check.Summary.RuleCounts);
        Assert.Equal("Region", check.Summary.Dimensions);
        Assert.Equal(64, check.Summary.Sha256.Length);
    }

    [Fact]
    public void A_zero_row_fails_every_cell_of_it_when_zeros_are_disclosive_and_passes_when_they_are_not()
    {
        var path = files.Table("z.csv", "School,FSM,Pupils",
            "A,Yes,0", "A,No,0", "A,Total,0",
            "B,Yes,12", "B,No,30", "B,Total,42",
            "Total,Yes,12", "Total,No,30", "Total,Total,42");

        var pupils = new OutputTableLayout { Count = "Pupils" };
        var strict = OutputFiles.Cells(OutputFiles.Check(path, layout: pupils));
        foreach (var cell in new[] { "School=A, FSM=Yes", "School=A, FSM=No", "School=A, FSM=Total" })
        {
            Assert.Equal(OutputVerdict.Fail, strict[cell].Verdict);
            Assert.Equal("Zero", strict[cell].Rules);
        }

        // School A has no pupils, so school B holds every pupil of each FSM column: class disclosure, whatever zeros are.
        Assert.Equal("ClassDisclosure", strict["School=B, FSM=Yes"].Rules);
        Assert.Equal(OutputVerdict.Pass, strict["School=Total, FSM=Total"].Verdict);

        var lenient = OutputFiles.Cells(OutputFiles.Check(path, new OutputRules { ZerosDisclosive = false }, pupils));
        Assert.Equal(OutputVerdict.Pass, lenient["School=A, FSM=Yes"].Verdict);
        Assert.Equal(OutputVerdict.Fail, lenient["School=B, FSM=Yes"].Verdict);
        Assert.Equal("ClassDisclosure", lenient["School=B, FSM=Yes"].Rules);
        Assert.Contains("holds all 12 of its School line", lenient["School=B, FSM=Yes"].Reason);
    }

    [Fact]
    public void A_cell_holding_its_whole_row_is_class_disclosure()
    {
        var path = files.Table("c.csv", "Region,Outcome,Count", "North,Excluded,0", "North,Not excluded,40", "North,Total,40");
        var cells = OutputFiles.Cells(OutputFiles.Check(path, new OutputRules { ZerosDisclosive = false }));

        Assert.Equal(OutputVerdict.Fail, cells["Region=North, Outcome=Not excluded"].Verdict);
        Assert.Equal("ClassDisclosure", cells["Region=North, Outcome=Not excluded"].Rules);
        Assert.Equal(OutputVerdict.Pass, cells["Region=North, Outcome=Total"].Verdict);
    }

    [Fact]
    public void A_cell_where_one_contributor_holds_95_percent_fails_dominance_and_p_percent()
    {
        // 40 contributors; the largest gives 950 of 1,000 and the second 20: top two 97 % > 90 %; the rest add 30 < 10 % of 950.
        var path = files.Table("m.csv", "Sector,Contributors,Value,Largest,SecondLargest",
            "Retail,40,1000,950,20", "Farming,40,1000,300,200");
        var cells = OutputFiles.Cells(OutputFiles.Check(path));

        var retail = cells["Sector=Retail"];
        Assert.Equal(OutputVerdict.Fail, retail.Verdict);
        Assert.Equal("Dominance, PPercent", retail.Rules);
        var dominance = retail.Findings.Single(f => f.Rule == OutputRule.Dominance);
        Assert.Equal(97, dominance.Observed);
        Assert.Equal(90, dominance.Limit);
        var p = retail.Findings.Single(f => f.Rule == OutputRule.PPercent);
        Assert.Equal(30, p.Observed);
        Assert.Equal(95, p.Limit);
        Assert.Equal(OutputVerdict.Pass, cells["Sector=Farming"].Verdict);
    }

    [Fact]
    public void Dominance_with_n_1_looks_at_the_largest_alone_and_p_percent_catches_two_large_contributors()
    {
        // Largest 600 of 1,000 (60 %) passes n = 1, k = 90; second 390 leaves 10 < 10 % of 600 = 60 for the p % rule.
        var path = files.Table("m.csv", "Sector,Contributors,Value,Largest,SecondLargest", "Mining,12,1000,600,390");
        var cell = OutputFiles.Cells(OutputFiles.Check(path, new OutputRules { DominanceN = 1 }))["Sector=Mining"];

        Assert.Equal(OutputVerdict.Fail, cell.Verdict);
        Assert.Equal("PPercent", cell.Rules);
        Assert.Equal(60, cell.Findings.Single(f => f.Rule == OutputRule.Dominance).Observed);
    }

    [Fact]
    public void A_magnitude_table_without_its_largest_contributions_needs_review()
    {
        var path = files.Table("m.csv", "Sector,Contributors,Value", "Retail,40,1000");
        var check = OutputFiles.Check(path);

        Assert.Equal(OutputVerdict.Review, check.Summary.Verdict);
        Assert.Equal("Dominance", check.Cells.Single().Rules);
        Assert.Equal("Magnitude", check.Summary.Kind);
    }

    [Fact]
    public void The_threshold_applies_to_a_rates_numerator_and_denominator_and_100_percent_fails()
    {
        var path = files.Table("r.csv", "School,Count,Numerator,Denominator,Percent",
            "A,120,4,120,3.3", "B,8,8,8,100", "C,200,50,200,25");
        var cells = OutputFiles.Cells(OutputFiles.Check(path));

        Assert.Equal(OutputVerdict.Fail, cells["School=A"].Verdict);
        var numerator = Assert.Single(cells["School=A"].Findings, f => f.Verdict == OutputVerdict.Fail);
        Assert.Equal("Numerator", numerator.Measure);
        Assert.Equal(4, numerator.Observed);
        Assert.Contains(cells["School=B"].Findings, f => f.Rule == OutputRule.ClassDisclosure);
        Assert.Contains(cells["School=B"].Findings, f => f.Rule == OutputRule.Threshold && f.Measure == "Denominator");
        Assert.Equal(OutputVerdict.Pass, cells["School=C"].Verdict);
    }

    [Fact]
    public void A_suppressed_cell_recoverable_from_its_row_total_fails_naming_the_cells_that_give_it_away()
    {
        // North: [c] + 20 = 25 gives away the 5. South's two suppressed cells are not recoverable from the row, and the
        // columns have no totals.
        var path = files.Table("s.csv", "Region,Sex,Count",
            "North,F,[c]", "North,M,20", "North,Total,25",
            "South,F,[c]", "South,M,[c]", "South,Total,30");
        var cells = OutputFiles.Cells(OutputFiles.Check(path));

        var north = cells["Region=North, Sex=F"];
        Assert.Equal(OutputVerdict.Fail, north.Verdict);
        Assert.Equal("Secondary", north.Rules);
        Assert.Null(north.Count);
        Assert.True(north.Suppressed);
        var secondary = Assert.Single(north.Findings);
        Assert.Equal("Region=North, Sex=M; Region=North, Sex=Total", secondary.Related);
        Assert.Equal(OutputVerdict.Pass, cells["Region=South, Sex=F"].Verdict);
        Assert.Equal(OutputVerdict.Pass, cells["Region=South, Sex=M"].Verdict);
    }

    [Fact]
    public void A_suppressed_cell_given_away_only_by_combining_lines_fails_too()
    {
        // Every line has two suppressed cells, yet a = North/F is pinned: rows N, S and columns F, M with totals give
        // a + b = 10, c + d = 20, a + c = 15, b + d = 15 (rank 3, 4 unknowns) plus the grand total: not enough alone;
        // a third region row with one more link makes it exact: e = South/F, with e + f = 12, and column F = a + c + e.
        var path = files.Table("g.csv", "Region,Sex,Count",
            "North,F,[c]", "North,M,[c]", "North,Total,30",
            "South,F,[c]", "South,M,40", "South,Total,[c]",
            "Total,F,35", "Total,M,[c]", "Total,Total,90");
        var check = OutputFiles.Check(path);
        var cells = OutputFiles.Cells(check);

        // Column M: North/M + 40 = Total/M and grand: 30 + South total = 90 -> South total 60 -> South/F 20 -> North/F 15 -> North/M 15.
        foreach (var cell in new[] { "Region=North, Sex=F", "Region=North, Sex=M", "Region=South, Sex=F", "Region=South, Sex=Total", "Region=Total, Sex=M" })
        {
            Assert.Equal(OutputVerdict.Fail, cells[cell].Verdict);
        }

        Assert.Equal(5, check.Summary.Failed);
    }

    [Fact]
    public void Protection_suppresses_the_small_cell_and_a_second_cell_so_the_row_total_cannot_give_it_away()
    {
        var path = files.Table("p.csv", "Region,Sex,Count",
            "North,F,4", "North,M,21", "North,Total,25",
            "South,F,30", "South,M,45", "South,Total,75",
            "Total,F,34", "Total,M,66", "Total,Total,100");
        var destination = System.IO.Path.Combine(files.Folder, "p-protected.csv");
        var before = System.IO.File.ReadAllText(path);

        var check = new OutputChecker().Protect(path, destination, null, null, null, overwrite: false);

        Assert.Equal(before, System.IO.File.ReadAllText(path));
        Assert.Equal(OutputVerdict.Pass, check.Summary.Verdict);
        Assert.Equal(path, check.Summary.ProtectedFrom);
        var cells = OutputFiles.Cells(check);
        // 4 is suppressed; its row (21) and its column (30) each need a partner, then the 2x2 square closes with 45.
        Assert.True(cells["Region=North, Sex=F"].Suppressed);
        Assert.True(cells["Region=North, Sex=M"].Suppressed);
        Assert.True(cells["Region=South, Sex=F"].Suppressed);
        Assert.True(cells["Region=South, Sex=M"].Suppressed);
        Assert.Equal(4, check.Summary.Suppressed);
        Assert.All(cells.Values.Where(c => c.IsTotal), c => Assert.False(c.Suppressed));
        Assert.Contains("North,F,[c]", System.IO.File.ReadAllText(destination));
    }

    [Fact]
    public void Rounding_totals_that_do_not_add_up_fail_and_protection_rounds_and_rebuilds_them()
    {
        var rules = new OutputRules { RoundingBase = 5 };
        var path = files.Table("r.csv", "Region,Count", "North,20", "South,35", "East,22", "Total,80");
        var cells = OutputFiles.Cells(OutputFiles.Check(path, rules));

        Assert.Equal("Rounding", cells["Region=East"].Rules);
        Assert.Contains("not a multiple of 5", cells["Region=East"].Reason);
        Assert.Equal(OutputVerdict.Fail, cells["Region=Total"].Verdict);
        Assert.Contains("the total is 80 but its 3 Region cells add up to 77", cells["Region=Total"].Reason);

        var destination = System.IO.Path.Combine(files.Folder, "r-protected.csv");
        var check = new OutputChecker().Protect(path, destination, null, rules, null, overwrite: false);
        Assert.Equal(OutputVerdict.Pass, check.Summary.Verdict);
        var rounded = OutputFiles.Cells(check);
        Assert.Equal(20, rounded["Region=East"].Count);
        Assert.Equal(75, rounded["Region=Total"].Count);
    }

    [Fact]
    public void A_total_a_few_more_than_its_cells_gives_away_the_group_left_out()
    {
        var path = files.Table("h.csv", "School,Count", "A,40", "B,55", "Total,98");
        var cell = OutputFiles.Cells(OutputFiles.Check(path))["School=Total"];

        Assert.Equal(OutputVerdict.Fail, cell.Verdict);
        Assert.Equal("Secondary", cell.Rules);
        Assert.Contains("the 3 not shown are under 10", cell.Reason);
    }

    [Fact]
    public void Two_releases_whose_difference_is_a_count_of_3_fail_naming_the_earlier_release()
    {
        var released = new InMemoryReleasedOutputs();
        released.Add("DS00752", new ReleasedTable("OR-0001", "fsm-2026-01.csv", new[] { "School", "FSM" }), new[]
        {
            new ReleasedCell(new[] { "A", "Yes" }, 120),
            new ReleasedCell(new[] { "A", "No" }, 300),
            new ReleasedCell(new[] { "B", "Yes" }, null),
        });
        released.Add("DS00999", new ReleasedTable("OR-0002", "other.csv", new[] { "School", "FSM" }), new[] { new ReleasedCell(new[] { "A", "No" }, 301) });
        var path = files.Table("d.csv", "fsm,school,Count", "Yes,A,123", "No,A,300", "Yes,B,50");

        var check = OutputFiles.Check(path, released: released, agreementId: "DS00752");
        var cells = OutputFiles.Cells(check);

        var changed = cells["fsm=Yes, school=A"];
        Assert.Equal(OutputVerdict.Fail, changed.Verdict);
        Assert.Equal("Differencing", changed.Rules);
        var finding = Assert.Single(changed.Findings, f => f.Rule == OutputRule.Differencing);
        Assert.Equal(3, finding.Observed);
        Assert.Equal("OR-0001 (fsm-2026-01.csv)", finding.Related);
        Assert.Contains("123 here against 120 in release OR-0001", finding.Detail);
        Assert.Equal(OutputVerdict.Pass, cells["fsm=No, school=A"].Verdict);
        Assert.Equal(OutputVerdict.Pass, cells["fsm=Yes, school=B"].Verdict);
        Assert.Equal("OR-0001 (fsm-2026-01.csv)", check.Summary.ComparedWith);

        // Without the agreement, nothing is compared.
        Assert.Equal(OutputVerdict.Pass, OutputFiles.Check(path, released: released).Summary.Verdict);
    }

    [Fact]
    public void Categories_differing_only_in_case_are_the_same_category_for_differencing()
    {
        // Dimension names and total labels were already matched without regard to case; categories were not, so
        // "a"/"yes" here against "A"/"Yes" released hid a difference of 3.
        var released = new InMemoryReleasedOutputs();
        released.Add("DS1", new ReleasedTable("OR-0001", "fsm.csv", new[] { "School", "FSM" }), new[] { new ReleasedCell(new[] { "A", "Yes" }, 120) });
        var path = files.Table("d.csv", "School,FSM,Count", "a,yes,123", "a,No,300");

        var changed = OutputFiles.Cells(OutputFiles.Check(path, released: released, agreementId: "DS1"))["School=a, FSM=yes"];

        Assert.Equal(OutputVerdict.Fail, changed.Verdict);
        Assert.Equal(3, Assert.Single(changed.Findings, f => f.Rule == OutputRule.Differencing).Observed);
    }

    [Fact]
    public void Categories_differing_only_in_case_are_one_cell_within_a_table()
    {
        var path = files.Table("c.csv", "Region,Sex,Count", "North,F,12", "north,f,40");

        var error = Assert.Throws<DataShareException>(() => OutputFiles.Check(path));

        Assert.Equal(("OutputCellDuplicate", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
    }

    [Fact]
    public void A_cell_differing_from_several_releases_keeps_one_finding_for_the_closest_and_counts_the_others()
    {
        var released = new InMemoryReleasedOutputs();
        foreach (var (id, count) in new[] { ("OR-1", 115L), ("OR-2", 122L), ("OR-3", 118L) })
        {
            released.Add("DS1", new ReleasedTable(id, id + ".csv", new[] { "School" }), new[] { new ReleasedCell(new[] { "A" }, count) });
        }

        var path = files.Table("d.csv", "School,Count", "A,123");
        var finding = Assert.Single(OutputFiles.Check(path, released: released, agreementId: "DS1").Cells.Single().Findings, f => f.Rule == OutputRule.Differencing);

        Assert.Equal(1, finding.Observed);
        Assert.Equal("OR-2 (OR-2.csv)", finding.Related);
        Assert.EndsWith("(and 2 more releases differ by under 10)", finding.Detail);
    }

    [Fact]
    public void A_released_table_with_fewer_dimensions_is_compared_with_this_tables_totals()
    {
        var released = new InMemoryReleasedOutputs();
        released.Add("DS1", new ReleasedTable("OR-7", "by-school.csv", new[] { "School" }), new[] { new ReleasedCell(new[] { "A" }, 418) });
        var path = files.Table("d.csv", "School,FSM,Count", "A,Yes,120", "A,No,300", "A,Total,420");

        var cells = OutputFiles.Cells(OutputFiles.Check(path, released: released, agreementId: "DS1"));

        Assert.Equal("Differencing", cells["School=A, FSM=Total"].Rules);
        Assert.Equal(OutputVerdict.Pass, cells["School=A, FSM=Yes"].Verdict);
    }

    [Fact]
    public void Columns_can_be_named_and_totals_can_have_other_labels()
    {
        var path = files.Table("n.csv", "Area;Sex;Headcount;Note", "X;F;12;a", "X;M;14;b", "X;Everyone;26;c");
        var layout = new OutputTableLayout { Dimensions = { "Area", "Sex" }, Count = "Headcount", TotalLabels = { "Everyone" } };
        var check = OutputFiles.Check(path, layout: layout);

        Assert.Equal(OutputVerdict.Pass, check.Summary.Verdict);
        Assert.Equal("Area, Sex", check.Summary.Dimensions);
        Assert.True(OutputFiles.Cells(check)["Area=X, Sex=Everyone"].IsTotal);
    }

    [Fact]
    public void Results_read_well_as_text()
    {
        var path = files.Table("t.csv", "Region,Count", "North,3");
        var cell = OutputFiles.Check(path).Cells.Single();

        Assert.Equal("Threshold: count 3 is under 10", cell.Findings.ToString());
        Assert.Equal("Region=North: Fail", cell.ToString());
        Assert.Equal("Threshold 10; zeros disclosive; dominance (2, 90 %); p % 10; rounding none", new OutputRules().ToString());
    }
}
