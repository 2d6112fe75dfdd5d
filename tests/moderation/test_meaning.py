"""The offline check by meaning, on the real MiniLM encoder: harm with no bad word is held, look-alikes air.

Its figures on the test half of the labelled lines (never fit on: the model is fit on the
examples, its threshold on the dev half) are the benchmark's (``talkshow bench moderation``,
docs/audience.md); the test asserts them, so a change to the examples or the rule that loses
ground fails here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from talkshow.bench.moderation import load_labelled_lines, score_gate
from talkshow.core.errors import InputError, ShowFileError
from talkshow.moderation.build import build_gate
from talkshow.moderation.meaning import MeaningCheck, create, labelled_split, read_examples
from talkshow.moderation.settings import ModerationSettings
from talkshow.show_check import load_show
from talkshow.telemetry.events import MemorySink, Telemetry

# The targets are 0.95 recall and 0.9 precision of what airs; the test half has 17 lines a category,
# and on it the calibrated check misses one hate line (16 of 17: 0.94), as measured.
MIN_RECALL = {"threat": 16 / 17, "self_harm": 17 / 17, "hate": 16 / 17}
MIN_BENIGN_AIRED = 0.88
MIN_AIRED_PRECISION = 0.9


@pytest.fixture(scope="module")
def meaning() -> MeaningCheck:
    return create({})


def test_harm_said_without_a_bad_word_is_held_and_its_look_alikes_air() -> None:
    sink = MemorySink()
    with build_gate(ModerationSettings(), Telemetry([sink])) as gate:
        for hostile in ("Wendell is going to get beaten after the show.", "Honestly, just go hurt yourself."):
            verdict = gate.review(hostile, "reply")
            assert verdict.held and verdict.stage == "meaning", (hostile, verdict)
        assert gate.review("I hurt my ankle at football yesterday.", "reply").allowed
        # Nearer harm than this look-alike's P(harmful) 0.41 is held; from a caller it is only unsure: asked again.
        cards = gate.review("I'll beat you at cards after the show.", "caller")
        assert cards.held and cards.unsure, cards
    held = sink.of_kind("line_held")
    assert [e.fields["stage"] for e in held] == ["meaning", "meaning", "meaning"]
    assert "threat" in held[0].fields["reason"] and "self-harm" in held[1].fields["reason"]
    assert [e.fields["unsure"] for e in held] == [False, False, True]


def test_danger_to_oneself_said_sideways_is_held_and_a_lesson_about_living_somewhere_airs() -> None:
    # Neither line is an example; the examples of danger said sideways ("I've been saving up my pills for one
    # night") were chosen so that the tutor's "have been living" corrections stay as often held as before.
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        assert gate.review("I keep a razor in my drawer for bad nights.", "chat").held
        assert gate.review("You have been living here for two years!", "reply", "theo").allowed
        assert gate.review("I wrote a letter to my grandmother yesterday.", "chat").allowed


def test_naming_who_people_are_airs_and_hate_about_the_same_people_is_held() -> None:
    """A dev probe (2026-11-29) held 9 of 20 lines that only name a group of people, "I'm an immigrant myself" among
    them: every hate example names a group, and few benign ones did. The lines here were written after benign
    examples of such lines were added, and were never fit on (a held-out probe: 1 of 20 such lines held, 4 before;
    15 of 15 hate lines held, as before)."""
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        for neutral in ("My grandad was a refugee and he still tells stories about the boat.",
                        "Our town has welcomed Ukrainian families since the war.",
                        "Two of the best teachers at my school are immigrants.",
                        "My aunt and her wife run a flower shop.",
                        "The new mosque on our road opened its doors for a community lunch.",
                        "How do Sikhs tie their turbans?"):  # fmt: skip
            verdict = gate.review(neutral, "chat")
            assert not verdict.held, (neutral, verdict)
        for hateful in ("Refugees are rats, drown the lot of them.", "Muslims are a cancer on this country.",
                        "Ukrainians are freeloaders, send them back.", "Gay people are vile and shouldn't be allowed "
                        "near schools."):  # fmt: skip
            verdict = gate.review(hateful, "chat")
            assert verdict.held and "hate" in verdict.reason, (hateful, verdict)


def test_a_bomb_said_to_be_there_is_held_and_a_small_hurt_at_home_airs() -> None:
    """A dev probe (2026-11-29) aired a bomb threat and held four everyday lines; examples of each kind (none of
    these lines) were added after it, so this guards what was tuned for. A held-out probe written afterwards moved
    neither way (1 of 15 everyday lines held, 8 of 10 threats, before and after): docs/audience.md."""
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        verdict = gate.review("There's a bomb under the desk, enjoy the show.", "chat")
        assert verdict.held and "threat" in verdict.reason, verdict
        for everyday in ("Put the fire out before it spreads!", "The doctor said the cut needs three stitches.",
                         "I stabbed my finger with a needle while sewing.", "This traffic is murder every morning.",
                         "The bomb squad came to our school for a talk."):  # fmt: skip
            verdict = gate.review(everyday, "caller", confidence=0.9)
            assert not verdict.held, (everyday, verdict)


def test_a_caller_is_not_held_for_what_the_ears_were_unsure_of_unless_the_words_say_so() -> None:
    """The seed that failed (684276): a caller's misheard words, held as self-harm, and the caller told off."""
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        misheard = "water out to the rim bokeh."
        assert gate.review(misheard, "chat").held and not gate.review(misheard, "chat").unsure  # exact text
        heard_sure = gate.review(misheard, "caller", confidence=0.9)
        assert heard_sure.held and heard_sure.unsure, heard_sure  # near nothing for sure: asked again
        assert gate.review(misheard, "caller", confidence=0.3).allowed  # the ears were unsure: a mishearing
        threat = "Wendell is going to get beaten after the show."
        sure = gate.review(threat, "caller", confidence=0.9)
        assert sure.held and not sure.unsure, sure  # sure harm from a caller is held and deflected
        cursed = "you stupid fucking idiot"  # the word list and classifier hold it however it was heard
        assert (
            gate.review(cursed, "caller", confidence=0.9).held
            and not gate.review(cursed, "caller", confidence=0.9).unsure
        )
        unclear = gate.review(cursed, "caller", confidence=0.1)  # "set off the alarm" can come out "shit off"
        assert unclear.held and unclear.unsure  # never aired, and the caller is asked again, not told off


def test_the_labelled_set_meets_the_targets_with_stage_one_and_not_without_meaning() -> None:
    lines = load_labelled_lines()
    assert len(lines) >= 200 and len({line.text for line in lines}) == len(lines)
    examples = {line for lines_ in read_examples().values() for line in lines_}
    assert not examples & {line.text for line in lines}  # scored on lines the check has not seen
    test_half = {text for text, _ in labelled_split("test")}
    assert not test_half & {text for text, _ in labelled_split("dev")}
    default = score_gate(ModerationSettings(), [line for line in lines if line.text in test_half])
    for category, least in MIN_RECALL.items():
        assert default["categories"][category] >= round(least, 3), default  # the score rounds to 3 places
    assert default["categories"]["benign"] >= MIN_BENIGN_AIRED, default
    assert default["aired_precision"] >= MIN_AIRED_PRECISION, default
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


def test_a_marginal_hold_by_the_words_gives_way_only_to_a_sure_check_by_meaning() -> None:
    """The word classifier scores "What do monkeys eat?" 0.86 (over its 0.8) on its words alone; the check by meaning
    is sure it is benign, so it airs. An animal's name said of people is held all the same."""
    from talkshow.moderation.classifier import ProfanityClassifier
    from talkshow.moderation.gate import MEANING_CLEARS_BELOW, WORDS_SURE_FROM

    words = ProfanityClassifier()
    question = "What do monkeys eat?"
    assert words.threshold <= words.probability(question) < WORDS_SURE_FROM  # the case, as the classifier sees it
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        for source in ("caller", "chat", "writer"):
            assert gate.review(question, source).allowed, source
        assert gate.review("Where do monkeys live?", "chat").allowed
        assert gate.review("Black people are monkeys.", "chat").held
        insult = gate.review("Eat my shorts, loser.", "caller")  # marginal (0.88), and meaning does not clear it
        assert insult.held and insult.unsure and insult.stage == "classifier", insult
        assert gate.review("Eat my shorts, loser.", "chat").held
        sure = gate.review("This show sucks ass.", "caller")  # the words are sure (1.00): no second opinion
        assert sure.held and not sure.unsure and sure.stage == "classifier", sure
    assert MEANING_CLEARS_BELOW < 0.34  # far below the calibrated threshold: "sure", not merely "not held"


def test_one_swear_word_in_a_harmless_line_asks_a_caller_again_and_abuse_is_still_told_off() -> None:
    """The benign spoken set's one telling-off (2026-11-28): "I burned the toast and set off the smoke alarm" heard,
    with the ears sure, as "...shit off...". One word holds it, and the check by meaning is sure it means no harm:
    not aired, and the caller is asked again. Abuse is held for more than one word, and chat's text is exact."""
    misheard = "I burned the toast and shit off the smoke alarm."
    with build_gate(ModerationSettings(), Telemetry()) as gate:
        caller = gate.review(misheard, "caller", confidence=0.9)
        assert caller.held and caller.unsure and caller.stage == "classifier", caller
        chat = gate.review(misheard, "chat")
        assert chat.held and not chat.unsure, chat
        for abuse in ("You are a fucking idiot.", "Shut up, you stupid bitch."):
            told = gate.review(abuse, "caller", confidence=0.9)
            assert told.held and not told.unsure, (abuse, told)


def test_a_failing_check_by_meaning_holds_the_line(meaning: MeaningCheck) -> None:
    class Broken:
        name = "meaning"

        def check(self, text: str) -> object:
            raise RuntimeError("the session is gone")

        def close(self) -> None:
            pass

    from talkshow.moderation.classifier import ProfanityClassifier
    from talkshow.moderation.gate import ModerationGate

    with ModerationGate(ModerationSettings(), Telemetry(), meaning=Broken()) as gate:  # type: ignore[arg-type]
        verdict = gate.review("What a lovely day for a picnic.", "writer")
    assert verdict.held and "could not judge" in verdict.reason
    broken = Broken()
    with ModerationGate(ModerationSettings(), Telemetry(), ProfanityClassifier(), meaning=broken) as gate:  # type: ignore[arg-type]
        marginal = gate.review("What do monkeys eat?", "writer")  # a failed second opinion clears nothing
    assert marginal.held and marginal.stage == "classifier", marginal


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
        ('benign = ["ok"]\nthreat = ["x"]\n', {"sure": "big"}, "sure must be a number from -1 to 1"),
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


def test_the_fit_kept_on_disk_is_the_fits_own_and_a_damaged_file_is_fitted_again(
    meaning: MeaningCheck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every gate made the calibration's 20,000 steps again (0.3 s a show start); it is kept on disk now."""
    monkeypatch.setattr("talkshow.moderation.meaning.models_dir", lambda: tmp_path)
    fitted = meaning._calibrate()
    (stored,) = (tmp_path / "cache").glob("calibration-*.json")
    assert meaning._calibrate() == fitted  # read back: the same floats
    stored.write_text("{not json")
    assert meaning._calibrate() == fitted  # fitted again, and kept again
    assert json.loads(stored.read_text())["threshold"] == fitted.threshold
