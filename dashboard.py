"""BFC Progress Dashboard: `streamlit run dashboard.py`."""

import streamlit as st

from bfc_data.store.startup import is_sample
from pages.shared.filters import sidebar_filters
from pages.shared.navigation import enter
from pages.shared.people import organisation_pages_enabled, sidebar_identity, sign_in_page, viewer
from pages.shared.store import get_store

st.set_page_config(page_title="BFC Progress Dashboard", page_icon="📊", layout="wide")

PAGES = [
    ("pages/overview.py", "Overview", ":material/home:"),
    ("pages/priority_areas.py", "Priority areas and actions", ":material/flag:"),
    ("pages/sectors.py", "Sectors", ":material/apartment:"),
    ("pages/equality_groups.py", "Equality groups", ":material/diversity_3:"),
    ("pages/progress.py", "Progress over time", ":material/trending_up:"),
    ("pages/metrics.py", "Metrics", ":material/query_stats:"),
    ("pages/coverage.py", "Coverage", ":material/groups:"),
    ("pages/learning.py", "Learning programme", ":material/school:"),
    ("pages/programme.py", "Programme delivery", ":material/event_note:"),
    ("pages/boardpack.py", "Board pack", ":material/slideshow:"),
]
OFFICER_PAGES = [
    ("pages/upload.py", "Load returns", ":material/upload_file:"),
    ("pages/history.py", "History", ":material/history:"),
    ("pages/tracker.py", "Submissions tracker", ":material/checklist:"),
    ("pages/quality.py", "Data quality", ":material/rule:"),
    ("pages/organisation.py", "Organisation", ":material/corporate_fare:"),
]

who = viewer()
if who is None:
    # Not signed in, or signed in without a role: only the sign-in page exists for this session.
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
    st.stop()

store = get_store()
# Members are not shown the officers' pages, but the pages are there (hidden), so that a member who opens one's
# address is refused in the dashboard's own words by the page itself, not met by "Page not found".
officer_visibility = "visible" if organisation_pages_enabled() else "hidden"
sections = {"Explore progress": [(*page, "visible") for page in PAGES],
            "For officers": [(*page, officer_visibility) for page in OFFICER_PAGES]}
navigation = st.navigation({section: [st.Page(path, title=title, icon=icon, default=path == PAGES[0][0], visibility=visibility)
                                      for path, title, icon, visibility in pages] for section, pages in sections.items()},
                           expanded=True)
enter(registered=tuple(path for pages in sections.values() for path, *_ in pages))
with st.sidebar:
    st.caption("Building a Fairer City · London Partnership Board")
    sidebar_identity(who)
    if is_sample(store):
        st.caption("Showing **sample data**: invented organisations.")
sidebar_filters(store)
navigation.run()
