"""``talkshow bench writer``: the offline show's lines on 20 topics x 20 turns, checked as a viewer would hear them.

For each topic of ``assets/writer/topics.toml`` (``dev``, tuned on; ``test``, only reported), the
offline writer writes a 20-turn show, and every line is checked: by the tutor's grammar checker
(Harper and the learner rules: ``findings``, target 0), for a line said twice in a show
(``repeats``, target 0), for variety (``distinct_pairs``: distinct word pairs over all word pairs
in a show, quotations of earlier lines left out as tests/writer has always counted them, and with
them too; target 0.85), and for facts (``fact_share``: lines that carry a fact the knowledge
base holds about the topic, target 1 in 4).
"""

from __future__ import annotations

import asyncio
import itertools
import re
import tomllib
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from talkshow.config import default_cast
from talkshow.core.kinds.writer import Line, WriteRequest
from talkshow.writer.improv import ImprovWriter
from talkshow.writer.topic_facts import TopicFacts

__all__ = ["TURNS", "load_topics", "run_writer_bench", "score_show", "write_show"]

TURNS = 20


def load_topics(part: str) -> list[str]:
    """The ``dev`` or ``test`` topics."""
    data = tomllib.loads(files("talkshow").joinpath("assets/writer/topics.toml").read_text())
    if part not in data:
        raise ValueError(f"part must be dev or test, got {part!r}")
    return [str(topic) for topic in data[part]]


def write_show(topic: str, seed: int = 1, turns: int = TURNS, facts: TopicFacts | None = None) -> list[Line]:
    """The offline writer's show on ``topic``, with the bundled cast (and the knowledge base's facts, if given)."""
    writer = ImprovWriter(facts)
    request = WriteRequest(topic, tuple(default_cast()), turns, seed)

    async def collect() -> list[Line]:
        return [line async for line in writer.lines(request)]

    return asyncio.run(collect())


def _pairs(text: str, quotes: bool = False) -> list[tuple[str, str]]:
    """The word pairs of a line; quotations of earlier lines left out unless ``quotes`` (they repeat on purpose)."""
    said = text.lower() if quotes else re.sub(r'"[^"]*"', " ", text.lower())
    return list(itertools.pairwise(re.findall(r"[a-z']+", said)))


def score_show(lines: list[Line], check: Callable[[str], list[str]], facts: list[str]) -> dict[str, Any]:
    """Findings ("wrong -> right: the line"), repeats, distinct word pairs and the share of lines with a fact."""
    texts = [line.text for line in lines]
    findings = [f"{finding}: {text}" for text in texts for finding in check(text)]
    pairs = [pair for text in texts for pair in _pairs(text)]
    quoted = [pair for text in texts for pair in _pairs(text, quotes=True)]
    carried = [text for text in texts if any(fact.lower() in text.lower() for fact in facts)]
    return {
        "lines": len(texts),
        "findings": findings,
        "repeats": len(texts) - len(set(texts)),
        "distinct_pairs": round(len(set(pairs)) / max(1, len(pairs)), 3),
        "distinct_pairs_with_quotes": round(len(set(quoted)) / max(1, len(quoted)), 3),
        "fact_share": round(len(carried) / max(1, len(texts)), 3),
    }


def run_writer_bench(
    progress: Callable[[str], None] = print, parts: tuple[str, ...] = ("dev", "test")
) -> dict[str, Any]:
    """Every topic of each part through the offline writer, every line checked; totals per part."""
    from talkshow.tutor.checker import GrammarChecker

    checker = GrammarChecker()
    knowledge = TopicFacts.open()

    def check(text: str) -> list[str]:
        return [f"{f.wrong!r} -> {f.right!r} ({f.kind})" for f in checker.check(text).findings]

    results: dict[str, Any] = {}
    for part in parts:
        shows = {}
        for topic in load_topics(part):
            facts = [fact.text for fact in knowledge.facts(topic)]
            shows[topic] = score_show(write_show(topic, facts=knowledge), check, facts)
        findings = [f for show in shows.values() for f in show["findings"]]
        summary = {
            "topics": len(shows),
            "lines": sum(s["lines"] for s in shows.values()),
            "findings": len(findings),
            "repeats": sum(s["repeats"] for s in shows.values()),
            "distinct_pairs_min": min(s["distinct_pairs"] for s in shows.values()),
            "distinct_pairs_mean": round(sum(s["distinct_pairs"] for s in shows.values()) / len(shows), 3),
            "distinct_pairs_with_quotes_mean": round(
                sum(s["distinct_pairs_with_quotes"] for s in shows.values()) / len(shows), 3
            ),
            "fact_share_min": min(s["fact_share"] for s in shows.values()),
            "fact_share_mean": round(sum(s["fact_share"] for s in shows.values()) / len(shows), 3),
            "shows": shows,
        }
        results[part] = summary
        progress(
            f"{part}: {summary['topics']} topics x {TURNS} turns: {summary['findings']} grammar findings, "
            f"{summary['repeats']} repeated lines, distinct word pairs {summary['distinct_pairs_mean']} "
            f"(least {summary['distinct_pairs_min']}; {summary['distinct_pairs_with_quotes_mean']} with quotes), "
            f"lines with a fact {summary['fact_share_mean']:.0%} (least {summary['fact_share_min']:.0%})"
        )
        for finding in findings[:10]:
            progress(f"  {finding}")
    return results
