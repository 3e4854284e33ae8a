"""The learning programme's CSVs (events and attendance) and the GLA's organisation register: one row each,
checked against the framework."""

from __future__ import annotations

from bfc_data.intake import values as v
from bfc_data.intake.cells import Cells, data_rows, extra_json
from bfc_data.intake.excel_return import organisation_details
from bfc_data.intake.reading import Sheet
from bfc_data.reference.framework import Vocabulary, key

DELIVERY_MODES = {"inperson": "In person", "facetoface": "In person", "online": "Online", "virtual": "Online",
                  "remote": "Online", "hybrid": "Hybrid", "blended": "Hybrid"}


def register_rows(cells: Cells, sheet: Sheet, found, headers, extra, label):
    """The organisation register: one row per organisation, with its details and contact."""
    rows, seen, count = [], {}, 0
    for number, record, extras in data_rows(sheet, found, headers, extra):
        count += 1
        fields = {name: record.get(name) for name in ("organisation_code", "organisation_name", "sector", "size_band",
                                                      "borough", "contact_name", "contact_email")}
        rows_of = {name: number for name in fields}
        title = {name: label.get(name, name) for name in fields}
        code, _, details = organisation_details(cells, {**fields, "reporting_year": "2000"}, {**rows_of, "reporting_year": number},
                                                 {**title, "reporting_year": "reporting_year"})
        if code is None:
            continue
        if code in seen:
            cells.add("duplicate_row", number, label["organisation_code"], code, "each organisation listed once",
                      f"repeats row {seen[code]}")
            continue
        seen[code] = number
        rows.append({"organisation_code": code, **details, "extra_columns": extra_json(extras), "source_row": number})
    return rows, count


def event_rows(cells: Cells, sheet: Sheet, found, headers, extra, label):
    fw = cells.fw
    areas = Vocabulary("priority_area", fw.priority_areas,
                       {key(short): area for area, short in fw.priority_area_short.items()})
    rows, seen, count = [], {}, 0
    for number, record, extras in data_rows(sheet, found, headers, extra):
        count += 1
        event_id = cells.required(number, label["event_id"], record.get("event_id"))
        date = cells.parse(number, label["date"], record.get("date"), v.date) if not v.is_blank(record.get("date")) \
            else cells.required(number, label["date"], record.get("date"))
        learning_format = cells.coded(number, label["learning_format"], record.get("learning_format"), fw.learning_formats,
                                      "a learning format")
        area = cells.coded(number, label["priority_area"], record.get("priority_area"), areas, "a priority area")
        delivery = None
        if not v.is_blank(record.get("delivery")):
            delivery = DELIVERY_MODES.get(key(record["delivery"]))
            if delivery is None:
                cells.add("unknown_code", number, label["delivery"], record["delivery"], "in person, online or hybrid")
        if event_id in seen:
            cells.add("duplicate_row", number, label["event_id"], event_id, "each event listed once", f"repeats row {seen[event_id]}")
            continue
        if event_id is not None:
            seen[event_id] = number
        rows.append({"event_id": event_id, "date": date, "learning_format": learning_format, "priority_area": area,
                     "title": cells.optional_text(record.get("title"), number, label.get("title")), "delivery": delivery,
                     "extra_columns": extra_json(extras), "source_row": number})
    return rows, count


def attendance_rows(cells: Cells, sheet: Sheet, found, headers, extra, label):
    rows, seen, count = [], {}, 0
    for number, record, extras in data_rows(sheet, found, headers, extra):
        count += 1
        event_id = cells.required(number, label["event_id"], record.get("event_id"))
        code = cells.required(number, label["organisation_code"], record.get("organisation_code"))
        if code is not None:
            code = cells.organisation_code(number, label["organisation_code"], record["organisation_code"])
        scores = {}
        for name, low, high in (("attendees", 0, 10_000), ("pitched_right", 1, 5), ("will_use", 1, 5)):
            raw = record.get(name)
            scores[name] = None if v.is_blank(raw) else cells.parse(number, label[name], raw, v.whole_number, low, high)
        identity = (event_id, code)
        if identity in seen:
            cells.add("duplicate_row", number, label["event_id"], f"{event_id} / {code}",
                      "one row for each event and organisation", f"repeats row {seen[identity]}")
            continue
        seen[identity] = number
        rows.append({"event_id": event_id, "organisation_code": code, **scores,
                     "more_support": cells.optional_text(record.get("more_support"), number, label.get("more_support")),
                     "extra_columns": extra_json(extras), "source_row": number})
    return rows, count
