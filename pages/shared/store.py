"""The store each page reads, opened once per process, and figures cached until the store changes."""

from __future__ import annotations

import importlib

import streamlit as st

from bfc_data.store import Store, StoreUnavailable, default_path
from bfc_data.store.startup import open_store, sample_dir


@st.cache_resource(show_spinner=False)
def _store_at(path: str, samples: str | None) -> Store:
    # One connection per process and store file; each query takes its own cursor (see bfc_data.store). The
    # dashboard publishes a copy after every change, for the command line's readers and backups. No spinner: the
    # server opens the store as it starts (`open_at_start`), outside any page, where a spinner has nowhere to show.
    return open_store(path, samples, publish=True)


@st.cache_data(max_entries=512, show_spinner=False)
def _figures(module: str, name: str, path: str, version: int, args: tuple, kwargs: tuple):
    # Keyed by the store's version, which every load, restore and recorded download moves on: never stale.
    function = getattr(importlib.import_module(module), name)
    return function(get_store(), *args, **dict(kwargs))


def figures(function, *args, **kwargs):
    """`function(store, *args)` from bfc_data, cached across reruns and sessions until the store changes."""
    store = get_store()
    return _figures(function.__module__, function.__name__, str(store.path), store.version(), args, tuple(sorted(kwargs.items())))


@st.cache_resource(max_entries=256, show_spinner=False)
def _chart(module: str, name: str, path: str, version: int, args: tuple, kwargs: tuple):
    # The built chart itself (figure, sentence, table), shared and never changed once built: a rerun of a page
    # whose figures are cached then builds nothing. Keyed like `_figures`, with the data the chart is drawn from.
    return getattr(importlib.import_module(module), name)(*args, **dict(kwargs))


def chart(builder, *args, **kwargs):
    """`builder(*args)` from bfc_data.outputs.charts, built once per store version and arguments."""
    store = get_store()
    return _chart(builder.__module__, builder.__name__, str(store.path), store.version(), args, tuple(sorted(kwargs.items())))


@st.cache_resource(max_entries=64, show_spinner=False)
def _built(module: str, name: str, path: str, version: int, args: tuple, kwargs: tuple):
    return getattr(importlib.import_module(module), name)(get_store(), *args, **dict(kwargs))


def built(function, *args, **kwargs):
    """`function(store, *args)` from bfc_data, kept as built (not copied, as `figures` does) until the store changes:
    for results holding many figures, such as the board pack's slides, which would cost more to copy than to keep."""
    store = get_store()
    return _built(function.__module__, function.__name__, str(store.path), store.version(), args, tuple(sorted(kwargs.items())))


def clear_caches() -> None:
    """Forget every cached figure and chart (not the store): what a page costs the first time."""
    _figures.clear()
    _chart.clear()
    _built.clear()


def _open() -> Store:
    samples = sample_dir()
    return _store_at(str(default_path()), None if samples is None else str(samples))


def open_at_start() -> None:
    """Open the store (building the sample store if it is to be shown and is missing) while the server starts, so
    that its first visitor does not wait for it. A store that cannot be opened now is left for the pages to explain."""
    try:
        _open()
    except StoreUnavailable:
        pass


def get_store() -> Store:
    """The store, or the page stops saying in words why it cannot be opened (it waited a few seconds first)."""
    try:
        return _open()
    except StoreUnavailable as unavailable:
        st.error(f"The dashboard cannot open its store just now: {unavailable.reason}." +
                 (" Reload this page in a minute." if unavailable.locked else
                  " Tell the officer who looks after the dashboard; what was stored is kept in its backups."))
        st.stop()
