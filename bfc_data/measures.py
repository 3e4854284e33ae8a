"""The programme's figure, defined once: an organisation's own mean maturity level within a cut.

The contract's mean level of a group is the mean over organisations of each organisation's own mean level
within the group: each organisation counts once, and blank levels (not yet taking part) are left out. Every
figure built on levels (the pages, the board pack, the organisation profile, the learning association and the
data-quality checks) starts from `own_means`, so the definition can be changed here and nowhere else.
"""

from __future__ import annotations

def own_means(cut: list[str] | tuple[str, ...], where: str = "TRUE", carry: dict[str, str] | None = None,
              name: str = "organisation_mean") -> str:
    """SQL for each organisation's own mean level in each cell of `cut`: one row per organisation and cell.

    `cut` names columns of current_maturity (or `column AS alias` for one under another name); `where` is a
    parameterised condition over current_maturity; `carry` adds columns that are the same on every row of an
    organisation and cell (alias -> expression, taken with any_value).
    """
    keys = [*cut, "organisation_code"]
    carried = "".join(f", any_value({expression}) AS {alias}" for alias, expression in (carry or {}).items())
    group = ", ".join(key.split(" AS ")[0] for key in keys)
    return (f"SELECT {', '.join(keys)}{carried}, avg(maturity_level) AS {name} "
            f"FROM current_maturity WHERE maturity_level IS NOT NULL AND ({where}) GROUP BY {group}")
