"""Country profiles: the files, the server's choice, the group's choice on the landing page, and
no calculator naming a country's law unless the chosen profile does."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import jsonschema
import pytest

from coopcourse import content, saving, serving
from coopcourse.components.saved_work import saved_work_bar
from coopcourse.content import country
from coopcourse.exercises import course
from coopcourse.exercises.manage_coop import finance
from tests.components.frames import exercise_builders, open_work_as, walk

# What names a country's law on a page: an act, a code, an article.
LAW_NAMES = re.compile(
    r"RA ?9520|Republic Act|Cooperative Code|Civil Code|Codice|\bLey\b|\bLoi\b|§|\bart(icle)?\.? ?\d|Maryland"
)


def visible_text(widget: widgets.Widget) -> str:
    """Every word a widget tree shows: HTML and labels, descriptions, option labels, placeholders."""
    parts: list[str] = []
    for part in walk(widget):
        for trait in ("value", "description", "placeholder", "tooltip"):
            value = getattr(part, trait, None)
            if isinstance(value, str):
                parts.append(value)
        parts += [str(label) for label in getattr(part, "_options_labels", ())]
    return "\n".join(parts)


@pytest.mark.parametrize("profile_id", country.profile_ids())
def test_every_profile_follows_its_schema_and_is_named_by_its_file(profile_id: str) -> None:
    document = country.raw_profile(profile_id)
    jsonschema.validate(document, content.schema("country_profile"))
    assert document["id"] == profile_id
    profile = country.profile(profile_id)
    for fact in profile.law.values():
        assert fact.source.strip(), f"{profile_id}: a legal figure without its source"
    for rule in profile.surplus_funds.values():
        assert rule.minimum is None or rule.maximum is None or rule.minimum <= rule.maximum


def test_the_course_has_the_profiles_the_workshops_need() -> None:
    assert {"neutral", "pe", "bo", "co", "ph", "mg"} <= set(country.profile_ids())
    assert country.profile_ids()[0] == country.NEUTRAL
    assert country.profile("neutral").law == {} and country.profile("neutral").is_neutral


def test_a_profile_missing_a_source_is_refused_by_the_schema() -> None:
    document = country.raw_profile("co")
    del document["law"]["minimum_founders"]["source"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, content.schema("country_profile"))


def test_the_server_profile_comes_from_the_environment(monkeypatch) -> None:
    assert saving.current_profile().id == "neutral"
    monkeypatch.setenv(country.PROFILE_VARIABLE, "PE")
    assert saving.current_profile().id == "pe"
    monkeypatch.setenv(country.PROFILE_VARIABLE, "atlantis")
    assert saving.current_profile().id == "neutral"


def test_make_serve_says_which_profile_it_uses() -> None:
    assert "Colombia (co)" in serving.profile_line({country.PROFILE_VARIABLE: "co"})
    assert "none" in serving.profile_line({})
    unknown = serving.profile_line({country.PROFILE_VARIABLE: "atlantis"})
    assert "Problem" in unknown and "atlantis" in unknown and "ph" in unknown


def test_a_groups_choice_on_the_landing_page_holds_on_its_other_pages(monkeypatch) -> None:
    monkeypatch.setenv(country.PROFILE_VARIABLE, "pe")
    bar = saved_work_bar()
    choice = course.country_choice()
    assert choice.fields["profile"].value == "pe"  # starts from the server's profile
    open_work_as(bar, "Quinoa growers of Puno")
    choice.fields["profile"].value = "ph"
    assert "at least 15" in visible_text(choice) and "Art. 86" in visible_text(choice).replace("art.", "Art.")

    saving.start_new_session()  # the group opens the surplus page, on another kernel
    bar = saved_work_bar()
    surplus = finance.surplus_distribution()
    assert "Peru" in visible_text(surplus)  # the server's profile until the group opens its work
    open_work_as(bar, "Quinoa growers of Puno")
    assert saving.current_profile().id == "ph"
    surplus.fields["reserve_percent"].value = 5.0
    shown = visible_text(surplus)
    assert "Philippines" in shown and "below the 10% minimum" in shown


def test_a_damaged_saved_choice_falls_back_to_the_servers_profile(monkeypatch) -> None:
    bar = saved_work_bar()
    open_work_as(bar, "Vendors")
    session = saving.current_session()
    session.store.save("Vendors", saving.PROFILE_CHOICE, {"profile": "../../etc"})
    assert saving.current_profile().id == "neutral"


def country_examples(part: str = "story") -> list[str]:
    """The stories (or sources) of scenarios marked as one country's example (``country_example``):
    they say whose law they follow, and may name it."""
    return [
        scenario[part]
        for name in content.content_files()
        if name.startswith("scenarios/")
        for scenario in content.load(name)["scenarios"]
        if "country_example" in scenario
    ]


def test_without_a_profile_no_calculator_names_a_countrys_law() -> None:
    examples = country_examples() + country_examples("source")
    for name, build in exercise_builders().items():
        if name == "course.country_choice":  # the choice itself lists the countries and their laws
            continue
        saving.start_new_session()
        shown = visible_text(build())
        for story in examples:
            shown = shown.replace(html.escape(story), "").replace(story, "")
        found = LAW_NAMES.search(shown)
        assert found is None, f"{name} names {found.group(0)!r} with no country chosen"


def test_with_a_profile_its_law_is_named_where_it_matters(monkeypatch) -> None:
    monkeypatch.setenv(country.PROFILE_VARIABLE, "co")
    shown = visible_text(finance.surplus_distribution())
    assert "Ley 79 de 1988" in shown and "Solidarity fund: at least 10%" in shown


def test_money_is_written_in_the_profiles_currency_and_plain_without_one(monkeypatch) -> None:
    plain = visible_text(finance.financial_statements())
    assert not re.search(r"S/ ?[0-9]", plain)
    monkeypatch.setenv(country.PROFILE_VARIABLE, "pe")
    soles = visible_text(finance.financial_statements())
    amounts = re.findall(r"-?S/ ?[0-9][0-9,]*\.[0-9]{2}", soles)
    assert len(amounts) >= 5, "the statements' amounts carry Peru's sol"
    for amount in amounts:  # the same figures as without a profile, only the symbol added
        assert f">{amount.replace('S/', '').strip()}<" in plain, amount


def test_a_country_example_says_whose_law_it_follows() -> None:
    for story in country_examples():
        assert re.search(r"Philippin|Peru|Bolivia|Colombia|Madagascar", story), story
        assert "your country's law" in story, "the example says that the group's own law decides for it"


def test_the_governance_design_starts_from_the_countrys_quorum_and_says_whose_it_is(monkeypatch) -> None:
    from coopcourse.exercises import start_coop

    neutral = start_coop.governance_structure()
    assert neutral.fields["quorum_percent"].value == 25  # a figure to practise with
    assert "set by your country's law and your by-laws" in html.unescape(visible_text(neutral))

    monkeypatch.setenv(country.PROFILE_VARIABLE, "co")  # Ley 79 de 1988, art. 31: half of the members
    saving.start_new_session()
    design = start_coop.governance_structure()
    assert design.fields["quorum_percent"].value == 50
    assert "Ley 79 de 1988 sets the quorum of a general assembly at 50%" in html.unescape(visible_text(design))
    design.fields["quorum_percent"].value = 20.0
    shown = html.unescape(visible_text(design))
    assert "Your quorum (20%) is lower than the 50% that Ley 79 de 1988 sets" in shown
    assert "at least 10 attend" not in shown and "at least 5 attend" in shown  # 20% of 25 members, still shown


def test_the_registration_steps_say_where_the_countrys_cooperatives_register(monkeypatch) -> None:
    from coopcourse.exercises import start_coop

    assert "set by your country's law" in html.unescape(visible_text(start_coop.registration_timeline()))
    monkeypatch.setenv(country.PROFILE_VARIABLE, "co")
    saving.start_new_session()
    shown = html.unescape(visible_text(start_coop.registration_timeline()))
    assert "In Colombia, a cooperative registers with: Cámara de Comercio" in shown
    assert "Colombia's law asks for at least 20 founders." in shown
