"""Who is viewing, and what they may do: officers see organisations and write; members see aggregates.

The role is resolved in one place (`resolve`). With sign-in configured, a signed-in e-mail
address is mapped to a role by the roles file; anyone it does not name has no access.
Without sign-in the dashboard runs as one local officer (`BFC_LOCAL_ROLE=member` shows the
members' view, for demonstrations). Every function that returns organisation-level rows,
and every write, takes the viewer and calls `require_officer`.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bfc_data.reference.settings import settings

OFFICER = "officer"
MEMBER = "member"
ROLES_FILE = Path(__file__).resolve().parent.parent / "roles.toml"


class AccessRefused(PermissionError):
    """A write or a read the viewer may not make, said in words."""


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    email: str | None = None

    @property
    def is_officer(self) -> bool:
        return self.role == OFFICER


def operator(name: str) -> Viewer:
    """Someone acting through the command line or a script: they hold the database file itself, so act as an officer."""
    return Viewer(name, OFFICER)


def as_viewer(who: Viewer | str) -> Viewer:
    return who if isinstance(who, Viewer) else operator(who)


def local_viewer() -> Viewer:
    role = (os.environ.get("BFC_LOCAL_ROLE") or OFFICER).strip().lower()
    if role not in (OFFICER, MEMBER):
        role = MEMBER  # an unreadable setting must not grant more than the members' view
    name = os.environ.get("BFC_LOCAL_NAME") or f"{getpass.getuser()} (local {role})"
    return Viewer(name, role)


@dataclass(frozen=True)
class RoleRules:
    """E-mail addresses and domains of officers and members, from the roles file."""

    officer_emails: frozenset[str] = frozenset()
    officer_domains: frozenset[str] = frozenset()
    member_emails: frozenset[str] = frozenset()
    member_domains: frozenset[str] = frozenset()

    def role_of(self, email: str | None) -> str | None:
        """The role of a signed-in address: a named address before its domain, an officer before a member."""
        if not email or "@" not in email:
            return None
        email = email.strip().lower()
        domain = email.rsplit("@", 1)[1]
        for role, emails, domains in ((OFFICER, self.officer_emails, self.officer_domains),
                                      (MEMBER, self.member_emails, self.member_domains)):
            if email in emails:
                return role
        for role, emails, domains in ((OFFICER, self.officer_emails, self.officer_domains),
                                      (MEMBER, self.member_emails, self.member_domains)):
            if domain in domains:
                return role
        return None


def load_rules(path: Path | str | None = None) -> RoleRules:
    """The roles file (`BFC_ROLES`, default `roles.toml` beside the dashboard). No file: nobody has a role."""
    path = Path(path or os.environ.get("BFC_ROLES") or ROLES_FILE)
    if not path.exists():
        return RoleRules()
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def words(section: str, key: str) -> frozenset[str]:
        return frozenset(str(v).strip().lower().lstrip("@") for v in data.get(section, {}).get(key, []))

    return RoleRules(words("officer", "emails"), words("officer", "domains"), words("member", "emails"), words("member", "domains"))


def resolve(sign_in_configured: bool, logged_in: bool, email: str | None, name: str | None,
            rules: RoleRules | None = None, email_verified: object = None) -> Viewer | None:
    """The viewer of a session, or None for no access (not signed in, not in the roles file, or an address the
    identity provider says it has not verified).

    `email_verified` is the OpenID Connect claim. Only an explicit false refuses: Microsoft Entra ID does not
    send the claim, and vouches for its tenant's addresses itself.
    """
    if not sign_in_configured:
        return local_viewer()
    if not logged_in or not email_is_verified(email_verified):
        return None
    role = (rules or load_rules()).role_of(email)
    if role is None:
        return None
    return Viewer(name or email or "unknown", role, email)


def email_is_verified(claim: object) -> bool:
    """False only when the provider says so: `false`, or the strings 'false' and '0' some providers send."""
    if claim is None:
        return True
    if isinstance(claim, str):
        return claim.strip().lower() not in ("false", "0", "no")
    return bool(claim)


def threshold_for(viewer: Viewer | None) -> int:
    """Members (and anyone unknown) see small groups suppressed; officers see every figure."""
    return 0 if viewer is not None and viewer.is_officer else settings().suppression_threshold


def require_officer(viewer: Viewer | str, doing: str) -> Viewer:
    """Refuse anyone but an officer, in words: 'Only GLA officers may load returns.'"""
    viewer = as_viewer(viewer)
    if not viewer.is_officer:
        raise AccessRefused(f"Only GLA officers may {doing}. You are signed in as a member of the partnership board.")
    return viewer
