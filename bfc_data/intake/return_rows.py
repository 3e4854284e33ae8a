"""The rules for one row of the maturity part and of the metrics part, and for each part as a whole; the
Excel return and the bulk CSVs share them."""

from __future__ import annotations

import re

from bfc_data.intake import all_londoners
from bfc_data.intake import values as v
from bfc_data.intake.cells import Cells, extra_json
from bfc_data.reference.framework import ALL_LONDONERS, Framework, key


def _action(cells: Cells, raw, column, row=None):
    if v.is_blank(raw):
        return cells.required(row, column, raw)
    return cells.parse(row, column, raw, v.action, cells.fw)


def _role(cells: Cells, raw, column, row=None):
    return cells.coded(row, column, raw, cells.fw.roles, "a role")


def _group(cells: Cells, raw, column, row=None):
    return cells.coded(row, column, raw, cells.fw.equality_groups, "an equality group")


def _second_group(cells: Cells, raw, column, row=None):
    return cells.coded(row, column, raw, cells.fw.equality_groups, "an equality group", required=False)


def _names_lgbt(cells: Cells, raw, column, row=None) -> bool:
    """Whether the group is an LGBTQI+ variant, which the row's own words may read as gender reassignment."""
    return "lgbt" in key(raw) and cells.fw.equality_groups.match(raw) == ("Sexual orientation", True)


def _level(cells: Cells, raw, column, row=None) -> tuple[int | None, bool]:
    """(level, readable): a blank level is readable and None."""
    if v.is_blank(raw):
        if v.text(raw):
            cells.add("blank_word", row, column, raw, None, "read as blank: the organisation does not yet take part in this")
        return None, True
    level = cells.parse(row, column, raw, v.maturity_level, cells.fw)
    return level, level is not None


def _support(cells: Cells, raw, column, row=None):
    return cells.coded(row, column, raw, cells.fw.learning_formats, "a learning format, or blank", required=False)


def maturity_row(cells: Cells, number: int, record: dict, extras: dict, label: dict[str, str]) -> dict | None:
    """One maturity row. Each cell is read through `Cells.once`, so each distinct value of a column is read once."""
    once = cells.once
    raw_group = record.get("equality_group")
    action = once(number, label["action"], record.get("action"), _action)
    role = once(number, label["role"], record.get("role"), _role)
    if once(number, label["equality_group"], raw_group, _names_lgbt):
        context = " ".join(v.text(record.get(c)) for c in ("evidence", "next_step"))
        group = cells.equality_group(number, label["equality_group"], raw_group, context)
    else:
        group = once(number, label["equality_group"], raw_group, _group)
    intersecting = None
    if "intersecting_group" in record:
        raw_second = record["intersecting_group"]
        if once(number, label["intersecting_group"], raw_second, _names_lgbt):
            context = " ".join(v.text(record.get(c)) for c in ("evidence", "next_step"))
            intersecting = cells.equality_group(number, label["intersecting_group"], raw_second, context, required=False)
        else:
            intersecting = once(number, label["intersecting_group"], raw_second, _second_group)
        if intersecting and intersecting == group:
            cells.add("ignored_value", number, label["intersecting_group"], raw_second, None,
                      "the intersecting group is the same as the equality group, so the row is read as not intersectional")
            intersecting = None
        elif intersecting == ALL_LONDONERS:
            cells.add("ignored_value", number, label["intersecting_group"], raw_second, None,
                      "'All Londoners' is not a second group, so the row is read as not intersectional")
            intersecting = None
    level, readable = once(number, label.get("maturity_level"), record.get("maturity_level"), _level)
    if not readable:
        return None
    support = None
    if "support_wanted" in record:
        support = once(number, label["support_wanted"], record["support_wanted"], _support)
    if None in (action, role, group):
        return None
    return {
        "action": action, "role": role, "equality_group": group, "intersecting_group": intersecting,
        "maturity_level": level, "evidence": cells.optional_text(record.get("evidence"), number, label.get("evidence")),
        "next_step": cells.optional_text(record.get("next_step"), number, label.get("next_step")), "support_wanted": support,
        "extra_columns": extra_json(extras), "source_sheet": cells.sheet, "source_row": number,
    }


_READ_BY_COLUMN = {"action": _action, "role": _role, "equality_group": _group, "intersecting_group": _second_group,
                   "maturity_level": _level, "support_wanted": _support}


def maturity_sheet(cells: Cells, sheet, found, headers: list[str], extra: list[int], label: dict[str, str]) -> list[dict]:
    """The maturity sheet read column by column, to the same rows and problems as `maturity_row` on each row.

    Each column's distinct values are read once (`Cells.column`). A row whose cells stand on their own is built
    straight from its columns, what its cells said recorded in the order `maturity_row` reads them; any other row
    (a cell that cannot be remembered, an LGBTQI+ group that the row's own words may change, a hidden control
    character, an intersecting group to set aside, a level that cannot be read) is read by `maturity_row`, in order,
    which records its problems exactly as row-by-row reading would.
    """
    data = sheet.rows[1:]
    position = {column.name: i for i, column in found.items()}

    def raw(name):
        i = position[name]
        return [cells_[i] if i < len(cells_) else None for _, cells_ in data]

    read, alone = {}, [True] * len(data)
    for name, reader in _READ_BY_COLUMN.items():
        if name not in position:
            read[name] = ([(None, True) if name == "maturity_level" else None] * len(data), [()] * len(data))
            continue
        read[name] = cells.column(label[name], raw(name), reader)
        alone = [a and said is not None for a, said in zip(alone, read[name][1])]
    for name in ("equality_group", "intersecting_group"):
        if name in position:
            lgbt, _ = cells.column(label[name], raw(name), _names_lgbt)
            alone = [a and not named for a, named in zip(alone, lgbt)]
    texts = {}
    for name in ("evidence", "next_step"):
        texts[name] = [v.text(cell) for cell in raw(name)] if name in position else [""] * len(data)
        if v.CONTROL.search("\n".join(texts[name])):  # rare: the rows holding one say so, row by row
            alone = [a and not v.CONTROL.search(t) for a, t in zip(alone, texts[name])]
    # What each row's cells said, in `maturity_row`'s order of reading them.
    order = [(label.get(name), read[name][1]) for name in _READ_BY_COLUMN]
    rows = []
    columns = zip(range(len(data)), data, alone, read["action"][0], read["role"][0], read["equality_group"][0],
                  read["intersecting_group"][0], read["maturity_level"][0], read["support_wanted"][0],
                  texts["evidence"], texts["next_step"])
    for i, (number, cells_), ok, action, role, group, second, (level, readable), support, evidence, next_step in columns:
        if ok and readable and action is not None and role is not None and group is not None \
                and (second is None or (second != group and second != ALL_LONDONERS)):
            for column, saids in order:
                if saids[i]:
                    cells.say(number, column, saids[i])
            extras = {headers[j]: v.text(cells_[j]) for j in extra if j < len(cells_) and v.text(cells_[j])} if extra else {}
            rows.append({"action": action, "role": role, "equality_group": group, "intersecting_group": second,
                         "maturity_level": level, "evidence": evidence or None, "next_step": next_step or None,
                         "support_wanted": support, "extra_columns": extra_json(extras), "source_sheet": cells.sheet,
                         "source_row": number})
            continue
        record = {column.name: (cells_[j] if j < len(cells_) else None) for j, column in found.items()}
        extras = {headers[j]: v.text(cells_[j]) for j in extra if j < len(cells_) and v.text(cells_[j])}
        row = maturity_row(cells, number, record, extras, label)
        if row:
            rows.append(row)
    return rows


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


def _metric(cells: Cells, raw, column, row=None):
    if cells.required(row, column, raw) is None:
        return None
    metric = find_metric(cells.fw, raw)
    if metric is None:
        cells.add("unknown_code", row, column, raw,
                  "a metric code or name from the metrics catalogue, such as " + ", ".join(list(cells.fw.metrics)[:4]))
    return metric


def metric_row(cells: Cells, number: int, record: dict, extras: dict, label: dict[str, str]) -> dict | None:
    metric = cells.once(number, label["metric"], record.get("metric"), _metric)
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
