"""The learning programme's figures, worked out by hand on a small store."""

import datetime as dt

import pytest
from conftest import MATURITY_CSV_HEADER, csv_bytes, maturity_row

from bfc_data.analysis import learning
from bfc_data.reference import programme
from bfc_data.store import load_files

EVENTS = ["event_id", "date", "learning_format", "priority_area", "title", "delivery"]
ATTENDANCE = ["event_id", "organisation_code", "attendees", "pitched_right", "will_use", "more_support"]


@pytest.fixture
def small(store):
    maturity = []
    # Six Health organisations with two returns each. Living standards (A1): ORG-0001..3 move 1 -> 3 (+2),
    # ORG-0004..6 stay at 2 (0). ORG-0001..3 went to a study tour.
    for n in range(1, 7):
        code = f"ORG-000{n}"
        before, after = ("1", "3") if n <= 3 else ("2", "2")
        support = "Study tour" if n == 4 else ""
        maturity += [maturity_row(code=code, name=f"Org {n}", sector="Health", year="2023-24", level=before),
                     maturity_row(code=code, name=f"Org {n}", sector="Health", year="2024-25", level=after)[:11] + [support]]
    events = [["EV-1", "2024-05-01", "Study tour", "Living standards", "Visit", "In person"],
              ["EV-2", "2024-06-01", "Challenge event", "Civil society strength", "Talk", "Online"]]
    attendance = [["EV-1", f"ORG-000{n}", "2", str(n + 1), "4", "More on data" if n == 1 else ""] for n in range(1, 4)]
    load_files(store, [("m.csv", csv_bytes(MATURITY_CSV_HEADER, maturity)), ("e.csv", csv_bytes(EVENTS, events)),
                       ("a.csv", csv_bytes(ATTENDANCE, attendance))], "test")
    return store


def records(frame):
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_events_by(small):
    assert records(learning.events_by(small, "learning_format")) == [("Challenge event", 1), ("Study tour", 1)]
    assert records(learning.events_by(small, "quarter")) == [("2024 Q2", 2)]
    assert records(learning.events_by(small, "delivery")) == [("In person", 1), ("Online", 1)]


def test_attendance_and_feedback(small):
    assert records(learning.attendance_by(small, "sector")[["sector", "organisations", "attendees"]]) == [("Health", 3, 6.0)]
    feedback = learning.feedback_by_format(small).iloc[0]
    # Pitched right 2, 3, 4 -> mean 3.00, quartiles 2.5 and 3.5; will use 4, 4, 4 -> all 4 or 5.
    assert (feedback["learning_format"], feedback["responses"], feedback["pitched_right_mean"], feedback["pitched_right_q1"],
            feedback["pitched_right_q3"], feedback["will_use_4_or_5"]) == ("Study tour", 3, 3.0, 2.5, 3.5, 100.0)
    hidden = learning.feedback_by_format(small, threshold=5)
    # Hidden with its count: a member sees a count of organisations only beside a figure that is shown.
    assert hidden["pitched_right_mean"].isna().all() and hidden["organisations"].isna().all()


def test_more_support_is_withheld_for_small_groups(small):
    assert records(learning.more_support(small)) == [("Living standards", 1, "More on data", 1)]
    assert learning.more_support(small, threshold=2).empty


def test_demand_and_delivery(small):
    frame = learning.demand_and_delivery(small, 2024)
    # ORG-0004 asked for a study tour in living standards in 2024-25; one was delivered (May 2024), three attended.
    # A challenge event in civil society was delivered with nobody asking.
    assert records(frame) == [("Challenge event", "Civil society strength", 0, 1, 0, False),
                              ("Study tour", "Living standards", 1, 1, 3, False)]
    assert learning.demand_and_delivery(small, 2023)["unmet"].tolist() == []


def test_learning_and_progress_and_its_suppression(small):
    frame = learning.learning_and_progress(small)
    row = frame[(frame["learning_format"] == "Study tour") & (frame["priority_area"] == "Living standards")].iloc[0]
    # Took part: three organisations, each +2 -> +2.00. Did not: three, each 0 -> 0.00.
    assert (row["took_part"], row["took_part_change"], row["did_not"], row["did_not_change"], row["difference"]) == (3, 2.0, 3, 0.0, 2.0)
    hidden = learning.learning_and_progress(small, threshold=5)
    row = hidden[(hidden["learning_format"] == "Study tour") & (hidden["priority_area"] == "Living standards")].iloc[0]
    assert row["suppressed"] and row[["took_part_change", "did_not_change", "difference"]].isna().all()
    assert row[["took_part", "did_not"]].isna().all()


def test_target_sectors(small):
    frame = learning.target_sectors(small, 2024)
    assert frame.empty  # Health is not a year-two target sector


def test_programme_timeline_and_flagged_discrepancy():
    timeline = programme.timeline(today=dt.date(2024, 7, 1))
    assert timeline[timeline["status"] == "done"]["milestone"].tolist() == ["Learning programme delivery begins"] + ["Quarterly review"] * 2
    assert (timeline["status"] == "due").sum() == 5
    [flag] = programme.discrepancies().itertuples(index=False)
    assert (flag.stated, flag.against) == (72625, 72765) and "1.10 and 6.3" in flag.where
    money = programme.money().set_index("item")["amount"]
    assert money.iloc[1] + money.iloc[2] == money.iloc[0] == 72765
