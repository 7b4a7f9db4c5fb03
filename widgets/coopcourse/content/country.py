"""Country profiles: the currency, units and legal figures of one country, each with its source.

A profile is ``content/profiles/<id>.yaml`` (schema ``country_profile``); ``neutral`` names no
country and no law, and is the default. The trainer picks a server's profile with
``$COOPCOURSE_PROFILE`` (``make serve PROFILE=pe``); a group can choose another on the landing
page (``saving.current_profile_id``). Calculators read legal figures from here, so a course page
only names a country's law when the chosen profile does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from coopcourse.calculations.surplus import FundLimit
from coopcourse.content import in_language
from coopcourse.text import current_language
from coopcourse.yaml_data import parse_yaml

NEUTRAL = "neutral"
PROFILE_VARIABLE = "COOPCOURSE_PROFILE"


@dataclass(frozen=True)
class Sourced:
    """A legal fact and where it comes from (the law and article)."""

    value: str | float
    source: str


@dataclass(frozen=True)
class FundRule(FundLimit):
    """A fund's limits in a country's law, with the article they come from."""

    source: str = ""


@dataclass(frozen=True)
class CountryProfile:
    id: str
    country: str
    currency_code: str
    currency_symbol: str
    currency_name: str
    units: dict[str, str]
    law: dict[str, Sourced] = field(default_factory=dict)
    surplus_funds: dict[str, FundRule] = field(default_factory=dict)
    checked: str = ""

    @property
    def is_neutral(self) -> bool:
        return self.id == NEUTRAL

    def legal(self, key: str) -> Sourced | None:
        """A legal figure (``minimum_founders``, ``assembly_quorum_percent``, ...) or None."""
        return self.law.get(key)


def _folder() -> Any:
    return resources.files("coopcourse") / "content" / "profiles"


def profile_ids() -> list[str]:
    """Every profile, the neutral one first, then by id."""
    ids = sorted(e.name[: -len(".yaml")] for e in _folder().iterdir() if e.name.endswith(".yaml"))
    return [NEUTRAL, *(i for i in ids if i != NEUTRAL)]


def raw_profile(profile_id: str) -> dict[str, Any]:
    """The profile's file as written (the tests check it against its schema)."""
    return parse_yaml((_folder() / f"{profile_id}.yaml").read_text(encoding="utf-8"))


def profile(profile_id: str, language: str | None = None) -> CountryProfile:
    """The profile ``profile_id``, its words in ``language`` (the current one if not given); the
    neutral one for an id the course does not have."""
    return _profile(profile_id if profile_id in profile_ids() else NEUTRAL, language or current_language())


@cache
def _profile(profile_id: str, language: str) -> CountryProfile:
    document = in_language(raw_profile(profile_id), f"profiles/{profile_id}", language)
    law = dict(document.get("law") or {})
    funds = law.pop("surplus_funds", {}) or {}
    currency = document["currency"]
    return CountryProfile(
        id=document["id"],
        country=document["country"],
        currency_code=currency["code"],
        currency_symbol=currency["symbol"],
        currency_name=currency["name"],
        units=dict(document["units"]),
        law={key: Sourced(item["value"], item["source"]) for key, item in law.items()},
        surplus_funds={
            fund: FundRule(rule.get("minimum"), rule.get("maximum"), rule["source"]) for fund, rule in funds.items()
        },
        checked=str(document.get("checked", "")),
    )


def server_profile_id(chosen: str | None = None) -> str:
    """The profile the trainer chose for this server (``$COOPCOURSE_PROFILE``), else neutral."""
    wanted = (os.environ.get(PROFILE_VARIABLE, "") if chosen is None else chosen).strip().lower()
    return wanted if wanted in profile_ids() else NEUTRAL
