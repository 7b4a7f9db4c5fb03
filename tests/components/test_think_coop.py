"""The Think.Coop exercises, driven like a group of learners would: type, tick, click, read."""

from __future__ import annotations

import pytest

from coopcourse import content
from coopcourse.exercises import think_coop
from coopcourse.text import text
from tests import hostile
from tests.components.frames import results


def results_table(frame):  # type: ignore[no-untyped-def]
    return results(frame)[0]


def chart(frame):  # type: ignore[no-untyped-def]
    return next(w for w in results(frame) if type(w).__name__ == "Chart")


def scenario_controls(frame):  # type: ignore[no-untyped-def]
    box = frame.tools.children[0]
    choose, _story, confirm = box.children
    return choose, confirm


# --- joint purchasing -----------------------------------------------------------------------------


@pytest.fixture
def purchase():  # type: ignore[no-untyped-def]
    return think_coop.joint_purchasing()


def test_joint_purchasing_starts_with_the_tuk_tuk_example(purchase) -> None:  # type: ignore[no-untyped-def]
    table = results_table(purchase).frame
    assert list(table[text("joint_purchasing.col_member")]) == ["Dara", "Sokha", "Bopha", "Vannak", "Chenda", "Rithy"]
    # By hand: 200 litres x 90 + 600 = 18,600, so 93 a litre; Dara's 50 litres: 5,000 alone, 4,650 together.
    assert table[text("joint_purchasing.col_alone")][0] == "5,000.00"
    assert table[text("joint_purchasing.col_together")][0] == "4,650.00"
    assert table[text("joint_purchasing.col_saving")][0] == "350.00"
    assert purchase.feedback.kind == "success"
    assert "93.00" in purchase.feedback.message and "1,400.00" in purchase.feedback.message  # 20,000 - 18,600
    assert "from a group of 4 members" in purchase.feedback.message
    assert chart(purchase).draw_count == 1
    assert "6 members" in chart(purchase).alt_text


def test_joint_purchasing_recalculates_when_a_quantity_is_typed(purchase) -> None:  # type: ignore[no-untyped-def]
    members = purchase.fields["members"]
    members.cells[0][1].entry.value = "120"  # Dara alone now reaches the 95 tier: 11,400
    table = results_table(purchase).frame
    assert table[text("joint_purchasing.col_quantity")][0] == "120"
    assert table[text("joint_purchasing.col_alone")][0] == "11,400.00"
    assert chart(purchase).draw_count == 2


def test_joint_purchasing_without_a_coordination_cost(purchase) -> None:  # type: ignore[no-untyped-def]
    # (Bad coordination costs: tests/components/test_bad_input.py.)
    field = purchase.fields["coordination_cost"]
    field.entry.value = "0"
    assert field.error == ""
    assert purchase.feedback.kind == "success"
    assert results_table(purchase).frame[text("joint_purchasing.col_together")][0] == "4,500.00"  # 50 * 90


def test_joint_purchasing_stops_paying_when_the_cost_eats_the_discount(purchase) -> None:  # type: ignore[no-untyped-def]
    purchase.fields["coordination_cost"].entry.value = "2000"  # 18,000 + 2,000 = 20,000: what all pay alone
    assert results_table(purchase).frame[text("joint_purchasing.col_saving")][0] == "0.00"
    assert purchase.feedback.kind == "warning"


def test_joint_purchasing_duplicate_and_blank_names(purchase, learner_message) -> None:  # type: ignore[no-untyped-def]
    members = purchase.fields["members"]
    before = results_table(purchase).frame.copy()
    members.cells[0][0].entry.value = "sokha"
    assert 'the name "Sokha" appears twice' in members.error
    learner_message(members.error)
    assert purchase.feedback.kind == "warning"
    assert results_table(purchase).frame.equals(before)
    assert members.cells[0][1].value == 50  # the quantity typed next to it is kept
    members.cells[0][0].entry.value = "   "
    assert "needs a name" in members.error
    members.cells[0][0].entry.value = "Dara"
    assert members.error == ""
    assert purchase.feedback.kind == "success"


def test_joint_purchasing_new_row_asks_for_a_name(purchase) -> None:  # type: ignore[no-untyped-def]
    members = purchase.fields["members"]
    members.add_row()
    assert len(members.value) == 7
    assert "needs a name" in members.error
    members.cells[6][0].entry.value = "Gift"
    assert members.error == ""
    assert list(results_table(purchase).frame[text("joint_purchasing.col_member")])[-1] == "Gift"
    members.remove_row(6)  # its remove button
    assert len(results_table(purchase).frame) == 6


def test_joint_purchasing_hostile_member_name_is_shown_as_text(purchase) -> None:  # type: ignore[no-untyped-def]
    purchase.fields["members"].cells[0][0].entry.value = hostile.IMAGE
    table = results_table(purchase)
    assert table.frame[text("joint_purchasing.col_member")][0] == hostile.IMAGE
    assert "<img" not in table.value
    assert "<img src=x" not in purchase.feedback.value
    assert hostile.IMAGE in purchase.fields["buying_alone"].value or hostile.IMAGE in [
        box.description for box in purchase.fields["buying_alone"].boxes.children
    ]


def test_joint_purchasing_bad_tiers(purchase, learner_message) -> None:  # type: ignore[no-untyped-def]
    tiers = purchase.fields["tiers"]
    before = results_table(purchase).frame.copy()
    tiers.cells[0][0].entry.value = "10"
    assert tiers.error == text("joint_purchasing.error_first_tier")
    learner_message(tiers.error)
    assert results_table(purchase).frame.equals(before)
    tiers.cells[0][0].entry.value = "0"
    tiers.cells[2][1].entry.value = "99"  # 90 -> 99 from 200 litres: cheaper tier costs more
    assert tiers.error == text("joint_purchasing.error_price_rises")
    tiers.cells[2][1].entry.value = "90"
    tiers.cells[2][0].entry.value = "100"  # two tiers from 100 litres
    assert tiers.error == text("joint_purchasing.error_same_tier_start")
    tiers.cells[2][0].entry.value = "200"
    assert tiers.error == "" and purchase.feedback.kind == "success"
    assert results_table(purchase).frame.equals(before)


def test_joint_purchasing_free_riding(purchase) -> None:  # type: ignore[no-untyped-def]
    picker = purchase.fields["buying_alone"]
    assert [box.description for box in picker.boxes.children] == ["Dara", "Sokha", "Bopha", "Vannak", "Chenda", "Rithy"]
    picker.boxes.children[0].value = True  # Dara buys alone
    assert picker.value == ["Dara"]
    # By hand: the other five order 150 litres, the 95 tier: 14,250 + 600 = 14,850, 99 a litre.
    # Alone they would pay 150 x 100 = 15,000, so 150 is left of the 1,050 they saved: 900 less.
    message = purchase.feedback.message
    assert (
        text("joint_purchasing.free_riding_hurts", count=1, lost="900.00", unit_cost="99.00", remaining_saving="150.00")
        in message
    )
    assert purchase.feedback.kind == "warning"  # leaving hurts the group: no "well done"
    after = list(results_table(purchase).frame[text("joint_purchasing.col_after_leaving")])
    assert after == ["5,000.00", "3,960.00", "2,970.00", "2,970.00", "2,970.00", "1,980.00"]
    picker.boxes.children[1].value = True  # Sokha too: 110 litres x 95 + 600 = 11,050, 100.45 a litre
    # Alone the four would pay 110 x 100 = 11,000: together they lose 50, and the page says so in words.
    message = purchase.feedback.message
    assert text("joint_purchasing.free_riding_loses", count=2, unit_cost="100.45", loss="50.00") in message
    assert "-50" not in message
    # Renaming a member who buys alone drops the tick rather than keeping a stale name.
    purchase.fields["members"].cells[0][0].entry.value = "Darith"
    assert picker.value == ["Sokha"]


def test_joint_purchasing_scenario_loads_only_after_confirming(purchase) -> None:  # type: ignore[no-untyped-def]
    purchase.fields["coordination_cost"].entry.value = "123"
    choose, load = scenario_controls(purchase)
    choose.value = "market_vendors"
    load.button.click()
    assert purchase.fields["coordination_cost"].value == 123  # nothing replaced yet
    assert load.note.kind == "warning"
    load.cancel.click()
    assert purchase.fields["coordination_cost"].value == 123
    load.button.click()
    load.confirm.click()
    assert purchase.fields["coordination_cost"].value == 150
    assert purchase.fields["coordination_cost"].entry.value == "150"
    assert len(purchase.fields["members"].value) == 12
    assert next(iter(results_table(purchase).frame[text("joint_purchasing.col_member")])) == "Vendor 1"
    assert purchase.feedback.kind in {"success", "warning"}


# --- shared equipment -----------------------------------------------------------------------------


@pytest.fixture
def equipment():  # type: ignore[no-untyped-def]
    return think_coop.shared_equipment()


def equipment_column(frame, key: str, unit: str = "hours") -> list[str]:  # type: ignore[no-untyped-def]
    return list(results_table(frame).frame[text(key, unit=unit)])


def test_shared_equipment_starts_with_the_coffee_depulper(equipment) -> None:  # type: ignore[no-untyped-def]
    # By hand: 4,000 / 5 years + 200 = 1,000 a year to own, no interest, no value at the end.
    # 200 hours of use: 1,000 / 200 + 5 fuel = 10 an hour. Rosa alone: (1,000 + 20 x 5) / 20 = 55 an hour.
    assert equipment_column(equipment, "equipment.col_share") == ["10.0%", "15.0%", "20.0%", "25.0%", "30.0%"]
    assert equipment_column(equipment, "equipment.col_cost_shared") == [
        "200.00",
        "300.00",
        "400.00",
        "500.00",
        "600.00",
    ]
    assert equipment_column(equipment, "equipment.col_per_unit_shared", unit="hour") == ["10.00"] * 5
    assert equipment_column(equipment, "equipment.col_per_unit_alone", unit="hour") == [
        "55.00",
        "38.33",
        "30.00",
        "25.00",
        "21.67",
    ]
    assert equipment_column(equipment, "equipment.col_saving") == ["900.00", "850.00", "800.00", "750.00", "700.00"]
    assert equipment.feedback.kind == "success"
    assert "1,000.00" in equipment.feedback.message and "4,000.00" in equipment.feedback.message


def test_shared_equipment_unit_changes_the_headings(equipment) -> None:  # type: ignore[no-untyped-def]
    assert [label for label, _ in equipment.fields["unit"].options] == ["hours", "hectares"]  # metric only
    equipment.fields["unit"].value = "hectares"
    assert equipment_column(equipment, "equipment.col_per_unit_shared", unit="hectare") == ["10.00"] * 5
    assert "per hectare" in chart(equipment).alt_text and "per hectares" not in chart(equipment).alt_text
    assert "per hectare." in equipment.feedback.message or "per hectare " in equipment.feedback.message


def test_shared_equipment_salvage_error_clears_when_price_rises(equipment) -> None:  # type: ignore[no-untyped-def]
    equipment.fields["salvage_value"].entry.value = "5000"
    assert equipment.fields["salvage_value"].error
    equipment.fields["price"].entry.value = "6000"  # now the salvage value is below the price
    assert equipment.fields["salvage_value"].error == ""
    assert equipment.feedback.kind == "success"
    assert equipment.fields["salvage_value"].value == 5_000


def test_shared_equipment_members(equipment, learner_message) -> None:  # type: ignore[no-untyped-def]
    members = equipment.fields["members"]
    members.cells[1][1].entry.value = "20"  # now Rosa and Carmen both use 20 hours of 190
    assert equipment_column(equipment, "equipment.col_share")[:2] == ["10.5%", "10.5%"]
    members.cells[1][0].entry.value = "rosa"
    assert "appears twice" in members.error
    learner_message(members.error)
    assert equipment_column(equipment, "equipment.col_share")[:2] == ["10.5%", "10.5%"]
    members.cells[1][0].entry.value = hostile.IMAGE
    assert "<img" not in results_table(equipment).value
    assert results_table(equipment).frame[text("equipment.col_member")][1] == hostile.IMAGE


def test_shared_equipment_scenario_loads_only_after_confirming(equipment) -> None:  # type: ignore[no-untyped-def]
    choose, load = scenario_controls(equipment)
    choose.value = "tractor_group"
    load.button.click()
    assert equipment.fields["price"].value == 4_000
    load.confirm.click()
    assert equipment.fields["price"].value == 40_000
    assert equipment.fields["unit"].value == "hectares"
    assert len(results_table(equipment).frame) == 8
    # By hand: (40,000 - 4,000) / 10 + 44,000 / 2 x 5% + 300 = 5,000 a year; 100 ha: 50 + 20 fuel = 70 a hectare.
    assert equipment_column(equipment, "equipment.col_per_unit_shared", unit="hectare") == ["70.00"] * 8


# --- structure comparison -------------------------------------------------------------------------


def test_structure_comparison() -> None:
    frame = think_coop.structure_comparison()
    document = content.load("structures")
    comparison = frame.tools.children[0]
    assert list(comparison.frame.columns)[1:] == [s["name"] for s in document["structures"]]
    ranking = results_table(frame)
    assert list(ranking.frame[text("structures.col_points")]) == [0, 0, 0, 0]
    assert frame.feedback.kind == "info"
    answers = {
        "purpose": "shared_need",
        "people": "many",
        "decisions": "equal",
        "capital": "little_each",
        "risk": "limited",
        "surplus": "by_use",
    }
    for key, option in answers.items():
        frame.fields[key].value = option
    # Cooperative: 3 + 3 + 3 + 2 + 2 + 3 = 16; company: 1 (many) + 2 (limited) = 3.
    assert ranking.frame[text("structures.col_structure")][0] == "Cooperative"
    assert ranking.frame[text("structures.col_points")][0] == 16
    assert frame.feedback.kind == "success"
    assert frame.feedback.message == text("structures.result", best="Cooperative", points=16)
    frame.fields["purpose"].value = None
    assert frame.feedback.message == text("structures.answer_more", missing=1)


# --- readiness ------------------------------------------------------------------------------------


def test_readiness_checklist() -> None:
    frame = think_coop.readiness_checklist()
    pickers = list(frame.fields.values())
    assert frame.feedback.kind == "info"
    pickers[0].value = "yes"
    assert frame.feedback.message.startswith(f"1 of {len(pickers)} statements answered")
    for picker in pickers:
        picker.value = "yes"
    assert frame.feedback.kind == "success"
    assert "100.0%" in frame.feedback.message
    pickers[0].value = "no"
    pickers[1].value = "partly"
    discuss = results(frame)[1]
    assert discuss.value.count("<li>") == 2
    themes = content.load("readiness")["themes"]
    table = results_table(frame).frame
    assert next(iter(table[text("readiness.col_theme")])) == themes["need"]
    assert next(iter(table[text("readiness.col_score")])) == "25.0%"  # no (0) + partly (1) out of 4
    for picker in pickers:
        picker.value = "no"
    assert frame.feedback.kind == "warning"
    assert "0.0%" in frame.feedback.message
