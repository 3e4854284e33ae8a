"""The rules for one row of the maturity part and of the metrics part, and for each part as a whole; the
Excel return and the bulk CSVs share them."""

from __future__ import annotations

import re

from bfc_data.intake import all_londoners
from bfc_data.intake import values as v
from bfc_data.intake.cells import Cells, extra_json
from bfc_data.reference.framework import ALL_LONDONERS, Framework, key


def maturity_row(cells: Cells, number: int, record: dict, extras: dict, label: dict[str, str]) -> dict | None:
    fw = cells.fw
    context = " ".join(v.text(record.get(c)) for c in ("evidence", "next_step"))
    action = cells.parse(number, label["action"], record["action"], v.action, fw) if not v.is_blank(record.get("action")) \
        else cells.required(number, label["action"], record.get("action"))
    role = cells.coded(number, label["role"], record.get("role"), fw.roles, "a role")
    group = cells.equality_group(number, label["equality_group"], record.get("equality_group"), context)
    intersecting = None
    if "intersecting_group" in record:
        intersecting = cells.equality_group(number, label["intersecting_group"], record["intersecting_group"], context, required=False)
        if intersecting and intersecting == group:
            cells.add("ignored_value", number, label["intersecting_group"], record["intersecting_group"], None,
                      "the intersecting group is the same as the equality group, so the row is read as not intersectional")
            intersecting = None
        elif intersecting == ALL_LONDONERS:
            cells.add("ignored_value", number, label["intersecting_group"], record["intersecting_group"], None,
                      "'All Londoners' is not a second group, so the row is read as not intersectional")
            intersecting = None
    level = None
    raw_level = record.get("maturity_level")
    if v.is_blank(raw_level):
        if v.text(raw_level):
            cells.add("blank_word", number, label.get("maturity_level"), raw_level, None,
                      "read as blank: the organisation does not yet take part in this")
    else:
        level = cells.parse(number, label["maturity_level"], raw_level, v.maturity_level, fw)
        if level is None:
            return None
    support = None
    if "support_wanted" in record:
        support = cells.coded(number, label["support_wanted"], record["support_wanted"], fw.learning_formats,
                              "a learning format, or blank", required=False)
    if None in (action, role, group):
        return None
    return {
        "action": action, "role": role, "equality_group": group, "intersecting_group": intersecting,
        "maturity_level": level, "evidence": cells.optional_text(record.get("evidence"), number, label.get("evidence")),
        "next_step": cells.optional_text(record.get("next_step"), number, label.get("next_step")), "support_wanted": support,
        "extra_columns": extra_json(extras), "source_sheet": cells.sheet, "source_row": number,
    }


def check_maturity_part(cells: Cells, rows: list[dict], label: dict[str, str]) -> None:
    """Repeated rows are errors; actions taken part in without an 'All Londoners' row are warnings (`all_londoners`)."""
    seen: dict[tuple, int] = {}
    for row in rows:
        identity = (row["action"], row["role"], row["equality_group"], row["intersecting_group"])
        if identity in seen:
            cells.add("duplicate_row", row["source_row"], label.get("action", "action"),
                      f"{row['action']} / {row['role']} / {row['equality_group']}"
                      + (f" / {row['intersecting_group']}" if row["intersecting_group"] else ""),
                      "one row for each action, role, equality group and intersecting group",
                      f"repeats row {seen[identity]}")
        else:
            seen[identity] = row["source_row"]
    for action, first_row in all_londoners.missing(rows).items():
        cells.add("no_all_londoners", first_row, label.get("equality_group", "equality_group"), action,
                  f"an '{ALL_LONDONERS}' row for action {action}")


def metric_row(cells: Cells, number: int, record: dict, extras: dict, label: dict[str, str]) -> dict | None:
    fw = cells.fw
    raw_metric = record.get("metric")
    metric = None
    if cells.required(number, label["metric"], raw_metric) is not None:
        metric = find_metric(fw, raw_metric)
        if metric is None:
            cells.add("unknown_code", number, label["metric"], raw_metric,
                      "a metric code or name from the metrics catalogue, such as " + ", ".join(list(fw.metrics)[:4]))
    raw_group = record.get("equality_group")
    group = None
    if not v.is_blank(raw_group):
        group = cells.equality_group(number, label.get("equality_group", "equality_group"), raw_group, required=False)
        if metric is not None and group and not metric.by_equality_group and group != ALL_LONDONERS:
            cells.add("unknown_code", number, label["equality_group"], raw_group,
                      f"a blank cell: '{metric.name}' is not reported by equality group")
            return None
    raw_value = record.get("value")
    if cells.required(number, label["value"], raw_value) is None or metric is None:
        return None
    if metric.unit == "yes/no":
        value = cells.parse(number, label["value"], raw_value, v.yes_no)
    else:
        value = cells.parse(number, label["value"], raw_value, v.number)
        if value is not None and metric.unit == "%" and isinstance(raw_value, float) and 0 < abs(value) < 1:
            value = round(value * 100, 6)
            cells.add("percent_fraction", number, label["value"], raw_value, None, f"read as {value:g}%")
        if value is not None and metric.unit == "count" and not float(value).is_integer():
            cells.add("bad_number", number, label["value"], raw_value, "a whole number (this metric is a count)")
            return None
    if value is None:
        return None
    if not metric.min_value <= value <= metric.max_value:
        unit = {"%": "%", "£": " (£)", "count": "", "yes/no": ""}[metric.unit]
        cells.add("out_of_range", number, label["value"], raw_value,
                  f"a value from {metric.min_value:g} to {metric.max_value:g}{unit} for '{metric.name}'")
        return None
    return {"metric": metric.metric, "equality_group": group or ALL_LONDONERS, "value": float(value),
            "notes": cells.optional_text(record.get("notes"), number, label.get("notes")), "extra_columns": extra_json(extras),
            "source_sheet": cells.sheet, "source_row": number}


def find_metric(fw: Framework, raw):
    """A metric by its code, its name, or the template's 'CODE - name' form."""
    candidates = [raw, re.split(r"\s+[-–:]\s+", v.text(raw), maxsplit=1)[0]]
    for candidate in candidates:
        wanted = key(candidate)
        for metric in fw.metrics.values():
            if wanted in (key(metric.metric), key(metric.name)):
                return metric
    return None


def check_metrics_part(cells: Cells, rows: list[dict], label: dict[str, str]) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        identity = (row["metric"], row["equality_group"])
        if identity in seen:
            cells.add("duplicate_row", row["source_row"], label.get("metric", "metric"), f"{row['metric']} / {row['equality_group']}",
                      "one row for each metric and equality group", f"repeats row {seen[identity]}")
        else:
            seen[identity] = row["source_row"]
