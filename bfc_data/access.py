"""Who is viewing, and what they may do: officers see organisations and write; members see aggregates.

Without sign-in configured the dashboard runs as one local officer (`BFC_LOCAL_ROLE=member`
shows the members' view, for demonstrations).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from .store import AccessRefused

OFFICER = "officer"
MEMBER = "member"


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str

    @property
    def is_officer(self) -> bool:
        return self.role == OFFICER


def local_viewer() -> Viewer:
    role = (os.environ.get("BFC_LOCAL_ROLE") or OFFICER).strip().lower()
    if role not in (OFFICER, MEMBER):
        role = MEMBER  # an unreadable setting must not grant more than the members' view
    name = os.environ.get("BFC_LOCAL_NAME") or f"{getpass.getuser()} (local {role})"
    return Viewer(name, role)


def require_officer(viewer: Viewer, doing: str) -> None:
    """Refuse anyone but an officer, in words: 'Only GLA officers may load returns.'"""
    if not viewer.is_officer:
        raise AccessRefused(f"Only GLA officers may {doing}. You are signed in as a member of the partnership board.")
