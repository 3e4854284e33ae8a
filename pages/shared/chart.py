"""How a chart is shown: the figure, its sentence, the table behind it and its downloads (recorded for officers)."""

from __future__ import annotations

import streamlit as st

from bfc_data.outputs import images
from bfc_data.outputs.charts import Chart
from bfc_data.outputs.export import csv_bytes
from pages.shared.people import viewer
from pages.shared.store import get_store


def show_chart(chart: Chart, key: str, record: str | None = None) -> None:
    """A chart with its summary in words, the table behind it, and a CSV download; words when there is nothing.

    `record` names an organisation-level download, which the load register then records (who, when, what). An
    officer's figures show small groups unhidden, so every officer's download is recorded, named by its chart.
    """
    who = viewer()
    if record is None and who is not None and who.is_officer:
        record = f"{chart.title or key} (officers' figures: small groups shown)"
    if chart.figure is None:
        st.info(chart.summary)
        if not chart.table.empty:
            # Everything is hidden: the table still says which groups there are and why each is hidden.
            with st.expander("Show the data"):
                st.dataframe(chart.table, hide_index=True, placeholder="—")
        return
    st.plotly_chart(chart.figure, key=f"chart_{key}", config={"displaylogo": False})
    st.markdown(f"**In words:** {chart.summary}")
    with st.expander("Show the data"):
        st.dataframe(chart.table, hide_index=True, placeholder="—")
    recording = {"on_click": get_store().record_download, "args": (who, record)} if record else {}
    # Each button's name says what it downloads: a page holds several, and a screen reader lists them by name.
    # One above the other, full width: side by side, a narrow window (820 px, or 200% zoom) cut the names short.
    what = chart.title or key.replace("_", " ")
    # Written when clicked, like the PNG: a rerun that nobody downloads from then writes no CSV.
    st.download_button(f"Download the data (CSV): {what}", lambda table=chart.table: csv_bytes(table), file_name=f"bfc_{key}.csv", mime="text/csv",
                       key=f"download_{key}", icon=":material/download:", **recording)
    if images.available():
        # Drawn only when clicked: a picture takes a browser's time, and most are never wanted.
        st.download_button(f"Download the chart (PNG): {what}", lambda figure=chart.figure: images.figure_png(figure),
                           file_name=f"bfc_{key}.png", mime="image/png", key=f"png_{key}", icon=":material/image:", **recording)
    else:
        st.caption(images.HOW_TO_GET_CHROMIUM)
