import streamlit as st

from bfc_data.analysis import quality
from bfc_data.intake.values import year_label
from bfc_data.outputs import words
from bfc_data.outputs.export import csv_bytes
from pages.shared.start import officer_page_start, require_store_data
from pages.shared.store import figures

store, viewer = officer_page_start("pages/quality.py", "Data quality", "see data-quality warnings about organisations")
year = require_store_data(store)

st.markdown("Warnings across the current returns: things that did not stop a return loading but deserve a look. "
            "(A value outside its allowed range is refused when the file is loaded, so it never appears here.)")
frame = figures(quality.warnings, viewer, year)
if frame.empty:
    st.success(words.quality(frame, year))
    st.stop()
counts = frame["check"].value_counts()
st.markdown(words.quality(frame, year))
checks = st.multiselect("Show", list(counts.index), default=list(counts.index), key="quality_checks")
shown = frame[frame["check"].isin(checks)].assign(reporting_year=lambda f: f["reporting_year"].map(year_label))
shown = shown.rename(columns={"organisation_code": "Organisation code", "organisation_name": "Organisation",
                              "reporting_year": "Reporting year", "check": "Check", "detail": "Detail"})
st.dataframe(shown, hide_index=True, placeholder="—")
st.download_button("Download the warnings (CSV)", csv_bytes(shown), file_name=f"BFC_data_quality_{year_label(year)}.csv",
                   mime="text/csv", key="quality_csv", on_click=store.record_download, args=(viewer, f"data-quality warnings {year_label(year)}"))
