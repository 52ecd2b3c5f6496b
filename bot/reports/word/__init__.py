"""The ward's report of a period as a Word file in the administrative layout of Decree
30/2020/NĐ-CP: `document` assembles it from the summary, `decree30` writes the fixed parts and
their wording, `layout` sets the page and the type, `ooxml` is the Word XML underneath."""
