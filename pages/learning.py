import streamlit as st

from bfc_data.analysis import learning
from bfc_data.intake.values import year_label
from bfc_data.outputs import charts, words
from pages.shared.chart import show_chart
from pages.shared.people import threshold
from pages.shared.start import page_start
from pages.shared.store import chart, figures

store, year, filters = page_start("pages/learning.py", "Learning programme", with_year=False)
st.caption("Learning events and attendance come from the delivery partner's files. The sidebar's sector and other filters "
           "do not apply here; the reporting year sets the year of demand and delivery.")

st.subheader("What was delivered")
by_label = st.radio("Events by", ["Learning format", "Priority area", "Quarter", "Delivery"], horizontal=True,
                    key="events_by")
by = {"Learning format": "learning_format", "Priority area": "priority_area", "Quarter": "quarter", "Delivery": "delivery"}[by_label]
show_chart(chart(charts.count_bars, figures(learning.events_by, by), by, "events", f"Learning events by {by_label.lower()}"),
           f"events_by_{by}")

st.subheader("Who came")
size = st.radio("Attendance by", ["Sector", "Size band"], horizontal=True, key="attendance_by")
column = "size_band" if size == "Size band" else "sector"
show_chart(chart(charts.count_bars, figures(learning.attendance_by, column, threshold()), column, "organisations",
                             f"Organisations attending learning, by {size.lower()}"), f"attendance_by_{column}")

st.subheader("What they said")
show_chart(chart(charts.feedback_chart, figures(learning.feedback_by_format, threshold()), "Feedback by learning format"), "feedback")
answers = figures(learning.more_support, threshold())
st.markdown("**More support wanted**, in participants' words, by the priority area of the event:")
if answers.empty:
    st.info("No answers to show.")
else:
    st.dataframe(charts.plain_table(answers), hide_index=True, placeholder="—")

st.subheader(f"Demand and delivery, {year_label(year)}")
demand = figures(learning.demand_and_delivery, year, threshold())
st.markdown(words.unmet_demand(demand, year, threshold()))
st.dataframe(charts.plain_table(demand.assign(unmet=demand["unmet"].map({True: "unmet", False: ""}))), hide_index=True, placeholder="—")

st.subheader("Year-two target sectors")
st.dataframe(charts.plain_table(figures(learning.target_sectors, year, threshold())), hide_index=True, placeholder="—")

st.subheader("Learning and progress")
st.warning("These figures show an association, not proof of cause: organisations that choose to take part may differ from "
           "those that do not.", icon=":material/info:")
chosen = st.selectbox("Learning format", list(store.fw.learning_formats.values), key="association_format")
show_chart(chart(charts.association_chart, figures(learning.learning_and_progress, threshold()), chosen,
                                    f"Change in level: took part in {chosen.lower()}s or not"), "learning_and_progress")
