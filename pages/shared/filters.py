"""The sidebar filters: the same on every page, kept across pages and in the link; members choose one or all."""

from __future__ import annotations

import streamlit as st

from bfc_data import analysis
from bfc_data.analysis.disclosure import OFFICER_ONLY_FILTERS, member_filters
from bfc_data.intake.values import BadValue, reporting_year, year_label
from bfc_data.outputs import words
from bfc_data.store import Store
from pages.shared.people import organisation_pages_enabled

# Filter name in the URL -> (Filters field, widget label, placeholder)
MULTI_FILTERS = {
    "sector": ("sectors", "Sector", "All sectors"),
    "priority_area": ("priority_areas", "Priority area", "All priority areas"),
    "action": ("actions", "Action", "All actions"),
    "role": ("roles", "Role", "All roles"),
    "equality_group": ("equality_groups", "Equality group", "All equality groups"),
    "size_band": ("size_bands", "Size band", "All sizes"),
}


def _options(store: Store) -> dict[str, list[str]]:
    fw = store.fw
    return {"sector": list(fw.sectors.values), "priority_area": list(fw.priority_areas), "action": list(fw.actions),
            "role": list(fw.roles.values), "equality_group": list(fw.equality_groups.values),
            "size_band": list(fw.size_bands.values)}


def _from_query_string(store: Store, years: list[int]) -> None:
    """A shared link sets the filters once, when the session starts."""
    params = st.query_params
    year = None
    if params.get("year"):
        try:
            year = reporting_year(params.get("year"))
        except BadValue:
            year = None
    st.session_state["filter_year"] = year if year in years else (years[-1] if years else None)
    options = _options(store)
    members = not organisation_pages_enabled()
    for name in MULTI_FILTERS:
        chosen = [v for v in params.get_all(name) if v in options[name]]
        # A member's link sets one value, or all, and no size band (bfc_data.analysis.disclosure refuses the rest).
        st.session_state[f"filter_{name}"] = ([] if MULTI_FILTERS[name][0] in OFFICER_ONLY_FILTERS else chosen[:1]) if members else chosen


def _to_query_string() -> None:
    params: dict[str, object] = {}
    if st.session_state.get("filter_year") is not None:
        params["year"] = year_label(st.session_state["filter_year"])
    for name in MULTI_FILTERS:
        if st.session_state.get(f"filter_{name}"):
            params[name] = list(st.session_state[f"filter_{name}"])
    st.query_params.from_dict(params)


def _clear() -> None:
    for name in MULTI_FILTERS:
        st.session_state[f"filter_{name}"] = []


def _keep(name: str) -> None:
    # The filters live in their own keys, which Streamlit never cleans up, and the widgets mirror them.
    st.session_state[f"filter_{name}"] = st.session_state[f"widget_{name}"]


def _keep_one(name: str) -> None:
    value = st.session_state[f"widget_{name}"]
    st.session_state[f"filter_{name}"] = [] if value is None else [value]


def sidebar_filters(store: Store) -> None:
    """The filters, in the sidebar of every page; they persist across pages and in the link."""
    years = analysis.years(store)
    if "filters_started" not in st.session_state:
        _from_query_string(store, years)
        st.session_state["filters_started"] = True
    options = _options(store)
    labels = {"action": lambda code: store.fw.action_label(code)}
    with st.sidebar:
        st.header("Filters")
        if years:
            if st.session_state.get("filter_year") not in years:
                st.session_state["filter_year"] = years[-1]
            st.session_state["widget_year"] = st.session_state["filter_year"]
            st.selectbox("Reporting year", years, format_func=year_label, key="widget_year", on_change=_keep, args=("year",),
                         help="Pages that show change over time use every year and say so.")
        members = not organisation_pages_enabled()
        for name, (field, label, placeholder) in MULTI_FILTERS.items():
            if not members:
                st.session_state[f"widget_{name}"] = st.session_state.get(f"filter_{name}", [])
                st.multiselect(label, options[name], key=f"widget_{name}", placeholder=placeholder,
                               format_func=labels.get(name, str), on_change=_keep, args=(name,))
            elif field not in OFFICER_ONLY_FILTERS:
                # Members choose one value or all: "all but one" against "all" would give a small group away.
                chosen = st.session_state.get(f"filter_{name}", [])[:1]
                st.session_state[f"widget_{name}"] = chosen[0] if chosen else None
                st.selectbox(label, options[name], key=f"widget_{name}", index=None, placeholder=placeholder,
                             format_func=labels.get(name, str), on_change=_keep_one, args=(name,))
        if members:
            st.caption("Board members choose one value, or all, in each filter, so that no small group can be worked out "
                       "by comparing views.")
        st.button("Clear filters", on_click=_clear)
    _to_query_string()


def current_filters(with_year: bool = True) -> analysis.Filters:
    values = {field: tuple(st.session_state.get(f"filter_{name}", [])) for name, (field, _, _) in MULTI_FILTERS.items()}
    year = st.session_state.get("filter_year")
    filters = analysis.Filters(years=(year,) if with_year and year is not None else (), **values)
    return filters if organisation_pages_enabled() else member_filters(filters)


def current_year() -> int | None:
    return st.session_state.get("filter_year")


def filters_caption(filters: analysis.Filters) -> None:
    said = words.filtered_to(filters)  # the same words the sentences use to name their filters
    if said:
        st.caption(f"Filtered to {said}.")
