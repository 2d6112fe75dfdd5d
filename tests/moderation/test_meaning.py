"""The offline check by meaning, on the real MiniLM encoder: harm with no bad word is held, look-alikes air.

Its figures on the 225 labelled lines it has never seen are the benchmark's
(``talkshow bench moderation``, docs/moderation.md); the test asserts the issue's targets on
the same lines, so a change to the examples or the rule that loses ground fails here.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from talkshow.bench.moderation import load_labelled_lines, score_gate
from talkshow.core.errors import InputError, ShowFileError
from talkshow.moderation.build import build_gate
from talkshow.moderation.meaning import MeaningCheck, create, read_examples
from talkshow.moderation.settings import ModerationSettings
from talkshow.show_check import load_show
from talkshow.telemetry.events import MemorySink, Telemetry

# The targets of issue 15-brain, on lines the check has not seen.
MIN_RECALL = {"threat": 0.95, "self_harm": 0.95, "hate": 0.95}
MIN_BENIGN_AIRED = 0.9


@pytest.fixture(scope="module")
def meaning() -> MeaningCheck:
    return create({})


def test_harm_said_without_a_bad_word_is_held_and_its_look_alikes_air() -> None:
    sink = MemorySink()
    with build_gate(ModerationSettings(), Telemetry([sink])) as gate:
        for hostile in ("Wendell is going to get beaten after the show.", "Honestly, just go hurt yourself."):
            verdict = gate.review(hostile, "reply")
            assert verdict.held and verdict.stage == "meaning", (hostile, verdict)
        for benign in ("I'll beat you at cards after the show.", "I hurt my ankle at football yesterday."):
            assert gate.review(benign, "reply").allowed, benign
    held = sink.of_kind("line_held")
    assert [e.fields["stage"] for e in held] == ["meaning", "meaning"]
    assert "threat" in held[0].fields["reason"] and "self-harm" in held[1].fields["reason"]


def test_the_labelled_set_meets_the_targets_with_stage_one_and_not_without_meaning() -> None:
    lines = load_labelled_lines()
    assert len(lines) >= 200 and len({line.text for line in lines}) == len(lines)
    examples = {line for lines_ in read_examples().values() for line in lines_}
    assert not examples & {line.text for line in lines}  # scored on lines the check has not seen
    default = score_gate(ModerationSettings(), lines)
    for category, least in MIN_RECALL.items():
        assert default["categories"][category] >= least, default
    assert default["categories"]["benign"] >= MIN_BENIGN_AIRED, default
    words_only = score_gate(ModerationSettings(meaning=False), lines)
    assert all(words_only["categories"][category] < 0.5 for category in MIN_RECALL), words_only


def test_what_callers_everyday_say_airs() -> None:
    """Before the callers' register was in the examples, "What's my name?" and "Where are you right now?" were
    held (they are near "I know where you live")."""
    from talkshow.bench.moderation import everyday_lines

    lines = everyday_lines()
    examples = {line for lines_ in read_examples().values() for line in lines_}
    assert len(lines) >= 80 and not examples & set(lines)
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        assert [text for text in lines if gate.review(text, "caller").held] == []


def test_a_failing_check_by_meaning_holds_the_line(meaning: MeaningCheck) -> None:
    class Broken:
        name = "meaning"

        def check(self, text: str) -> object:
            raise RuntimeError("the session is gone")

        def close(self) -> None:
            pass

    from talkshow.moderation.gate import ModerationGate

    with ModerationGate(ModerationSettings(), Telemetry(), meaning=Broken()) as gate:  # type: ignore[arg-type]
        verdict = gate.review("What a lovely day for a picnic.", "writer")
    assert verdict.held and "could not judge" in verdict.reason


def test_the_example_vectors_are_cached_by_content(meaning: MeaningCheck, tmp_path: Path) -> None:
    started = time.perf_counter()
    again = create({})  # the vectors come from the cache the fixture wrote
    assert time.perf_counter() - started < 5.0
    for text in ("You will regret this, I know where you park.", "Let's talk about soup."):
        assert again.check(text).allowed == meaning.check(text).allowed
        assert again.scores(text) == pytest.approx(meaning.scores(text), abs=1e-6)
    own = tmp_path / "examples.toml"
    own.write_text('benign = ["What a nice hat."]\nspoilers = ["The butler did it.", "In the end the hero dies."]\n')
    check = create({"examples": str(own), "k": 1})
    assert check.categories == ["spoilers", "benign"]
    assert check.check("Spoiler: the butler was the killer all along.").categories == ("spoilers",)
    assert check.check("I like your hat, it is nice.").allowed


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ('benign = ["ok"]\n', {}, "needs a 'benign' list and at least one harmful one"),
        ('threat = ["x"]\n', {}, "needs a 'benign' list"),
        ('benign = "ok"\nthreat = ["x"]\n', {}, "'benign' must be a list of lines"),
        ('benign = ["ok", 3]\nthreat = ["x"]\n', {}, "'benign' must be a list of lines"),
        ("benign = [", {}, "not TOML"),
        ('benign = ["ok"]\nthreat = ["x"]\n', {"k": 0}, "k must be a whole number from 1 to 20"),
        ('benign = ["ok"]\nthreat = ["x"]\n', {"margin": "big"}, "margin must be a number from -1 to 1"),
        ('benign = ["ok"]\nthreat = ["x"]\n', {"cutoff": 1}, "unknown option"),
    ],
)
def test_bad_example_files_and_options_are_named(tmp_path: Path, content: str, options: dict[str, object],
                                                 message: str) -> None:  # fmt: skip
    path = tmp_path / "examples.toml"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        create({"examples": str(path), **options})


def test_the_show_file_turns_the_check_off_or_gives_it_its_own_examples(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text('topic = "x"\n[moderation]\nmeaning = false\n')
    assert load_show(path).section(ModerationSettings).meaning is False
    path.write_text('topic = "x"\n[moderation]\nmeaning = "yes"\n')
    with pytest.raises(ShowFileError, match="moderation meaning must be true or false"):
        load_show(path)
    own = tmp_path / "examples.toml"
    own.write_text('benign = ["Nice weather."]\nspoilers = ["The butler did it."]\n')
    path.write_text(f'topic = "x"\n[moderation.meaning]\nexamples = "{own}"\nk = 1\n')
    settings = load_show(path).section(ModerationSettings)
    assert settings.meaning and settings.meaning_options == {"examples": str(own), "k": 1}
    with build_gate(settings, Telemetry()) as gate:
        assert gate.stages == ["wordlist", "classifier", "meaning"]  # the show's examples replace talkshow's
        assert gate.review("Spoiler alert: the butler did it!", "chat").held
        assert gate.review("Lovely weather for the show today.", "chat").allowed
