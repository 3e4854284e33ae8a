"""Who is viewing: sign-in, the viewer's role (resolved in bfc_data.access), and the refusals in words."""

from __future__ import annotations

import streamlit as st

from bfc_data.access import AccessRefused, Viewer, email_is_verified, require_officer, resolve, threshold_for


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
