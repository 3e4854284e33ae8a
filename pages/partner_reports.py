import streamlit as st

from bfc_data.analysis import feedback
from bfc_data.intake.values import year_label
from bfc_data.outputs import feedback_report
from pages.shared.start import officer_page_start, require_store_data

store, viewer = officer_page_start("pages/partner_reports.py", "Partner reports",
                                   "make partners' feedback reports (they hold organisation-level figures)")
year = require_store_data(store)

st.markdown(f"Every organisation with levels in a current {year_label(year)} return gets its own feedback report: where it "
            "stands against its sector and size band, by equality group, its progress, strengths and areas to develop, "
            "its own words back and its metrics. Comparisons over too few peers are withheld, and no other organisation "
            "is named. Each report is an accessible PDF (PDF/UA-1). Change the year in the sidebar.")
st.caption("Making the reports is recorded in the load register. One organisation's report can be previewed on the "
           "Organisation page.")

key = f"partner_reports_{year}"
if st.button(f"Make all {year_label(year)} reports", type="primary", key="make_reports"):
    bar = st.progress(0.0, text="Making the reports…")

    def advance(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Made {done} of {total} reports")

    try:
        st.session_state[key] = feedback_report.for_year(store, viewer, year, progress=advance)
    except feedback.NotFound as exc:
        st.error(f"No reports were made: {exc}.")
    bar.empty()

if key in st.session_state:
    data, count = st.session_state[key]
    st.success(f"{count} reports for {year_label(year)} are ready.")
    st.download_button(f"Download all {count} feedback reports, {year_label(year)} (ZIP of PDFs)", data,
                       file_name=f"BFC feedback reports {year_label(year)}.zip", mime="application/zip",
                       icon=":material/download:", key="reports_zip")
