"""BFC Progress Dashboard: `streamlit run dashboard.py`."""

import streamlit as st

from bfc_data.startup import is_sample
from pages.common import enter, get_store, organisation_pages_enabled, sidebar_filters

st.set_page_config(page_title="BFC Progress Dashboard", page_icon="📊", layout="wide")

PAGES = [
    ("pages/overview.py", "Overview", ":material/home:"),
    ("pages/priority_areas.py", "Priority areas and actions", ":material/flag:"),
    ("pages/sectors.py", "Sectors", ":material/apartment:"),
    ("pages/equality_groups.py", "Equality groups", ":material/diversity_3:"),
    ("pages/progress.py", "Progress over time", ":material/trending_up:"),
    ("pages/metrics.py", "Metrics", ":material/query_stats:"),
    ("pages/coverage.py", "Coverage", ":material/groups:"),
]
if organisation_pages_enabled():
    PAGES.append(("pages/organisation.py", "Organisation", ":material/corporate_fare:"))

store = get_store()
navigation = st.navigation([st.Page(path, title=title, icon=icon, default=index == 0)
                            for index, (path, title, icon) in enumerate(PAGES)])
enter(registered=tuple(path for path, _, _ in PAGES))
with st.sidebar:
    st.caption("Building a Fairer City · London Partnership Board")
    if is_sample(store):
        st.caption("Showing **sample data**: invented organisations.")
sidebar_filters(store)
navigation.run()
