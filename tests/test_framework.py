import shutil

import pytest

from bfc_data.reference.framework import REFERENCE_DIR, ReferenceError, key, load_framework


def copy_reference(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def test_bundled_reference_holds_the_plan(fw):
    assert len(fw.actions) == 14
    assert list(fw.actions)[:3] == ["A1", "A2", "A3"] and list(fw.actions)[-1] == "A14"
    assert len(fw.priority_areas) == 4
    assert all(a.priority_area in fw.priority_areas for a in fw.actions.values())
    assert all(a.working_title for a in fw.actions.values()), "titles are working titles until the plan's wording is entered"
    assert fw.maturity_scale == {1: "Starting", 2: "Developing", 3: "Achieving", 4: "Excelling"}
    assert set(fw.roles.values) == {"Employer", "Service provider", "Influencer", "All roles"}
    assert len(fw.equality_groups.values) == 12
    assert len(fw.sectors.values) == 14
    assert set(fw.learning_formats.values) == {"Challenge event", "Action-learning set", "Study tour", "Resources"}


@pytest.mark.parametrize("typed, meant", [
    ("Ethnicity", "Race"), ("gender", "Sex"), ("LGBTQI+", "Sexual orientation"), ("Older Londoners", "Age"),
    ("  all londoners ", "All Londoners"), ("Socio-economic", "Socio-economic disadvantage"),
])
def test_equality_group_variants(fw, typed, meant):
    assert fw.equality_groups.match(typed)[0] == meant


@pytest.mark.parametrize("typed, meant, variant", [
    ("Housing Associations", "Housing association", True), ("VCS", "Voluntary and community", True),
    ("LOCAL GOVERNMENT", "Local government", False), ("higher education ", "Higher education", False),
])
def test_sector_variants(fw, typed, meant, variant):
    assert fw.sectors.match(typed) == (meant, variant)


def test_unknown_value_matches_nothing(fw):
    assert fw.sectors.match("Spaceflight") is None
    assert fw.sectors.match("") is None


def test_title_change_needs_no_code_change(tmp_path):
    ref = copy_reference(tmp_path)
    text = (ref / "actions.csv").read_text()
    (ref / "actions.csv").write_text(text.replace("Pay the London Living Wage and become an accredited Living Wage employer",
                                                  "Pay the London Living Wage (agreed wording)"))
    (ref / "sectors.csv").write_text((ref / "sectors.csv").read_text().replace("Law centres|", "Law centres|Legal advice centre|"))
    fw = load_framework(ref)
    assert fw.actions["A1"].title == "Pay the London Living Wage (agreed wording)"
    assert fw.sectors.match("legal advice centre") == ("Law centre", True)


@pytest.mark.parametrize("file, find, replace, message", [
    ("actions.csv", "A2,", "A1,", "repeats row"),
    ("actions.csv", "A3,Make sure services reach people facing financial hardship and help them claim what they are entitled to,"
     "Reaching people in hardship,Living standards",
     "A3,Make sure services reach people,Reaching people,Housing", "not in priority_areas.csv"),
    ("sectors.csv", "Council|", "Council|VCS|", "already means"),
    ("metrics.csv", "LLW_SHARE,Share of staff paid at least the London Living Wage,Living standards,%,higher,0,100",
     "LLW_SHARE,Share of staff paid at least the London Living Wage,Living standards,%,higher,100,0", "above max_value"),
    ("equality_groups.csv", "All Londoners,", "Everyone else,", "must list 'All Londoners'"),
    ("maturity_scale.csv", "3,Achieving", "5,Achieving", "without gaps"),
])
def test_broken_reference_is_refused_with_a_clear_message(tmp_path, file, find, replace, message):
    ref = copy_reference(tmp_path)
    text = (ref / file).read_text()
    assert find in text
    (ref / file).write_text(text.replace(find, replace, 1))
    with pytest.raises(ReferenceError, match=message) as error:
        load_framework(ref)
    assert file in str(error.value) or "equality_groups" in str(error.value) or "maturity_scale" in str(error.value)


def test_missing_reference_file(tmp_path):
    ref = copy_reference(tmp_path)
    (ref / "roles.csv").unlink()
    with pytest.raises(ReferenceError, match="roles.csv is missing"):
        load_framework(ref)


def test_key_ignores_case_spacing_and_punctuation():
    assert key(" Pregnancy & Maternity ") == key("pregnancy and maternity")
    assert key("Maturity_level") == key("maturity level")


def test_year_two_sectors_and_focus_labels_come_from_the_reference_files(fw):
    assert fw.year_two_sectors == ("Housing association", "Higher education", "Trade union", "Law centre",
                                   "Voluntary and community")
    assert fw.focus_label("Age", 2024) == "Age (focus group from 2024-25)"
    assert fw.focus_label("Age", 2023) == "Age", "not yet a focus group in 2023-24"
    assert fw.focus_label("Race", 2022) == "Race (focus group from 2022-23)"
    assert fw.focus_label("Religion or belief", 2025) == "Religion or belief"
