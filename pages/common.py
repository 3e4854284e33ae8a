"""What every page shares: the one store of this process, and its headline facts."""

from __future__ import annotations

import streamlit as st

from bfc_data.startup import is_sample, open_store
from bfc_data.store import Store


@st.cache_resource(show_spinner="Opening the BFC store…")
def get_store() -> Store:
    # One connection per process; each query takes its own cursor (see bfc_data.store).
    return open_store()


def sample_banner(store: Store) -> None:
    if is_sample(store):
        st.info("**Sample data.** The organisations and figures shown are invented, for demonstration only.", icon="ℹ️")
