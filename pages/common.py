"""What every page shares: the one store of this process, and its headline facts."""

from __future__ import annotations

import streamlit as st

from bfc_data.startup import is_sample, open_store, sample_dir
from bfc_data.store import Store, default_path


@st.cache_resource(show_spinner="Opening the BFC store…")
def _store_at(path: str, samples: str | None) -> Store:
    # One connection per process and store file; each query takes its own cursor (see bfc_data.store).
    return open_store(path, samples)


def get_store() -> Store:
    samples = sample_dir()
    return _store_at(str(default_path()), None if samples is None else str(samples))


def sample_banner(store: Store) -> None:
    if is_sample(store):
        st.info("**Sample data.** The organisations and figures shown are invented, for demonstration only.", icon="ℹ️")
