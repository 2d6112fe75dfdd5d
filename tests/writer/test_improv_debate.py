"""The offline writer debates the topic as asked: sides, answers in the other's words, memory, no repeats."""

from __future__ import annotations

import asyncio
import itertools
import re

import pytest

from support.budgets import CONTENT_CHECK_TIMEOUT_S
from talkshow.config import show_from_topic
from talkshow.core.kinds.writer import Line, WriteRequest
from talkshow.core.recall import Recollection
from talkshow.moderation.build import build_gate
from talkshow.moderation.settings import ModerationSettings
from talkshow.telemetry.events import Telemetry
from talkshow.writer.improv import ImprovWriter
from talkshow.writer.topic_phrase import read_topic

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside

TOPICS = (
    "is cereal a soup",
    "should robots pay taxes",
    "is a hot dog a sandwich",
    "pineapple on pizza",
    "why there's a lambo in the room",
    "are cats better than dogs",
    "cats are better than dogs",
    "why is the sky blue",
    "should we colonise mars",
    "the best way to spend a rainy sunday",
)
# The old writer (pasting the topic's last noun into templates) measured 0.830 on the first eight topics, 20 turns,
# seed 3 (lowest 0.738); this one 0.847 (lowest 0.806).
MIN_DISTINCT_BIGRAMS = 0.83


def _show(topic: str, turns: int = 20, seed: int = 3, memories: tuple[Recollection, ...] = ()) -> list[Line]:
    async def run() -> list[Line]:
        request = WriteRequest(topic, show_from_topic(topic).cast, turns, seed=seed, memories=memories)
        return [line async for line in ImprovWriter().lines(request)]

    return asyncio.run(run())


def distinct_bigram_ratio(lines: list[str]) -> float:
    """Distinct word pairs over all word pairs, quotations of earlier lines left out (they repeat on purpose)."""
    pairs: list[tuple[str, str]] = []
    for text in lines:
        words = re.findall(r"[a-z']+", re.sub(r'"[^"]*"', " ", text.lower()))
        pairs.extend(itertools.pairwise(words))
    return len(set(pairs)) / len(pairs)


@pytest.mark.parametrize(
    ("topic", "kind", "yes", "no"),
    [
        ("is cereal a soup", "yes_no", "cereal is a soup", "cereal isn't a soup"),
        ("Should robots pay taxes?", "yes_no", "robots should pay taxes", "robots shouldn't pay taxes"),
        ("is a hot dog a sandwich", "yes_no", "a hot dog is a sandwich", "a hot dog isn't a sandwich"),
        (
            "is pineapple on pizza a crime",
            "yes_no",
            "pineapple on pizza is a crime",
            "pineapple on pizza isn't a crime",
        ),
        ("cats are better than dogs", "claim", "cats are better than dogs", "cats aren't better than dogs"),
        ("robots should not pay taxes", "claim", "robots should pay taxes", "robots should not pay taxes"),
        # A quantifier starts the subject ("every should school have a garden" once), and is denied with "not"
        (
            "should every school have a garden",
            "yes_no",
            "every school should have a garden",
            "not every school should have a garden",
        ),
        ("should all cars be electric", "yes_no", "all cars should be electric", "not all cars should be electric"),
        ("why is the sky blue", "open", "", ""),
        ("pineapple on pizza", "thing", "", ""),
        ("why there's a lambo in the room", "open", "", ""),
    ],
)
def test_a_topic_is_read_as_the_phrase_it_is(topic: str, kind: str, yes: str, no: str) -> None:
    read = read_topic(topic)
    assert (read.kind, read.yes, read.no) == (kind, yes, no)
    if kind in ("yes_no", "open"):
        asked = topic.lower().rstrip("?").replace("why there's", "why is there")  # a question, in its question order
        assert read.question.endswith("?") and read.question.lower().startswith(asked[:8])


def test_a_question_stays_a_question_and_each_character_holds_one_side() -> None:
    lines = _show("is cereal a soup")
    assert "Is cereal a soup?" in lines[0].text
    sides: dict[str, set[str]] = {line.speaker: set() for line in lines}
    for line in lines:
        text = re.sub(r'"[^"]*"', "", line.text).lower()
        if "someone who thinks" in text or "if we decide" in text:  # the other side, named to knock it down
            continue
        if "cereal isn't a soup" in text:
            sides[line.speaker].add("no")
        elif "cereal is a soup" in text:
            sides[line.speaker].add("yes")
    assert sorted(len(held) for held in sides.values()) == [1, 1] and set().union(*sides.values()) == {"yes", "no"}
    assert not any("the soup" in line.text for line in lines)  # the old writer's "Champions buy the soup!"


def test_twenty_turns_never_repeat_and_are_more_varied_than_the_templates_were() -> None:
    ratios = []
    for topic in TOPICS:
        lines = [line.text for line in _show(topic)]
        assert len(lines) == 20 and len(set(lines)) == 20, topic
        assert not [t for t in lines if "{" in t or "  " in t or ".." in t.replace("...", "")], lines
        ratios.append(distinct_bigram_ratio(lines))
    assert sum(ratios) / len(ratios) >= MIN_DISTINCT_BIGRAMS, ratios


def test_characters_answer_in_each_others_words_and_bring_back_what_callers_said() -> None:
    memories = (Recollection("caller", "Sam", "my dog eats cereal with a fork", "is cereal a soup", 0.0),)
    lines = _show("is cereal a soup", memories=memories)
    quoted = 0
    for index, line in enumerate(lines):
        for quote in re.findall(r'"([^"]+)"', line.text):
            if "my dog eats cereal" in quote:
                continue
            stem = quote.rstrip(".").removesuffix("...").lower()
            earlier = [b.text.lower() for b in lines[:index] if b.speaker != line.speaker or "start" in line.text]
            assert any(stem in text for text in earlier), (quote, line.text)
            quoted += 1
    assert quoted >= 4
    assert any("Sam" in line.text and "my dog eats cereal with a fork" in line.text for line in lines)


def test_every_line_the_writer_can_say_passes_the_default_moderation() -> None:
    with build_gate(ModerationSettings(timeout_s=CONTENT_CHECK_TIMEOUT_S), Telemetry()) as gate:
        for topic in TOPICS:
            for seed in (1, 2):
                verdicts = [(line.text, gate.review(line.text, "writer")) for line in _show(topic, seed=seed)]
                held = [(text, verdict.reason) for text, verdict in verdicts if verdict.held]
                assert held == [], (topic, seed, held)


def test_the_offline_show_on_the_dev_topics_is_english_never_repeats_and_carries_facts() -> None:
    """Issue 18-knows, on the dev topics (the test topics are only reported by `talkshow bench writer`)."""
    from talkshow.bench.writer import run_writer_bench

    dev = run_writer_bench(progress=lambda _: None, parts=("dev",))["dev"]
    assert dev["findings"] == 0 and dev["repeats"] == 0, [s["findings"] for s in dev["shows"].values()]
    assert dev["fact_share_mean"] >= 0.25 and dev["fact_share_min"] > 0, dev["fact_share_mean"]


def test_a_fact_reads_right_after_other_words_and_never_defines_a_word_by_itself() -> None:
    from talkshow.knowledge.stage import open_stage
    from talkshow.writer.topic_facts import TopicFacts

    facts = TopicFacts.open()
    soup = {fact.text: fact for fact in facts.facts("is cereal a soup")}
    # "According to my notes, Soup is a kind of dish" once: a common noun is small after other words
    assert soup["Soup is a kind of dish"].mid_sentence == "soup is a kind of dish"
    paris = {fact.text: fact for fact in facts.facts("should we visit paris")}
    assert "Paris is a national capital" in paris, list(paris)  # a name is not "a paris is a kind of..."
    assert paris["Paris is a national capital"].mid_sentence == "Paris is a national capital"
    every = [fact.text for topic in ("is it ever too early for a holiday playlist", "are cats better than dogs")
             for fact in facts.facts(topic)]  # fmt: skip
    assert not [text for text in every if text.lower().startswith("a day is a day")], every
    assert "A dog has a flag" not in every  # WordNet's part "flag" is a dog's tail, not what a viewer hears
    with open_stage() as stage:
        cats = stage.answer("What do cats eat?")  # "flesh-eating", said "fleshes" once
        assert cats is not None and cats.fact == "Cats eat flesh", cats


def test_a_long_topic_is_called_by_what_it_is_about() -> None:
    """A topic too long to say in every line is named by its noun ("the banana question"), not "the whole idea",
    which named nothing ("Every time someone mentions the whole idea, I need a little sit-down")."""
    from talkshow.bench.writer import write_show
    from talkshow.writer.topic_facts import TopicFacts

    lines = " ".join(line.text for line in write_show("the best way to eat a banana", facts=TopicFacts.open()))
    assert "the banana question" in lines and "whole idea" not in lines, lines


def test_a_line_right_after_one_that_names_the_thing_calls_it_it() -> None:
    """People say "it" for what was just named: "Every time someone mentions it", not the banana question an eleventh
    time. A line that follows one not naming it names it again, so "it" always has something to stand for."""
    from talkshow.bench.writer import write_show
    from talkshow.writer.topic_facts import TopicFacts

    thing, facts = "the banana question", TopicFacts.open()
    muse = re.compile(r"^(?:Every time someone mentions|I've been an expert on|Here's my theory about|If|What if|"
                      r"Honestly,|Nobody has ever explained|I looked up|Is) (it|the banana question)\b")  # fmt: skip
    seen: dict[bool, set[str]] = {True: set(), False: set()}
    for seed in range(1, 7):
        lines = [line.text for line in write_show("the best way to eat a banana", seed=seed, facts=facts)]
        for before, line in itertools.pairwise(lines):
            said = muse.match(line)
            if said:
                seen[thing in before.lower()].add(said.group(1))
    assert seen[True] == {"it"}, seen  # right after the thing was named: "it", every time
    assert seen[False] == {thing}, seen  # otherwise the thing by its name


def test_the_topics_subject_after_about_or_to_is_english_a_pronoun_as_object_a_noun_with_its_article() -> None:
    """ "Is a zebra a horse" was "I read one whole article about zebra", and "should we ..." "What happens to we";
    Harper passed both. A person's pronoun gets no such line ("about us" read as hate). And a thing said "it"
    after a particle reads "looked into it", never "looked up it"."""
    from talkshow.bench.writer import write_show
    from talkshow.writer.topic_facts import TopicFacts

    facts = TopicFacts.open()
    said = [
        line.text
        for topic in ("is a zebra a horse", "should we all learn to juggle", "why there's a lambo in the room")
        for seed in range(1, 9)
        for line in write_show(topic, seed=seed, facts=facts)
    ]
    wrong = [text for text in said if re.search(r"\b(?:about|to) (?:zebra|we|us)\b|\blooked up it\b", text)]
    assert not wrong, wrong
    every = " ".join(said)
    assert "about a zebra" in every or "to a zebra" in every, "the article the topic gave the noun"


def test_a_thing_that_names_many_takes_plural_verbs_and_pronouns() -> None:
    """ "Why do we need volcanoes" was "volcanoes is worrying" and "my theory about volcanoes: it wants to be
    noticed"; Harper passed both."""
    from talkshow.bench.writer import write_show
    from talkshow.writer.topic_facts import TopicFacts

    facts = TopicFacts.open()
    said = [line.text for seed in range(1, 7) for line in write_show("why do we need glaciers", seed, facts=facts)]
    wrong = [t for t in said if re.search(r"\bglaciers (?:is|was)\b|\b[Ii]s glaciers\b|glaciers: it\b", t)]
    assert not wrong, wrong
    assert any(re.search(r"\bglaciers are\b", t) for t in said), said


def test_every_noun_of_the_topic_gets_a_fact_before_any_gets_a_second() -> None:
    """`make live`'s "should the office get a pet octopus" said four facts of the office and the pet, and not one of
    the octopus: the facts were drawn in one shuffle, so a noun with many facts crowded out the one a show is about."""
    from talkshow.writer.topic_facts import TopicFacts

    topic = "should the office get a pet octopus"
    every = TopicFacts.open().facts(topic)
    said_of = {fact.text: fact.noun for fact in every}
    assert {"office", "pet", "octopus"} <= set(said_of.values()), said_of
    for seed in range(1, 7):

        async def run(seed: int = seed) -> list[Line]:
            request = WriteRequest(topic, show_from_topic(topic).cast, 12, seed=seed)
            return [line async for line in ImprovWriter(TopicFacts.open()).lines(request)]

        lines = [line.text for line in asyncio.run(run())]
        nouns = [noun for line in lines for text, noun in said_of.items() if text.lower() in line.lower()]
        assert len(nouns) >= 3, (seed, lines)
        assert set(nouns[:3]) == {"office", "pet", "octopus"}, (seed, nouns, lines)
