"""Countries for the knowledge base: countryinfo's records, their language and currency codes named by ISO tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["FUNDS", "Country", "read_countries"]

# ISO 4217 codes of funds and units of account, not the money people pay with (Switzerland's CHE, "WIR Euro").
FUNDS = frozenset({"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "USS", "UYI", "UYW", "XDR", "XSU", "XUA"})


@dataclass(frozen=True)
class Country:
    """One country as the knowledge base keeps it."""

    name: str
    capital: str
    region: str
    subregion: str
    demonym: str
    population: int
    area_km2: float
    languages: tuple[str, ...]
    currencies: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other names it is asked by ("the French Republic"); the base keeps them apart


def read_countries(records: dict[str, bytes], iso639: bytes, iso4217: bytes) -> Iterator[Country]:
    """``countryinfo/data/*.json`` records, with languages and currencies by their English names."""
    language_names = {entry["alpha_2"]: entry["name"] for entry in json.loads(iso639)["639-3"] if "alpha_2" in entry}
    currency_names = {
        entry["alpha_3"]: entry["name"] for entry in json.loads(iso4217)["4217"] if entry["alpha_3"] not in FUNDS
    }
    for raw in records.values():
        record = json.loads(raw)
        name = str(record.get("name") or "").strip()
        capital = str(record.get("capital") or "").strip()
        if not name:
            continue
        languages = tuple(language_names.get(code, "") for code in record.get("languages") or ())
        currencies = tuple(currency_names.get(code, "") for code in record.get("currencies") or ())
        aliases = tuple(
            alias for alias in (record.get("altSpellings") or ()) if isinstance(alias, str) and len(alias) > 3
        )
        yield Country(
            name=name,
            capital=capital,
            region=str(record.get("region") or ""),
            subregion=str(record.get("subregion") or ""),
            demonym=str(record.get("demonym") or ""),
            population=int(record.get("population") or 0),
            area_km2=float(record.get("area") or 0.0),
            languages=tuple(x for x in languages if x),
            currencies=tuple(x for x in currencies if x),
            aliases=aliases,
        )
