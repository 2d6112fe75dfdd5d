"""The tutor show end to end, on one studio with its phone bridges on: a learner calls from the page (headless
Chromium with a fake microphone) or a phone line (Twilio Media Streams), speaks with errors, and hears Theo's
chunks; the page follows each chunk from queued to played and shows the lesson's report when the call ends."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from support.paths import SHOWS
from support.phone_calls import (
    NUMBERS,
    REPLY_WITHIN_S,
    answered,
    caller_speech,
    heard_between,
    reply_onset,
)
from support.phone_studio import PhoneStudio
from support.serve import CHROMIUM, call_from_the_talk_page, fake_microphone, headless_page
from support.spoken import SPEAKERS, noisy, utterance
from talkshow.audio import resample
from talkshow.testing.phone_client import MediaStreamClient

pytestmark = [pytest.mark.slow, pytest.mark.solo]

SENTENCE = "Yesterday I go to the market and buyed three apple."
# Two more turns on the page call, with errors of other ERRANT types (chosen from sentences this espeak voice is
# heard saying word for word); what the tutor says right for each error, by its ERRANT type ("there are": in the
# recast "There are many...", or "we say 'There are'" when Theo is unsure he heard "There is").
MORE_TURNS = ("My house is more big than your house and I want to be teacher.",
              "There is many people in my city and I enjoy to read books.")  # fmt: skip
RIGHT_BY_TYPE = {
    "R:VERB:TENSE": "went", "R:VERB:INFL": "bought", "R:NOUN:NUM": "three apples", "R:ADJ:FORM": "bigger",
    "M:DET": "a teacher", "R:VERB:SVA": "there are", "R:VERB:FORM": "reading",
}  # fmt: skip
# How each error sounds in what the ears wrote down: the tutor can put right only the errors it heard. On loaded
# cores Chromium's microphone and Opus can blur a word ("teacher" heard as "featured"), and its error goes with it.
HEARD_BY_TYPE = {
    "R:VERB:TENSE": r"\byesterday i go\b", "R:VERB:INFL": r"\bbuyed\b", "R:NOUN:NUM": r"\bthree apple\b",
    "R:ADJ:FORM": r"\bmore big\b", "M:DET": r"\bbe teacher\b", "R:VERB:SVA": r"\bthere is many\b",
    "R:VERB:FORM": r"\benjoy to read\b",
}  # fmt: skip
HEARD_AT_LEAST = 3  # of the 7 errors said: 7 on quiet cores; 3 in the worst fresh-clone run seen (seed 51952456)
TURN_GAP_S = 13  # the learner waits this long after a turn: Theo's three chunks at C1 run 7-9 s, then margin


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhoneStudio]:
    folder = tmp_path_factory.mktemp("tutor")
    (folder / "theo.json").write_text((SHOWS / "theo.json").read_text())
    text = (SHOWS / "tutor.toml").read_text()
    start, end = text.index("[phone]"), text.index("[[cast]]")
    running = PhoneStudio(folder, 'character = "theo"\n', show_text=text[:start] + text[end:])
    yield running
    running.close()


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_chromium_with_a_fake_microphone_shows_the_chunks_the_audio_states_and_the_report(
    studio: PhoneStudio, tmp_path: Path
) -> None:
    gap = np.zeros(16_000 * TURN_GAP_S, np.int16)  # the learner is quiet while Theo answers: no room noise
    turns = [noisy([utterance(SENTENCE, SPEAKERS[0])], 20.0, seed=8)]
    for number, text in enumerate(MORE_TURNS):
        turns += [gap, noisy([utterance(text, SPEAKERS[0])], 20.0, seed=9 + number)]
    said = resample(np.concatenate(turns), 16_000, 48_000)
    flags = fake_microphone(tmp_path / "learner.wav", said, answer_s=TURN_GAP_S)  # looped: three turns, then quiet
    states: set[str] = set()
    with headless_page(flags) as (page, errors):
        page.goto(studio.base + "/talk")
        page.wait_for_selector("#lesson-setup:not([hidden])")
        start = page.text_content("#call")
        call_from_the_talk_page(page, studio.base, "theo", level="C1")  # C1: the shortest replies
        on_air = "(l => l && l.on_air && l.turns.length > 0)(window.talkshowTalk.lesson)"
        page.wait_for_function(on_air, timeout=40_000)  # this call's lesson, not the one before it
        lesson_id = page.evaluate("window.talkshowTalk.lesson.lesson_id")
        final: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            final = page.eval_on_selector_all("#lesson .turn:first-child .chunk", "cs => cs.map(c => c.dataset.state)")
            states |= set(final)
            if final and set(final) == {"played"}:
                break
            time.sleep(0.05)
        kinds = page.eval_on_selector_all("#lesson .turn:first-child .chunk", "cs => cs.map(c => c.dataset.kind)")
        # Every chunk of the three turns settles: played on air, or cut because the learner's next turn (the
        # fake microphone keeps its own time) started while Theo was still talking on loaded cores.
        settled = "t => t.chunks.length && t.chunks.every(c => c.state === 'played' || c.state === 'cut')"
        all_settled = f"(l => l && l.turns.length >= 3 && l.turns.slice(0, 3).every({settled}))"
        try:
            page.wait_for_function(f"{all_settled}(window.talkshowTalk.lesson)", timeout=(2 * TURN_GAP_S + 30) * 1000)
        finally:
            chunk_states = page.evaluate(
                "(window.talkshowTalk.lesson || {turns: []}).turns.map(t => [t.heard, t.chunks.map(c => c.state)])"
            )
            seconds = page.evaluate(
                "(window.talkshowTalk.lesson || {turns: []}).turns.map(t => t.chunks.map(c => c.seconds))"
            )
            print("turns heard, and their chunks' states:", chunk_states, "and seconds of audio:", seconds)
        fix = page.eval_on_selector_all("#lesson .chunk.correction", "cs => cs.map(c => c.textContent)")
        page_text = " ".join(page.eval_on_selector_all("#lesson .turn .chunk", "cs => cs.map(c => c.textContent)"))
        heard = page.evaluate("window.talkshowTalk.lesson.turns.map(t => t.heard)")
        page.click("#hangup")
        page.wait_for_function(f"(r => r && r.id === {lesson_id})(window.talkshowTalk.report)", timeout=20_000)
        page.wait_for_selector("#report-chart svg")
        report = page.eval_on_selector_all("#report dd", "ds => ds.map(d => d.textContent)")
        typed_rows = page.eval_on_selector_all("#report-errors tr.error .type", "ts => ts.map(t => t.textContent)")
        page.screenshot(path=str(tmp_path / "lesson.png"), full_page=True)
    assert not errors, errors
    assert start == "Start a lesson", "on a tutor show /talk is a lesson page"
    assert kinds[0] == "say" and kinds[-1] == "follow_up", kinds
    assert final and set(final) == {"played"}, final
    assert all(said and said[0] == "played" for _, said in chunk_states[:3]), f"answered on air: {chunk_states}"
    assert "playing" in states, f"the page showed a chunk playing on its way: {states}"
    assert fix and "→" in fix[0], f"a correction shows wrong -> right with its why: {fix}"
    # Each turn's chunks were voiced to the end ("played": on air), and every error the ears kept is put right on
    # the page and aloud. The ears are scored on their own elsewhere; here they need only keep a few errors.
    put_right = {kind for kind, right in RIGHT_BY_TYPE.items() if right in " ".join(page_text.lower().split())}
    kept = {kind for kind, sound in HEARD_BY_TYPE.items() if re.search(sound, " ".join(heard).lower())}
    assert len(kept) >= HEARD_AT_LEAST, f"the ears kept too few of the errors said: {sorted(kept)}\nheard: {heard}"
    assert kept <= put_right, f"heard {sorted(kept)}, put right {sorted(put_right)}\n{page_text}\nheard: {heard}"
    assert len(report) == 7 and report[3].endswith(" s"), report
    assert typed_rows and all(":" in kind for kind in typed_rows), f"errors by ERRANT type on the page: {typed_rows}"
    assert report[6].endswith("mistakes per 100 words"), report
    lesson = httpx.get(f"{studio.base}/api/lessons/{lesson_id}").json()
    assert lesson["ended_at"] is not None and lesson["turns"], lesson
    assert 1.5 < lesson["turns"][0]["seconds"] < 6.0, "the time the learner spoke, from the ears' timing"
    assert lesson["mistakes_by_kind"] and lesson["words_per_minute"] > 60, lesson
    assert lesson["by_type"] and lesson["errors"][0]["rule"], "each error has its ERRANT type and the rule"
    assert lesson["trend"][-1]["lesson"] == lesson_id
    assert lesson["level"] == "C1", "the level the learner picked is the lesson's"
    past = httpx.get(f"{studio.base}/api/lessons", params={"learner": lesson["learner"]}).json()["lessons"]
    assert past[0]["id"] == lesson_id and past[0]["turns"] >= 3, past
    exported = httpx.get(f"{studio.base}/api/lessons/{lesson_id}/report.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:4] == ["turn", "said", "put right", "error type"] and any(r[3] for r in rows[1:]), rows
    chart = httpx.get(f"{studio.base}/api/lessons/{lesson_id}/chart.svg").text
    assert chart.startswith("<svg") and 'class="mistake"' in chart


def test_a_phone_learner_hears_the_greeting_the_sentence_put_right_and_a_question(studio: PhoneStudio) -> None:
    from talkshow.talk.providers import make_stt
    from talkshow.talk.settings import TalkSettings

    async def call() -> tuple[Any, float, float, dict[str, Any]]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[1])
        await answered(client, studio)
        sent = await client.speak(caller_speech(SENTENCE, seed=11))
        onset = await reply_onset(client, sent, REPLY_WITHIN_S + 2)
        await client.wait_for_quiet(1.2, timeout=30)
        async with httpx.AsyncClient() as http:
            lesson = (await http.get(studio.base + "/api/tutor/lesson")).json()
        heard = heard_between(client, onset, time.perf_counter())
        await client.hang_up()
        return heard, sent, onset, lesson

    heard, sent, onset, lesson = asyncio.run(call())
    assert onset - sent < REPLY_WITHIN_S, f"the tutor answered {onset - sent:.2f} s after the learner stopped"
    greeting = studio.events("talk_started")[-1]
    assert greeting["character"] == "theo" and greeting["transport"] == "twilio"
    turn = lesson["turns"][-1]
    correction = next(c for c in turn["chunks"] if c["kind"] == "correction")
    # What the learner heard down the line (8 kHz mu-law), heard back by the default ears: Theo's reply.
    stt = make_stt(TalkSettings())
    try:
        said = stt.transcribe(resample(heard, 8_000, 16_000), 16_000).text.lower()
    finally:
        stt.close()  # type: ignore[attr-defined]
    assert correction["right"].lower() in said, f"the correction {correction['right']!r} was spoken: {said!r}"
    assert "market" in said, json.dumps(turn)


TALKED_OVER = "I am agree with you about this."


async def _chunk_on_air(studio: PhoneStudio, word: str, seen: int) -> int:
    """Wait until the chunk of Theo's reply that says ``word`` goes on air; its show turn."""
    deadline = time.perf_counter() + REPLY_WITHIN_S + 5
    while True:
        events = studio.events()[seen:]
        chunk = next((e["turn"] for e in events if e["kind"] == "turn_ready" and word in e["text"]), None)
        if chunk is not None and any(e["kind"] == "turn_aired" and e["turn"] == chunk for e in events):
            return int(chunk)
        said = [(e["kind"], e["turn"], e.get("text", "")) for e in events if e["kind"] in ("turn_ready", "turn_aired")]
        assert time.perf_counter() < deadline, f"no chunk with {word!r} aired: {said}"
        await asyncio.sleep(0.02)


def test_a_learner_who_talks_over_theo_hears_his_sentence_end_then_is_answered(studio: PhoneStudio) -> None:
    from talkshow.talk.providers import make_stt
    from talkshow.talk.settings import TalkSettings

    async def call() -> tuple[dict[str, Any], dict[str, Any], np.ndarray]:
        client = MediaStreamClient(studio.twilio_url, caller=NUMBERS[2])
        await answered(client, studio)
        barge_ins, seen = len(studio.events("barge_in")), len(studio.events())
        sent = await client.speak(caller_speech(SENTENCE, seed=11))
        onset = await reply_onset(client, sent, REPLY_WITHIN_S + 2)
        recast = await _chunk_on_air(studio, "market", seen)
        await asyncio.sleep(1.0)  # past an "Oh!" or "I see!", into the sentence that puts the learner's right
        started: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        client.speak(caller_speech(TALKED_OVER, 1, seed=7), started)
        await started
        async with httpx.AsyncClient() as http:
            deadline = time.perf_counter() + 40
            while True:  # Theo's answer to what was said over him has aired whole
                lesson = (await http.get(studio.base + "/api/tutor/lesson")).json()
                if len(lesson["turns"]) >= 2 and {c["state"] for c in lesson["turns"][-1]["chunks"]} == {"played"}:
                    break
                assert time.perf_counter() < deadline, json.dumps(lesson)
                await asyncio.sleep(0.1)
            status = (await http.get(studio.base + "/api/rtc/call")).json()
        assert len(studio.events("barge_in")) == barge_ins + 1, "the learner spoke over the reply"
        # Which chunk the learner's words landed in depends on how quickly loaded cores hear them start: the first
        # (the recast) or a later one. Theo's audio from his first word to the end of that chunk, every sentence of
        # every chunk up to it, as voiced (each part is a turn_ready of its chunk's turn; chunks air in order).
        reached = sum(c["state"] == "played" for c in lesson["turns"][-2]["chunks"])
        ready = [e for e in studio.events()[seen:] if e["kind"] == "turn_ready" and e["turn"] >= recast]
        chunks = sorted({e["turn"] for e in ready})[:reached]
        seconds = sum(e["audio_s"] for e in ready if e["turn"] in chunks)
        heard = heard_between(client, onset, onset + seconds + 0.5)
        await client.hang_up()
        return lesson, status, heard

    lesson, status, heard = asyncio.run(call())
    talked_over, answer = lesson["turns"][-2:]
    states = [c["state"] for c in talked_over["chunks"]]
    replies = [h["text"] for h in status["history"] if h["speaker"] == "theo"]
    turns = [(t["heard"], [c["state"] for c in t["chunks"]]) for t in lesson["turns"]]
    # The chunk talked over finished its sentence; every chunk after it was cut, and at least one was.
    reached = states.index("cut") if "cut" in states else len(states)
    assert 1 <= reached < len(states) and set(states[:reached]) == {"played"}, (turns, replies)
    assert set(states[reached:]) == {"cut"}, (turns, replies)
    sentence = talked_over["chunks"][reached - 1]["text"]
    assert f"{sentence} —" in replies, f"the history keeps the whole sentence, marked as talked over: {replies}"
    # What the learner heard down the line from Theo's first word, for as long as that sentence runs: all of it.
    stt = make_stt(TalkSettings())
    try:
        said = stt.transcribe(resample(heard, 8_000, 16_000), 16_000).text.lower()
    finally:
        stt.close()  # type: ignore[attr-defined]
    last_word = sentence.lower().strip(".!?").split()[-1]
    assert last_word in said, f"the sentence on air ended before the tutor stopped: {said!r} ({sentence!r})"
    # The next turn answers what was said over Theo, however the ears heard it (run to run: "I am going to read
    # with you about this", "I am agree with you and I'll do this").
    said_words = set(TALKED_OVER.lower().strip(".").split())
    assert len(said_words & set(answer["heard"].lower().strip(".").split())) >= 4, answer
    assert answer["chunks"] and answer["chunks"][-1]["kind"] == "follow_up", answer
