"""BFC Progress Dashboard: `streamlit run dashboard.py`."""

import streamlit as st

from bfc_data.startup import is_sample
from pages.common import get_store, organisation_pages_enabled, sidebar_filters

st.set_page_config(page_title="BFC Progress Dashboard", page_icon="📊", layout="wide")

store = get_store()
pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/priority_areas.py", title="Priority areas and actions", icon=":material/flag:"),
    st.Page("pages/sectors.py", title="Sectors", icon=":material/apartment:"),
    st.Page("pages/equality_groups.py", title="Equality groups", icon=":material/diversity_3:"),
    st.Page("pages/progress.py", title="Progress over time", icon=":material/trending_up:"),
    st.Page("pages/metrics.py", title="Metrics", icon=":material/query_stats:"),
    st.Page("pages/coverage.py", title="Coverage", icon=":material/groups:"),
]
if organisation_pages_enabled():
    pages.append(st.Page("pages/organisation.py", title="Organisation", icon=":material/corporate_fare:"))
navigation = st.navigation(pages)
with st.sidebar:
    st.caption("Building a Fairer City · London Partnership Board")
    if is_sample(store):
        st.caption("Showing **sample data**: invented organisations.")
sidebar_filters(store)
navigation.run()
