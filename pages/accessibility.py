import streamlit as st

from bfc_data.reference.statement import statement
from pages.shared.navigation import enter

enter("pages/accessibility.py")
title, body = statement().split("\n", 1)
st.title(title.lstrip("# "))
st.markdown(body)
