"""The planets from NASA's planetary fact sheet, as the ``planets`` package (MIT) ships it: each planet's distance
from the sun, mean surface temperature, and the lengths of its year and day.

The builder reads ``planets/_planets.py`` as text (its assignments, ``Venus.Tsavg = 737.0``); nothing of its code
is imported (it needs astropy).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from talkshow.core.errors import TalkshowError

__all__ = ["EIGHT", "Planet", "read_planets"]

# The file lists Pluto among the planets and its moons after them; since the IAU's definition of 2006 Pluto is a
# dwarf planet, so these eight are the planets.
EIGHT = ("Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune")
_ASSIGNED = re.compile(r"^(?P<body>[A-Z][a-z]+)\.(?P<field>rsm|year|day|Tsavg) = (?P<value>[0-9.eE+\- *]+?)\s*(?:#|$)")
_AU_M = 149.597870700e9  # the astronomical unit, in metres (IAU 2012)


@dataclass(frozen=True)
class Planet:
    """One planet as the knowledge base keeps it."""

    name: str
    order: int  # from the sun: Mercury is 1
    distance_au: float  # the semi-major axis of its orbit
    year_days: float
    day_hours: float  # the mean solar day
    mean_kelvin: float  # at the surface; for the giants, where the pressure is one bar


def read_planets(source: str) -> list[Planet]:
    """The eight planets from the text of ``planets/_planets.py``; raises TalkshowError if one is missing."""
    values: dict[str, dict[str, float]] = {}
    rows: list[Planet] = []
    for line in source.splitlines():
        match = _ASSIGNED.match(line.strip())
        if match and match["body"] in EIGHT:
            numbers = [float(part) for part in match["value"].split("*")]  # "87.969 * 24.0 * 3600.0"
            values.setdefault(match["body"], {})[match["field"]] = math.prod(numbers)
    for name in EIGHT:
        got = values.get(name, {})
        if set(got) != {"rsm", "year", "day", "Tsavg"}:
            raise TalkshowError(f"the planets file has no full record of {name}: {sorted(got)}")
        rows.append(Planet(name, 0, got["rsm"] / _AU_M, got["year"] / 86400, got["day"] / 3600, got["Tsavg"]))
    order = {row.name: i + 1 for i, row in enumerate(sorted(rows, key=lambda row: row.distance_au))}
    return [replace(row, order=order[row.name]) for row in rows]
