using Xunit;

namespace DataShareAdmin.HelpBuilder.Tests;

public class AboutTopicConverterTests
{
    [Fact]
    public void Front_matter_and_markdown_marks_go_and_code_is_indented()
    {
        var text = AboutTopicConverter.Convert(SamplePages.About);

        Assert.Equal(
            """
            about_DataShareAdmin

            SHORT DESCRIPTION
            Manages data sharing agreements.

            EXAMPLES

                # Lists agreements.
                Get-DataShareAgreement

            Text after the example.

            """,
            text);
    }

    [Fact]
    public void A_page_without_front_matter_is_kept_as_it_is()
    {
        Assert.Equal("TOPIC\n    about_X\n", AboutTopicConverter.Convert("TOPIC\n    about_X\n\n\n"));
    }
}
