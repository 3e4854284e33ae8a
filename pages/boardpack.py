import datetime as dt

import pandas as pd
import streamlit as st

from bfc_data.intake.values import year_label
from bfc_data.outputs import boardpack
from bfc_data.outputs.tables import plain_table
from pages.shared.people import viewer
from pages.shared.start import page_start
from pages.shared.store import built

store, year, filters = page_start("pages/boardpack.py", "Board pack")
who = viewer()
st.markdown(f"A PowerPoint deck for the {year_label(year)} reporting year, with the filters chosen in the sidebar. "
            "Its charts are native PowerPoint charts, so figures and labels can be edited. "
            + ("This is the officers' version: every figure is shown." if who.is_officer else
               "This is the members' version: groups of too few organisations stay hidden."))
previewed = built(boardpack.previewed_slides, who, year, filters)
slides = [plan for plan, _ in previewed]
st.subheader(f"{len(slides)} slides")
st.dataframe({"Slide": list(range(1, len(slides) + 1)), "Title": [s.name for s in slides], "Headline": [s.headline for s in slides]},
             hide_index=True)
st.download_button("Download the board pack (PowerPoint)",
                   lambda: boardpack.build(store, who, year, filters),
                   file_name=f"BFC_board_pack_{year_label(year)}_{dt.date.today():%Y-%m-%d}.pptx",
                   mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                   type="primary", icon=":material/slideshow:", key="board_pack",
                   # An officer's pack shows small groups unsuppressed: it is recorded like other organisation-level downloads.
                   **({"on_click": store.record_download, "args": (who, f"board pack {year_label(year)} (officers' version)")}
                      if who.is_officer else {}))

st.subheader("Every slide, before you download")
for number, (item, preview) in enumerate(previewed, start=1):
    st.markdown(f"#### Slide {number}: {item.name}")
    st.markdown(item.headline if item.layout != "title" else f"{item.headline}  \n{item.data['subtitle']}")
    if preview is not None:
        st.plotly_chart(preview, key=f"slide_{number}", config={"displaylogo": False})
    elif item.layout == "numbers":
        st.dataframe(pd.DataFrame(item.data["numbers"], columns=["Figure", "Value"]), hide_index=True)
    elif item.layout == "milestones":
        st.dataframe(pd.DataFrame(item.data["rows"], columns=["Milestone", "Date", "Status"]), hide_index=True)
    elif item.layout == "table":
        st.dataframe(plain_table(item.data["frame"]), hide_index=True, placeholder="—")
    if item.data.get("note"):
        st.caption(item.data["note"])
