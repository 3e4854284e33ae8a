"""What the pages share, one idea per module: the store (`store`), who is viewing (`people`), the entry
redirect (`navigation`), the sidebar filters (`filters`), how a chart is shown (`chart`) and how a page starts
(`start`). Kept out of `pages/` itself, whose every file Streamlit may serve as a page."""
