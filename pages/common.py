"""What every page shares: the store, the sidebar filters, and how a chart is shown."""

from __future__ import annotations

import importlib

import streamlit as st

from bfc_data import analysis
from bfc_data.outputs import images
from bfc_data.access import AccessRefused, Viewer, email_is_verified, require_officer, resolve, threshold_for
from bfc_data.outputs.charts import Chart
from bfc_data.analysis.disclosure import OFFICER_ONLY_FILTERS, member_filters
from bfc_data.outputs.export import csv_bytes
from bfc_data.store.startup import is_sample, open_store, sample_dir
from bfc_data.store import Store, default_path
from bfc_data.intake.values import BadValue, reporting_year, year_label

# Filter name in the URL -> (Filters field, widget label, placeholder)
MULTI_FILTERS = {
    "sector": ("sectors", "Sector", "All sectors"),
    "priority_area": ("priority_areas", "Priority area", "All priority areas"),
    "action": ("actions", "Action", "All actions"),
    "role": ("roles", "Role", "All roles"),
    "equality_group": ("equality_groups", "Equality group", "All equality groups"),
    "size_band": ("size_bands", "Size band", "All sizes"),
}


@st.cache_resource(show_spinner="Opening the BFC store…")
def _store_at(path: str, samples: str | None) -> Store:
    # One connection per process and store file; each query takes its own cursor (see bfc_data.store).
    return open_store(path, samples)


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


@st.cache_data(max_entries=512, show_spinner=False)
def _figures(module: str, name: str, path: str, version: int, args: tuple, kwargs: tuple):
    # Keyed by the store's version, which every load, restore and recorded download moves on: never stale.
    function = getattr(importlib.import_module(module), name)
    return function(get_store(), *args, **dict(kwargs))


def figures(function, *args, **kwargs):
    """`function(store, *args)` from bfc_data, cached across reruns and sessions until the store changes."""
    store = get_store()
    return _figures(function.__module__, function.__name__, str(store.path), store.version(), args, tuple(sorted(kwargs.items())))


def get_store() -> Store:
    samples = sample_dir()
    return _store_at(str(default_path()), None if samples is None else str(samples))


def sign_in_configured() -> bool:
    """Sign-in is on when `.streamlit/secrets.toml` has an [auth] block."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: the laptop default
        return False


def viewer() -> Viewer | None:
    """The viewer of this session, resolved in bfc_data.access and kept until the sign-in changes; None: no access."""
    configured = sign_in_configured()
    logged_in, email, name, verified = False, None, None, None
    if configured:
        try:
            logged_in = bool(st.user.is_logged_in)
        except Exception:  # st.user raises when sign-in is half configured; that is no access
            logged_in = False
        if logged_in:
            email, name, verified = st.user.get("email"), st.user.get("name"), st.user.get("email_verified")
    key = (configured, logged_in, email, verified)
    kept = st.session_state.get("viewer")
    if kept is None or kept[0] != key:
        kept = (key, resolve(configured, logged_in, email, name, email_verified=verified))
        st.session_state["viewer"] = kept
    return kept[1]


def organisation_pages_enabled() -> bool:
    """Organisation-level data is for officers only."""
    who = viewer()
    return who is not None and who.is_officer


def officer_only(doing: str) -> Viewer:
    """The viewer, if an officer; otherwise the page stops with the refusal in words."""
    who = viewer()
    try:
        if who is None:
            raise AccessRefused("You are not signed in with an account that has access to this dashboard.")
        require_officer(who, doing)
    except AccessRefused as refused:
        st.error(str(refused))
        st.stop()
    return who


def threshold() -> int:
    return threshold_for(viewer())


def sign_in_page() -> None:
    """What someone without access sees: a way to sign in, or why they cannot come in."""
    st.title("Building a Fairer City: progress dashboard")
    if not st.user.get("is_logged_in"):
        st.markdown("This dashboard is for GLA officers and members of the London Partnership Board. Please sign in.")
        st.button("Sign in", type="primary", on_click=st.login)
    elif not email_is_verified(st.user.get("email_verified")):
        st.error(f"Your sign-in did not confirm that {st.user.get('email')} is your address, so it cannot be given access. "
                 "Sign in with your verified work account, or ask the GLA's BFC team for help.")
        st.button("Sign out", on_click=st.logout)
    else:
        st.error(f"You are signed in as {st.user.get('email')}, which has no access to this dashboard. "
                 "Ask the GLA's BFC team to add you.")
        st.button("Sign out", on_click=st.logout)


def sidebar_identity(who: Viewer) -> None:
    st.caption(f"Signed in as **{who.name}**: " + ("a GLA officer, who sees organisations and may load returns."
                                                   if who.is_officer else "a board member, who sees figures across partners."))
    if sign_in_configured():
        st.button("Sign out", on_click=st.logout, key="sign_out")
    else:
        st.caption("Sign-in is not configured: this is the single local account.")


def sample_banner(store: Store) -> None:
    if is_sample(store):
        st.info("**Sample data.** The organisations and figures shown are invented, for demonstration only.", icon="ℹ️")


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
    said = [f"{label}: {', '.join(getattr(filters, field))}" for _, (field, label, _) in MULTI_FILTERS.items() if getattr(filters, field)]
    if said:
        st.caption("Filtered to " + "; ".join(said) + ".")


def show_chart(chart: Chart, key: str, record: str | None = None) -> None:
    """A chart with its summary in words, the table behind it, and a CSV download; words when there is nothing.

    `record` names an organisation-level download, which the load register then records (who, when, what). An
    officer's figures show small groups unhidden, so every officer's download is recorded, named by its chart.
    """
    who = viewer()
    if record is None and who is not None and who.is_officer:
        record = f"{chart.title or key} (officers' figures: small groups shown)"
    if chart.figure is None:
        st.info(chart.summary)
        if not chart.table.empty:
            # Everything is hidden: the table still says which groups there are and why each is hidden.
            with st.expander("Show the data"):
                st.dataframe(chart.table, hide_index=True, placeholder="—")
        return
    st.plotly_chart(chart.figure, key=f"chart_{key}", config={"displaylogo": False})
    st.markdown(f"**In words:** {chart.summary}")
    with st.expander("Show the data"):
        st.dataframe(chart.table, hide_index=True, placeholder="—")
    recording = {"on_click": get_store().record_download, "args": (who, record)} if record else {}
    columns = st.columns(3)
    columns[0].download_button("Download the data (CSV)", csv_bytes(chart.table), file_name=f"bfc_{key}.csv", mime="text/csv",
                               key=f"download_{key}", icon=":material/download:", **recording)
    if images.available():
        # Drawn only when clicked: a picture takes a browser's time, and most are never wanted.
        columns[1].download_button("Download the chart (PNG)", lambda figure=chart.figure: images.figure_png(figure),
                                   file_name=f"bfc_{key}.png", mime="image/png", key=f"png_{key}", icon=":material/image:",
                                   **recording)
    else:
        columns[1].caption(images.HOW_TO_GET_CHROMIUM)


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
