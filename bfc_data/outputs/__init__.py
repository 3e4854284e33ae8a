"""What the dashboard gives people: charts (plotly figures with their sentence and table), the words beside them,
the board pack (PowerPoint), partners' feedback reports (PDF), and downloads made safe to open (no formulas)."""
