"""Figures over the current returns: DuckDB scans and groups, pandas shapes. Every function takes the store and
`Filters` and returns a tidy frame; those members may see take a suppression `threshold` and mark what they hide.

- `filters`: what a figure covers, the dimensions and years
- `disclosure`: no figure about a small group can be read or worked out (members' view)
- `maturity`: mean levels and the share at each level, by any cut; the intersectional view
- `progress`: trend, distance travelled, movement between levels, biggest movers
- `metrics`: the metrics framework by equality group and year
- `returning`: who returns, new, lapsed, not yet returned
- `support_wanted`: the learning formats organisations ask for
- `learning`: the learning programme, its feedback and its association with progress
- `overview`, `organisation`, `quality`, `tracker`, `history`: the figures of those pages

The figures every page uses are gathered here, so a page reads `analysis.levels(...)`.
"""

from bfc_data.analysis.filters import DIMENSIONS, Filters, latest_year, years
from bfc_data.analysis.maturity import intersectional, levels, mean_level_by
from bfc_data.analysis.metrics import metric_trend
from bfc_data.analysis.progress import (MOVEMENTS, biggest_movers, distance_by, distance_travelled, movement, published_bands,
                                        transitions, trend)
from bfc_data.analysis.returning import (COVERAGE_COUNTS, coverage, coverage_by_year, not_returned, not_returned_by_sector,
                                         not_returned_count, not_returned_total)
from bfc_data.analysis.support_wanted import organisations_wanting, support_wanted_by

__all__ = ["COVERAGE_COUNTS", "DIMENSIONS", "MOVEMENTS", "Filters", "biggest_movers", "coverage", "coverage_by_year",
           "distance_by", "distance_travelled", "intersectional", "latest_year", "levels", "mean_level_by", "metric_trend",
           "movement", "not_returned", "not_returned_by_sector", "not_returned_count", "not_returned_total", "organisations_wanting", "published_bands",
           "support_wanted_by", "transitions", "trend", "years"]
