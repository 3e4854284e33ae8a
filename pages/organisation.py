import streamlit as st

from bfc_data.analysis import organisation
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts
from pages.shared.chart import show_chart
from pages.shared.navigation import enter
from pages.shared.people import organisation_pages_enabled, viewer
from pages.shared.start import require_store_data, sample_banner
from pages.shared.store import get_store

enter("pages/organisation.py")
store = get_store()
st.title("Organisation")
sample_banner(store)
if not organisation_pages_enabled():
    st.error("Organisation-level self-assessments are shared in confidence and are shown to GLA officers only.")
    st.stop()
year = require_store_data(store)

organisations = organisation.with_returns(store, viewer())
if organisations.empty:
    st.info("No organisations have returned yet.")
    st.stop()
names = dict(zip(organisations["organisation_code"], organisations["organisation_name"]))
code = st.selectbox("Organisation", list(names), format_func=lambda c: f"{names[c] or 'Name not given'} ({c})", key="organisation")
summary, against_sector, history = charts.organisation_profile(organisation.profile(store, viewer(), code, year))
st.markdown(summary)
show_chart(against_sector, f"organisation_{code.lower()}", record=f"profile of {code}, {year_label(year)}")
show_chart(history, f"organisation_history_{code.lower()}", record=f"history of {code}")
