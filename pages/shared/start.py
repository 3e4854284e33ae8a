"""How every page starts: through the entry script, its title, the sample label, the year and the filters."""

from __future__ import annotations

import streamlit as st

from bfc_data import analysis
from bfc_data.access import Viewer
from bfc_data.store import Store
from bfc_data.store.startup import is_sample
from pages.shared.filters import current_filters, current_year, filters_caption
from pages.shared.navigation import enter
from pages.shared.people import officer_only
from pages.shared.store import get_store


def sample_banner(store: Store) -> None:
    if is_sample(store):
        st.info("**Sample data.** The organisations and figures shown are invented, for demonstration only.", icon=":material/info:")


def require_store_data(store: Store) -> int:
    """The selected reporting year, or stop the page with words when nothing is loaded."""
    year = current_year()
    if year is None:
        st.warning("No returns have been loaded yet. Officers can load returns with `python -m bfc_data load`.")
        st.stop()
    return year


def page_start(page_file: str, title: str, with_year: bool = True) -> tuple[Store, int, analysis.Filters]:
    """What every page does first: go through the entry script, title, sample label, the year and the filters.

    Stops the page with words when nothing is loaded. `with_year=False` for pages that show every year.
    """
    enter(page_file)
    store = get_store()
    st.title(title)
    sample_banner(store)
    year = require_store_data(store)
    filters = current_filters(with_year)
    filters_caption(filters)
    return store, year, filters


def officer_page_start(page_file: str, title: str, doing: str) -> tuple[Store, Viewer]:
    """The start of an officers' page: entry redirect, title, sample label, and the refusal for anyone else."""
    enter(page_file)
    store = get_store()
    st.title(title)
    sample_banner(store)
    return store, officer_only(doing)
