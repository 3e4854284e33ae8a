import streamlit as st

from bfc_data.outputs import words
from bfc_data.reference import programme
from pages.shared.navigation import enter
from pages.shared.store import get_store

enter("pages/programme.py")
store = get_store()
st.title("Programme delivery")
st.caption(f"From the reference file `bfc_data/reference/programme.toml`, after {programme.source()}.")

st.subheader("Timeline")
timeline = programme.timeline()
st.markdown(words.programme_delivery(timeline))
st.dataframe(timeline.assign(date=timeline["date"].map(lambda d: f"{d:%d %B %Y}")).rename(
    columns={"milestone": "Milestone", "date": "Date", "status": "Status"}), hide_index=True)

st.subheader("Money")
money = programme.money()
st.dataframe(money.assign(amount=money["amount"].map(lambda a: f"£{a:,.0f}")).rename(
    columns={"item": "Item", "amount": "Amount", "where": "Source"}), hide_index=True)
for _, row in programme.discrepancies().iterrows():
    st.warning(f"**The source disagrees with itself on the {row['item'].lower()}.** {row['where'].capitalize()} state "
               f"£{row['stated']:,.0f}; elsewhere it is £{row['against']:,.0f}. {row['note']}", icon=":material/warning:")
