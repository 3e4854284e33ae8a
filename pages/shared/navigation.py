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
