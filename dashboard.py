"""BFC Progress Dashboard: `streamlit run dashboard.py`."""

import streamlit as st

from bfc_data.startup import is_sample
from pages.common import get_store

st.set_page_config(page_title="BFC Progress Dashboard", page_icon="📊", layout="wide")

store = get_store()
navigation = st.navigation([
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
])
with st.sidebar:
    st.caption("Building a Fairer City · London Partnership Board")
    if is_sample(store):
        st.caption("Showing **sample data**: invented organisations.")
navigation.run()
