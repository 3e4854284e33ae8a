"""Chart pictures: PNG from the system's Chromium, and words instead when there is none."""

import os

import plotly.graph_objects as go
import pytest

from bfc_data.outputs import images


@pytest.mark.skipif(not images.available() and not os.environ.get("CI"), reason="no Chromium here (CI installs it)")
def test_a_chart_becomes_a_png():
    figure = go.Figure(go.Bar(x=["Health", "Business"], y=[2.1, 1.8]))
    figure.update_layout(height=400)
    first = images.figure_png(figure)
    again = images.figure_png(figure)  # the warm server answers the second
    for data in (first, again):
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000


def test_without_chromium_the_refusal_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(images, "chromium", lambda: None)
    assert not images.available()
    with pytest.raises(images.NoChromium, match="apt-get install -y chromium"):
        images.figure_png(go.Figure())
