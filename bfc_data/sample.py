"""Deterministic synthetic returns for demonstrations, tests and benchmarks.

About 120 invented organisations across every sector, reporting from 2022-23 to 2025-26:
engagement grows each year, most organisations move up the scale, some stall or slip,
and the year-two focus groups appear from 2024-25. Partners' habits are imitated too:
bulk CSVs in UTF-8 and Windows-1252, comma and semicolon, levels typed in several forms.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from bfc_data.intake.schema import ATTENDANCE_CSV, CSV_KINDS, EVENTS_CSV, MATURITY_CSV, METRICS_CSV, REGISTER_CSV
from bfc_data.intake.values import year_label
from bfc_data.reference.framework import ALL_LONDONERS, Framework, framework

YEARS = (2022, 2023, 2024, 2025)
SECTOR_COUNTS = {
    "Local government": 23, "GLA group": 6, "Health": 12, "Police and justice": 5, "Housing association": 14,
    "Higher education": 10, "Further education": 6, "Trade union": 8, "Law centre": 6,
    "Voluntary and community": 12, "Funder": 4, "Faith": 3, "Business": 8, "Other public sector": 3,
}
# Year two reached out to these sectors, so they mostly join from 2024-25.
PLACES = ["Ashvale", "Brookmere", "Cranford Green", "Dunmore", "Eastwick", "Fairholt", "Glenbury", "Harrowgate Park",
          "Ivybridge", "Juniper Hill", "Kestrel", "Lindenfield", "Marlow Cross", "Northmoor", "Oakhurst", "Pinewood",
          "Queensmead", "Ravenscourt", "Stonebridge", "Thornbury", "Upton Vale", "Westmoor", "Yarrow", "Alderney",
          "Birchwood", "Coldharbour", "Deansgate", "Elmstead", "Foxley", "Greystoke"]
SUFFIX = {
    "Local government": "Borough Council", "GLA group": "Transport and Planning Body", "Health": "NHS Trust",
    "Police and justice": "Justice Partnership", "Housing association": "Housing Association",
    "Higher education": "University", "Further education": "College", "Trade union": "Workers' Union",
    "Law centre": "Law Centre", "Voluntary and community": "Community Network", "Funder": "Foundation",
    "Faith": "Faith Forum", "Business": "Group plc", "Other public sector": "Public Services Agency",
}
EVIDENCE = ["Board paper agreed", "Staff survey results", "Action plan published", "Pay audit completed",
            "Community panel minutes", "Equality data report", "Training records", "Contract clauses updated",
            "Grant programme review", "Case studies collected", ""]
NEXT_STEPS = ["Extend to contractors", "Publish results", "Set targets with the board", "Co-design with residents",
              "Improve data coverage", "Train managers", "Review eligibility rules", ""]
MORE_SUPPORT = ["More on collecting equality data", "Examples from other councils", "Help with pay gap reporting",
                "Peer support for small charities", "Guidance on co-production", "Time to follow up with the group", ""]


@dataclass
class SampleOrganisation:
    code: str
    name: str
    sector: str
    size_band: str
    borough: str
    joins: int | None  # first reporting year, or None: not yet engaged
    ability: float
    trend: float
    actions: list[str]
    lapses: set[int]


def organisations(fw: Framework, rng: random.Random, count: int = 120) -> list[SampleOrganisation]:
    weights = SECTOR_COUNTS
    scale = count / sum(weights.values())
    sectors = [s for s, n in weights.items() for _ in range(max(1, round(n * scale)))]
    while len(sectors) < count:
        sectors.append(rng.choice(list(weights)))
    sectors = sectors[:count]
    boroughs = [b for b in fw.boroughs.values if b != "London-wide"]
    result = []
    names: set[str] = set()
    for index, sector in enumerate(sectors, start=1):
        place = PLACES[(index * 7) % len(PLACES)]
        if sector in fw.year_two_sectors:
            joins = rng.choices([2022, 2023, 2024, 2025, None], [0.1, 0.15, 0.5, 0.15, 0.1])[0]
        else:
            joins = rng.choices([2022, 2023, 2024, 2025, None], [0.5, 0.25, 0.12, 0.06, 0.07])[0]
        roll = rng.random()
        trend = rng.uniform(0.25, 0.5) if roll < 0.75 else (0.0 if roll < 0.9 else -0.2)
        # The order in which this organisation takes up actions; it takes up more each year it stays.
        actions = rng.sample(list(fw.actions), rng.randint(6, len(fw.actions)))
        lapses = {y for y in YEARS[1:] if rng.random() < 0.05}
        name = f"{place} {SUFFIX[sector]}"
        for quarter in ("", " North", " South", " East", " West"):
            if name + quarter not in names:
                name += quarter
                break
        names.add(name)
        result.append(SampleOrganisation(
            code=f"ORG-{index:04d}", name=name,
            sector=sector, size_band=rng.choice(fw.size_bands.values),
            borough="London-wide" if sector in ("GLA group", "Funder", "Trade union") else rng.choice(boroughs),
            joins=joins, ability=rng.gauss(1.7, 0.45), trend=trend, actions=actions, lapses=lapses))
    return result


def _level(fw: Framework, rng: random.Random, org: SampleOrganisation, year: int, offset: float) -> int:
    value = org.ability + org.trend * (year - (org.joins or year)) + offset + rng.gauss(0, 0.35)
    return max(1, min(fw.top_level, round(value)))


def _maturity_rows(fw: Framework, rng: random.Random, org: SampleOrganisation, year: int) -> list[dict]:
    focus = [g for g, first in fw.focus_groups.items() if first <= year]
    # Organisations take up more actions as they stay in the programme.
    taken = sorted(org.actions[: max(4, len(org.actions) - 2 * max(0, 2025 - year))], key=lambda a: int(a[1:]))
    area_offset = {area: rng.uniform(-0.3, 0.3) for area in fw.priority_areas}
    group_offset = {"Race": -0.2, "Disability": -0.3, "Sex": 0.0, "Sexual orientation": -0.45, "Age": -0.35}
    rows = []
    for action in taken:
        base = area_offset[fw.actions[action].priority_area]
        level = _level(fw, rng, org, year, base)
        support = rng.choice(fw.learning_formats.values) if level <= 2 and rng.random() < 0.35 else ""
        rows.append(dict(action=action, role="All roles", equality_group=ALL_LONDONERS, intersecting_group="",
                         maturity_level=level, evidence=rng.choice(EVIDENCE), next_step=rng.choice(NEXT_STEPS),
                         support_wanted=support))
        for group in focus:
            if rng.random() < 0.55:
                rows.append(dict(action=action, role=rng.choice(["Employer", "Service provider", "All roles"]),
                                 equality_group=group, intersecting_group="",
                                 maturity_level=_level(fw, rng, org, year, base + group_offset.get(group, 0)),
                                 evidence=rng.choice(EVIDENCE), next_step="", support_wanted=""))
        pairs = [("Race", "Sex"), ("Disability", "Sex")] + ([("Race", "Age"), ("Sexual orientation", "Race")] if year >= 2024 else [])
        if year >= 2023 and rng.random() < 0.25:
            group, second = rng.choice(pairs)
            rows.append(dict(action=action, role="All roles", equality_group=group, intersecting_group=second,
                             maturity_level=_level(fw, rng, org, year, base - 0.6), evidence="Intersectional review",
                             next_step="", support_wanted=""))
    # Some partners list the actions they do not take part in, with the level left blank.
    if rng.random() < 0.3:
        for action in (a for a in fw.actions if a not in taken):
            rows.append(dict(action=action, role="All roles", equality_group=ALL_LONDONERS, intersecting_group="",
                             maturity_level="", evidence="", next_step="", support_wanted=""))
    return rows


def _metric_rows(rng: random.Random, org: SampleOrganisation, year: int) -> list[dict]:
    step = year - (org.joins or year)
    rows = [dict(metric="LLW_ACCREDITED", equality_group="", value="yes" if org.ability + org.trend * step > 1.8 else "no", notes=""),
            dict(metric="LLW_SHARE", equality_group="", value=round(min(100, 80 + 4 * step + rng.uniform(-5, 8)), 1), notes="")]
    for group, gap in (("Race", 12.0), ("Sex", 9.0), ("Disability", 7.0)):
        rows.append(dict(metric="PAY_GAP_MEDIAN", equality_group=group,
                         value=round(gap - 1.5 * step * (1 if org.trend > 0 else -0.5) + rng.uniform(-3, 3), 1), notes=""))
    for group, share in (("Race", 38.0), ("Sex", 52.0)):
        rows.append(dict(metric="WORKFORCE_SHARE", equality_group=group, value=round(share + rng.uniform(-8, 8), 1), notes=""))
        rows.append(dict(metric="SENIOR_SHARE", equality_group=group, value=round(share * 0.6 + 2 * step + rng.uniform(-6, 6), 1), notes=""))
    rows.append(dict(metric="VCS_SPEND_SHARE", equality_group="", value=round(max(0, 4 + step + rng.uniform(-2, 3)), 1), notes=""))
    return rows


def _csv_bytes(columns: list[str], rows: list[dict], encoding="utf-8-sig", separator=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=separator, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


LEVEL_FORMS = [lambda fw, n: str(n), lambda fw, n: fw.level_name(n), lambda fw, n: f"{n} - {fw.maturity_scale[n]}",
               lambda fw, n: f"Level {n}", lambda fw, n: fw.maturity_scale[n].lower()]


def excel_return(fw: Framework, rng: random.Random, org: SampleOrganisation, year: int) -> bytes:
    """One organisation's Excel return, typed the various ways partners type them."""
    form = rng.choice(LEVEL_FORMS)
    maturity = [[row["action"], row["role"], row["equality_group"], row["intersecting_group"] or None,
                 (int(row["maturity_level"]) if form is LEVEL_FORMS[0] else form(fw, row["maturity_level"]))
                 if row["maturity_level"] != "" else None,
                 row["evidence"] or None, row["next_step"] or None, row["support_wanted"] or None]
                for row in _maturity_rows(fw, rng, org, year)]
    return reproducible(return_workbook(org, year, maturity, metric_cells(rng, org, year)))


def metric_cells(rng: random.Random, org: SampleOrganisation, year: int) -> list[list]:
    """The Metrics sheet's rows of an organisation's return, as cells."""
    return [[row["metric"], row["equality_group"] or None, row["value"], row["notes"] or None]
            for row in _metric_rows(rng, org, year)]


def return_workbook(org: SampleOrganisation, year: int, maturity: list[list], metrics: list[list]) -> bytes:
    """The template's three sheets: the organisation's answers, then the maturity and metrics rows given as cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Organisation"
    sheet.append(["Question", "Your answer"])
    for label, value in (("Organisation name", org.name), ("Organisation code", org.code), ("Sector", org.sector),
                         ("Size band", org.size_band), ("Borough", org.borough), ("Reporting year", year_label(year)),
                         ("Contact name", f"Equality lead, {org.name}"),
                         ("Contact email", f"equality@{org.code.lower().replace('-', '')}.example.org")):
        sheet.append([label, value])
    for name, heading, rows in (("Maturity", ["Action", "Role", "Equality group", "Intersecting group", "Maturity level",
                                              "Evidence", "Next step", "Support wanted"], maturity),
                                ("Metrics", ["Metric", "Equality group", "Value", "Notes"], metrics)):
        part = book.create_sheet(name)
        part.append(heading)
        for row in rows:
            part.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FIXED_TIME = (2022, 5, 25, 0, 0, 0)  # the plan's launch date


def reproducible(workbook: bytes) -> bytes:
    """The same workbook as the same bytes: fixed zip entry dates and document timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2022-05-25T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(item.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def events(fw: Framework, rng: random.Random) -> list[dict]:
    rows = []
    number = 0
    for year in (2023, 2024, 2025):
        for month in (3, 4, 5, 6, 7, 9, 10, 11, 12):
            for _ in range(rng.randint(1, 2)):
                number += 1
                learning_format = rng.choices(fw.learning_formats.values, [0.35, 0.3, 0.15, 0.2])[0]
                area = rng.choice(fw.priority_areas)
                rows.append(dict(event_id=f"EV-{number:03d}", date=dt.date(year, month, rng.randint(1, 28)).isoformat(),
                                 learning_format=learning_format, priority_area=area,
                                 title=f"{learning_format}: {fw.priority_area_short[area].lower()}",
                                 delivery=rng.choice(["In person", "Online"])))
    return rows


def attendance(rng: random.Random, orgs: list[SampleOrganisation], event_rows: list[dict]) -> list[dict]:
    rows = []
    for event in event_rows:
        year = int(event["date"][:4])
        engaged = [o for o in orgs if o.joins is not None and o.joins <= year]
        for org in rng.sample(engaged, min(len(engaged), rng.randint(4, 14))):
            rows.append(dict(event_id=event["event_id"], organisation_code=org.code, attendees=rng.randint(1, 6),
                             pitched_right=rng.choices([2, 3, 4, 5], [0.1, 0.25, 0.4, 0.25])[0],
                             will_use=rng.choices([2, 3, 4, 5], [0.1, 0.2, 0.4, 0.3])[0],
                             more_support=rng.choice(MORE_SUPPORT)))
    return rows


def write_sample(out_dir: Path | str, organisations_count: int = 120, excel_returns: int = 12, seed: int = 2022,
                 fw: Framework | None = None, years: tuple[int, ...] = YEARS) -> list[Path]:
    """Write the sample returns to out_dir; the same seed gives the same bytes."""
    fw = fw or framework()
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    orgs = organisations(fw, rng, organisations_count)
    written: list[Path] = []
    latest = years[-1]
    returning = sorted(o.code for o in orgs if o.joins is not None and o.joins <= latest and latest not in o.lapses)
    # Spread the Excel returns across the register, so every kind of partner sends some.
    excel_codes = {returning[round(i * len(returning) / excel_returns)] for i in range(min(excel_returns, len(returning)))} if excel_returns else set()
    maturity_columns = [c.name for c in CSV_KINDS[MATURITY_CSV]]
    metrics_columns = [c.name for c in CSV_KINDS[METRICS_CSV]]
    for year in years:
        maturity_rows, metric_rows = [], []
        for org in orgs:
            if org.joins is None or org.joins > year or year in org.lapses:
                continue
            if year == latest and org.code in excel_codes:
                path = out / "returns" / year_label(year) / f"{org.code}.xlsx"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(excel_return(fw, rng, org, year))
                written.append(path)
                continue
            details = dict(organisation_code=org.code, organisation_name=org.name, sector=org.sector,
                           reporting_year=year_label(year))
            maturity_rows += [{**details, **row} for row in _maturity_rows(fw, rng, org, year)]
            metric_rows += [{**details, **row} for row in _metric_rows(rng, org, year)]
        # One year comes as Excel in a European locale saves it: Windows-1252 and semicolons.
        encoding, separator = ("cp1252", ";") if year == years[min(1, len(years) - 1)] else ("utf-8-sig", ",")
        for kind, columns, rows in (("maturity", maturity_columns, maturity_rows), ("metrics", metrics_columns, metric_rows)):
            if rows:
                path = out / f"{kind}_{year_label(year)}.csv"
                path.write_bytes(_csv_bytes(columns, rows, encoding, separator))
                written.append(path)
    # The GLA's register of partners, with contacts: every organisation, engaged or not yet.
    register = [dict(organisation_code=o.code, organisation_name=o.name, sector=o.sector, size_band=o.size_band,
                     borough=o.borough, contact_name=f"Equality lead, {o.name}",
                     contact_email=f"equality@{o.code.lower().replace('-', '')}.example.org") for o in orgs]
    path = out / "organisations.csv"
    path.write_bytes(_csv_bytes([c.name for c in CSV_KINDS[REGISTER_CSV]], register))
    written.append(path)
    event_rows = events(fw, rng)
    for name, kind, rows in (("learning_events.csv", EVENTS_CSV, event_rows),
                             ("attendance.csv", ATTENDANCE_CSV, attendance(rng, orgs, event_rows))):
        path = out / name
        path.write_bytes(_csv_bytes([c.name for c in CSV_KINDS[kind]], rows))
        written.append(path)
    return written


def sample_files(directory: Path | str) -> list[Path]:
    """The files of a sample folder in the order they should be loaded (earliest first, learning last)."""
    directory = Path(directory)
    files = [p for p in directory.rglob("*") if p.suffix.lower() in (".csv", ".xlsx") and "invalid" not in p.parts]

    def order(path: Path):
        # The register first, then the returns, then learning events before the attendance that refers to them.
        name = path.name
        return (not name.startswith("organisations"), name.startswith(("learning", "attendance")),
                name.startswith("attendance"), str(path))

    return sorted(files, key=order)
