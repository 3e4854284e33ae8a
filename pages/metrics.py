import streamlit as st

from bfc_data import analysis
from bfc_data.outputs import charts
from pages.shared.chart import show_chart
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/metrics.py", "Metrics", with_year=False)
st.caption("Metrics use every reporting year; the year filter does not apply. Sector and size band filters apply, "
           "as does the equality group filter.")

metrics = store.fw.metrics
codes = list(metrics)
# Start on a metric reported by equality group: that is where the plan's question (is a gap closing?) is.
first = next((i for i, c in enumerate(codes) if metrics[c].by_equality_group), 0)
code = st.selectbox("Metric", codes, index=first, format_func=lambda c: f"{metrics[c].name} ({metrics[c].unit})", key="metric")
metric = metrics[code]
st.markdown(f"**{metric.name}** · priority area: {metric.priority_area} · unit: {metric.unit} · "
            f"{'higher' if metric.better == 'higher' else 'lower'} is better"
            + (" · reported by equality group" if metric.by_equality_group else ""))
frame = figures(analysis.metric_trend, code, filters, threshold())
show_chart(chart(charts.metric_lines, frame, metric.name, metric.unit, metric.better, f"{metric.name}, mean over organisations"),
           f"metric_{code.lower()}")
