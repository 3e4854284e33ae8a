"""Every run goes through the entry script, so a shared link to a page opens with its navigation and filters."""

from __future__ import annotations

import streamlit as st

from pages.shared.people import viewer

ENTRY = "dashboard.py"


def enter(page_file: str | None = None, registered: tuple[str, ...] = ()) -> None:
    """Called by the entry script (with the pages it registered) and by every page (with its own file).

    On a freshly started server, Streamlit serves the first request for a page's own address
    (a shared link) by running that page alone, in its legacy folder mode: no navigation and no
    filters. Such a run is sent through the entry script, which then returns to the page with
    the link's query string, if the navigation has that page.
    """
    if page_file is None:
        st.session_state["entered"] = True
        return_to, query = st.session_state.pop("return_to", (None, None))
        if return_to in registered:
            st.switch_page(return_to, query_params=query)
    elif not st.session_state.get("entered"):
        query = {name: st.query_params.get_all(name) for name in st.query_params}
        st.session_state["return_to"] = (page_file, query)
        st.switch_page(ENTRY, query_params=query)
    elif viewer() is None:
        st.error("You are not signed in with an account that has access to this dashboard.")
        st.stop()


# Off screen until it has the keyboard's focus, then shown at the top of the sidebar (GOV.UK's skip link pattern).
SKIP_LINK_STYLE = """<style>
a.bfc-skip-link { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
a.bfc-skip-link:focus { position: static; width: auto; height: auto; display: inline-block; padding: 0.4rem 0.6rem;
  background: #FFDD00; color: #0B0C0C; outline: 3px solid #0B0C0C; text-decoration: underline; }
</style>"""


def skip_link() -> None:
    """A first stop for keyboard users: straight to the page's own content, past the sidebar's links and filters."""
    st.markdown(SKIP_LINK_STYLE + '<a class="bfc-skip-link" href="#main-content">Skip to main content</a>',
                unsafe_allow_html=True)


def main_content_anchor() -> None:
    """Where the skip link lands: the start of the page's own content."""
    st.markdown('<span id="main-content" tabindex="-1"></span>', unsafe_allow_html=True)


def sidebar_navigation(sections: dict[str, list]) -> None:
    """The dashboard's own links to its pages, a heading per section (Streamlit's menu is hidden, see dashboard.py)."""
    with st.container(key="bfc_navigation"):
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon)
