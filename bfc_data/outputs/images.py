"""Charts as PNG pictures, drawn by kaleido in the system's Chromium, with one warm export server per process."""

from __future__ import annotations

import os
import shutil
import threading
import warnings

import plotly.graph_objects as go

HOW_TO_GET_CHROMIUM = ("Picture downloads need the Chromium browser on the server: on Debian or Ubuntu, "
                       "`apt-get install -y chromium`, or set BROWSER_PATH to a Chrome or Chromium.")

_lock = threading.Lock()
_started = False


class NoChromium(RuntimeError):
    """No Chrome or Chromium to draw pictures with; the message says how to get one."""


def chromium() -> str | None:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def available() -> bool:
    return chromium() is not None


def _start() -> None:
    """Start kaleido's export server once: a cold export starts a browser each time (seconds); a warm one does not."""
    global _started
    with _lock:
        if _started:
            return
        import kaleido
        kaleido.start_sync_server(silence_warnings=True)
        _started = True


def figure_png(figure: go.Figure, width: int = 1200, height: int | None = None) -> bytes:
    if not available():
        raise NoChromium(HOW_TO_GET_CHROMIUM)
    _start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # plotly warns that per-call options are ignored by a running server
        return figure.to_image(format="png", width=width, height=height or int(figure.layout.height or 500), scale=2)
