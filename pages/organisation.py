import streamlit as st

from bfc_data.analysis import organisation
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts, feedback_report
from pages.shared.chart import show_chart
from pages.shared.navigation import enter
from pages.shared.people import organisation_pages_enabled, viewer
from pages.shared.report import preview
from pages.shared.start import require_store_data, sample_banner
from pages.shared.store import built, figures, get_store

enter("pages/organisation.py")
store = get_store()
st.title("Organisation")
sample_banner(store)
if not organisation_pages_enabled():
    st.error("Organisation-level self-assessments are shared in confidence and are shown to GLA officers only.")
    st.stop()
year = require_store_data(store)

organisations = figures(organisation.with_returns, viewer())
if organisations.empty:
    st.info("No organisations have returned yet.")
    st.stop()
names = dict(zip(organisations["organisation_code"], organisations["organisation_name"]))
code = st.selectbox("Organisation", list(names), format_func=lambda c: f"{names[c] or 'Name not given'} ({c})", key="organisation")
summary, against_sector, history = built(charts.profile_charts, viewer(), code, year)
st.markdown(summary)
show_chart(against_sector, f"organisation_{code.lower()}", record=f"profile of {code}, {year_label(year)}")
show_chart(history, f"organisation_history_{code.lower()}", record=f"history of {code}")

st.subheader(f"Feedback report, {year_label(year)}")
st.markdown("The report this organisation gets back: where it stands against its peers, its progress, strengths and "
            "areas to develop, its own words back and its metrics, as an accessible PDF. Comparisons over too few "
            "peers are withheld, as they are for board members.")
made = st.session_state.get("feedback_report")
if made is None or made[0] != (code, year):
    if st.button("Make the feedback report", key="make_report", icon=":material/picture_as_pdf:"):
        with st.spinner("Making the report…"):
            made = ((code, year), *feedback_report.for_organisation(store, viewer(), code, year))
        st.session_state["feedback_report"] = made
if made is not None and made[0] == (code, year):
    _, name, data, content = made
    st.download_button(f"Download the feedback report (PDF): {names[code] or code}, {year_label(year)}", data,
                       file_name=name, mime="application/pdf", icon=":material/download:", key="report_pdf")
    with st.expander("Preview the report", expanded=True):
        preview(content)
