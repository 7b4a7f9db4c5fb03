"""Choices that hold for the whole course, made on the landing page: the group's country profile."""

from __future__ import annotations

import html

import ipywidgets as widgets

from coopcourse.components import ExerciseFrame, shared
from coopcourse.content import country
from coopcourse.formatting import percent_trimmed
from coopcourse.saving import PROFILE_CHOICE, current_profile
from coopcourse.text import text

FUND_ORDER = ("reserve", "education", "community", "solidarity", "optional")


def country_choice() -> ExerciseFrame:
    """The group chooses its country profile; every page opened under the group's name uses it."""
    options = [
        (text("profile.neutral_option") if pid == country.NEUTRAL else country.profile(pid).country, pid)
        for pid in country.profile_ids()
    ]
    picker = widgets.Dropdown(
        options=options,
        value=current_profile().id,
        description=text("profile.choose"),
        style=shared.style(widgets.Dropdown, description_width="initial"),
        layout=shared.layout(),
    )
    facts = shared.html()
    frame = ExerciseFrame(
        PROFILE_CHOICE, text("profile.title"), text("profile.instructions"), {"profile": picker}, [facts]
    )

    def update() -> None:
        facts.value = profile_facts_html(country.profile(str(picker.value)))

    return frame.bind(update)


def profile_facts_html(profile: country.CountryProfile) -> str:
    """What a profile tells the group, each legal figure with its source, as a short list."""
    if profile.is_neutral:
        return f'<p class="coop-instructions">{html.escape(text("profile.neutral_facts"))}</p>'
    lines = [
        text("profile.currency", name=profile.currency_name, code=profile.currency_code, symbol=profile.currency_symbol)
    ]
    for key in ("act", "minimum_founders", "registration", "supervisor", "assembly_quorum_percent"):
        fact = profile.legal(key)
        if fact is not None:
            value = percent_trimmed(float(fact.value), 2) if key.endswith("_percent") else fact.value
            lines.append(text(f"profile.fact_{key}", value=value, source=fact.source))
    for fund in FUND_ORDER:
        rule = profile.surplus_funds.get(fund)
        if rule is not None:
            lines.append(fund_rule_text(fund, rule))
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    caution = html.escape(text("profile.caution", checked=profile.checked))
    return f'<ul class="coop-profile-facts">{items}</ul><p class="coop-instructions">{caution}</p>'


def fund_rule_text(fund: str, rule: country.FundRule) -> str:
    """One fund's rule in a country's law: "Legal reserve: at least 10% of the net surplus (...)"."""
    name = text(f"surplus.fund_{fund}")
    if rule.minimum is not None and rule.maximum is not None:
        key = "profile.fund_range"
    elif rule.minimum is not None:
        key = "profile.fund_minimum"
    else:
        key = "profile.fund_maximum"
    limits = {"minimum": rule.minimum, "maximum": rule.maximum}
    written = {limit: percent_trimmed(float(value), 2) for limit, value in limits.items() if value is not None}
    return text(key, fund=name, source=rule.source, **written)
