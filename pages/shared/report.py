"""Showing a partner's feedback report on screen: its content, in the order of the PDF, as real text."""

import pandas as pd
import streamlit as st


def preview(content: dict) -> None:
    """Every section of the report as headings, sentences and tables; each chart by its alternative text."""
    st.markdown(f"#### {content['title']}\n{content['subtitle']}")
    for section in content["sections"]:
        st.markdown(f"##### {section['heading']}")
        for block in section["blocks"]:
            kind = block["kind"]
            if kind in ("text", "note"):
                st.markdown(block["text"].replace("$", r"\$"))
            elif kind == "subheading":
                st.markdown(f"**{block['text']}**")
            elif kind == "list":
                st.markdown("\n".join(f"- {item}".replace("$", r"\$") for item in block["items"]))
            elif kind == "chart":
                st.markdown(f"**Chart:** {block['alt']}".replace("$", r"\$"))
            elif kind == "table":
                st.caption(block["caption"])
                st.dataframe(pd.DataFrame(block["rows"], columns=block["columns"]), hide_index=True)
