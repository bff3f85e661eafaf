namespace DataShareAdmin.HelpBuilder.Tests;

/// <summary>Pages in the layout docs/en-US uses, covering the cases the builder has to get right.</summary>
internal static class SamplePages
{
    public const string FileName = "New-DataShareAgreement.md";

    /// <summary>
    /// Two parameter sets; a parameter only in one set, one in all, one with different metadata per set (two yaml
    /// blocks), switches, accepted values, two examples (one with a '#' comment inside its fence, which is not a heading).
    /// </summary>
    public const string NewAgreement = """
        ---
        external help file: DataShareAdmin.dll-Help.xml
        Module Name: DataShareAdmin
        online version: https://example.org/docs/New-DataShareAgreement
        schema: 2.0.0
        ---

        # New-DataShareAgreement

        ## SYNOPSIS
        Creates a data sharing agreement.

        ## SYNTAX

        ### ById (Default)
        ```
        New-DataShareAgreement [-Id] <String> [-Recipient] <String[]> [-Status <String>] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ### ByInputObject
        ```
        New-DataShareAgreement [-InputObject] <DataShareAgreement> [-Recipient <String[]>] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ## DESCRIPTION
        The New-DataShareAgreement cmdlet creates an agreement
        in the register.

        It writes the new agreement to the pipeline.

        ## EXAMPLES

        ### Example 1: Create an agreement
        ```powershell
        New-DataShareAgreement -Id DS00752 -Recipient 'Finance'
        ```

        This command creates agreement DS00752
        for the Finance recipient.

        The agreement starts as a draft.

        ### Example 2: Copy an agreement
        ```
        # Copies every field but the id.
        Get-DataShareAgreement -Id DS00752 | New-DataShareAgreement
        ```

        ## PARAMETERS

        ### -Confirm
        Prompts you for confirmation before running the cmdlet.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: cf

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Id
        The agreement's id.

        ```yaml
        Type: String
        Parameter Sets: ById
        Aliases: AgreementId

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -InputObject
        An agreement to copy.

        ```yaml
        Type: DataShareAgreement
        Parameter Sets: ByInputObject
        Aliases:

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: False
        ```

        ### -Recipient
        The recipients who receive the data.

        ```yaml
        Type: String[]
        Parameter Sets: ById
        Aliases:

        Required: True
        Position: 1
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ```yaml
        Type: String[]
        Parameter Sets: ByInputObject
        Aliases:

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ### -Status
        The starting status.

        ```yaml
        Type: String
        Parameter Sets: ById
        Aliases:
        Accepted values: Draft, Active

        Required: False
        Position: Named
        Default value: Draft
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -WhatIf
        Shows what would happen if the cmdlet runs.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: wi

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction,
        -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -Verbose, -WarningAction, and -WarningVariable.

        ## INPUTS

        ### System.String
        The id, by property name.

        ### DataShareAdmin.DataShareAgreement

        ## OUTPUTS

        ### DataShareAdmin.DataShareAgreement
        The new agreement.

        ## NOTES
        Agreements are audited.

        ## RELATED LINKS

        [about_DataShareAdmin](about_DataShareAdmin.md)
        [Get-DataShareAgreement](Get-DataShareAgreement.md)
        [Data sharing policy](https://example.org/policy)
        """;

    public const string AboutFileName = "about_DataShareAdmin.md";

    public const string About = """
        ---
        title: about_DataShareAdmin
        ---

        # about_DataShareAdmin

        ## SHORT DESCRIPTION
        Manages data sharing agreements.

        ## EXAMPLES

        ```powershell
        # Lists agreements.
        Get-DataShareAgreement
        ```

        Text after the example.
        """;
}
