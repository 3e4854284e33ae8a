"""BFC Progress Dashboard: `streamlit run dashboard.py`.

`streamlit run` finds `app` below and serves it; the server imports the dashboard's modules (pandas, plotly and the
domain package) and opens the store once while it starts, so that its first visitor does not wait for them (about
half a second on these 2 cores). Each visitor's session runs this same file as its script, under the name
`__main__`: that draws the dashboard (`main`).
"""

import importlib
from contextlib import asynccontextmanager

import streamlit as st

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
    ("pages/partner_reports.py", "Partner reports", ":material/picture_as_pdf:"),
]
ABOUT_PAGES = [
    ("pages/accessibility.py", "Accessibility statement", ":material/accessibility_new:"),
]


# What every page imports; a session finds them imported already.
WARM_MODULES = ("pandas", "plotly.graph_objects", "pyarrow", "bfc_data.analysis", "bfc_data.outputs.charts",
                "bfc_data.outputs.words", "bfc_data.store.startup", "pages.shared.chart", "pages.shared.filters",
                "pages.shared.navigation", "pages.shared.people", "pages.shared.start", "pages.shared.store")


@asynccontextmanager
async def warm_up(_app):
    for name in WARM_MODULES:
        importlib.import_module(name)
    importlib.import_module("pages.shared.store").open_at_start()
    yield


def main() -> None:
    from bfc_data.store.startup import is_sample
    from pages.shared.filters import sidebar_filters
    from pages.shared.navigation import enter, main_content_anchor, sidebar_navigation, skip_link
    from pages.shared.people import organisation_pages_enabled, sidebar_identity, sign_in_page, viewer
    from pages.shared.store import get_store

    st.set_page_config(page_title="BFC Progress Dashboard", page_icon=":material/bar_chart:", layout="wide")
    who = viewer()
    if who is None:
        # Not signed in, or signed in without a role: only the sign-in page exists for this session.
        st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
        st.stop()

    store = get_store()
    sections = {"Explore progress": PAGES, "For officers": OFFICER_PAGES, "About this service": ABOUT_PAGES}
    registered = {section: [st.Page(path, title=title, icon=icon, default=path == PAGES[0][0]) for path, title, icon in pages]
                  for section, pages in sections.items()}
    # Streamlit's own navigation menu is hidden: its markup breaks list semantics for screen readers (axe-core 'list',
    # 'listitem'). The sidebar shows the dashboard's own links instead. Members are not shown the officers' pages, but
    # the pages are there, so that a member who opens one's address is refused in the dashboard's own words.
    navigation = st.navigation(registered, position="hidden")
    enter(registered=tuple(path for pages in sections.values() for path, *_ in pages))
    shown = {section: pages for section, pages in registered.items() if section != "For officers" or organisation_pages_enabled()}
    with st.sidebar:
        skip_link()
        sidebar_navigation(shown)
        st.caption("Building a Fairer City · London Partnership Board")
        sidebar_identity(who)
        if is_sample(store):
            st.caption("Showing **sample data**: invented organisations.")
    sidebar_filters(store)
    main_content_anchor()
    navigation.run()


if __name__ == "__main__":
    main()
else:
    app = st.App(__file__, lifespan=warm_up)
