"""``talkshow bench brain``: the question set asked of each brain, answers scored, first sentences timed.

Each brain is a reply writer as talk mode builds it: ``rules`` (the offline answerer), a GGUF
run by llama.cpp's server in a child process and prompted as a transcript (``transcript``) or
as chat turns (``chat``), or ``hybrid`` (the rules for what they answer well, the model for the
rest). ``knowledge`` is the default with no flag (the knowledge stage, then the rules); ``knowledge-hybrid``
the embedded brain behind the knowledge stage (the model phrases the facts it is given). With
``spoken``, each question is said first by espeak-ng in a voice no character has (130-175 words a minute),
20 dB over white noise, and heard by the default ears: the brain answers what was heard.

Reported per brain: correct, in character and wrong (per kind too), and the time from the
question to the first sentence and to the whole answer (median and p90), from a cold start
(the server is started, and the model loaded, inside the run).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from talkshow.bench.questions import VERDICTS, Question, QuestionSet, load_questions, plain_words, score
from talkshow.bench.serving import stats
from talkshow.config import default_cast
from talkshow.core.cast import CastMember
from talkshow.core.kinds.hearing import NO_READINGS, Readings, Transcript
from talkshow.core.kinds.writer import CALLER, Exchange, ReplyRequest, ReplyWriter
from talkshow.telemetry.events import Telemetry

__all__ = ["BRAIN_KINDS", "Asked", "ask_all", "hear_questions", "run_brain_bench", "summarize"]

BRAIN_KINDS = ("rules", "knowledge", "transcript", "chat", "hybrid", "knowledge-hybrid")


@dataclass(frozen=True)
class Asked:
    """One question as asked (``heard``: what the ears made of it), the answer, its verdict and times (s)."""

    question: Question
    heard: str
    answer: str
    verdict: str
    first_sentence_s: float
    whole_s: float


async def ask_all(replier: ReplyWriter, questions: QuestionSet, heard: list[Transcript] | None = None) -> list[Asked]:
    """Ask every question (as ``heard[i]``, with the ears' other readings, if given) of ``replier``, in turn."""
    character = _character(questions.character)
    asked: list[Asked] = []
    for index, question in enumerate(questions.questions):
        said = heard[index].text if heard is not None else question.ask
        readings = heard[index].readings if heard is not None else NO_READINGS
        words = heard[index].heard_words if heard is not None else ()
        history = tuple(Exchange(who, text) for who, text in zip((CALLER, character.id), question.before, strict=False))
        request = ReplyRequest(character, questions.topic, said, history, heard_words=words, heard_readings=readings)
        started, first = time.perf_counter(), float("nan")
        sentences: list[str] = []
        async with contextlib.aclosing(replier.reply(request)) as reply:
            async for sentence in reply:
                if not sentences:
                    first = time.perf_counter() - started
                sentences.append(sentence)
        answer = " ".join(sentences)
        verdict = score(question, answer, said)
        asked.append(Asked(question, said, answer, verdict, first, time.perf_counter() - started))
    return asked


def summarize(asked: list[Asked]) -> dict[str, Any]:
    """Counts per verdict (all, and per kind), and the first-sentence and whole-answer times in ms."""
    verdicts = Counter(a.verdict for a in asked)
    kinds: dict[str, Counter[str]] = {}
    for a in asked:
        kinds.setdefault(a.question.kind, Counter())[a.verdict] += 1
    fitting = verdicts["correct"] + verdicts["in_character"]
    return {
        "questions": len(asked),
        **{verdict: verdicts[verdict] for verdict in VERDICTS},
        "fitting_share": round(fitting / max(1, len(asked)), 3),
        "by_kind": {kind: {v: counts[v] for v in VERDICTS} for kind, counts in sorted(kinds.items())},
        "first_sentence_ms": stats([a.first_sentence_s * 1000 for a in asked]),
        "whole_answer_ms": stats([a.whole_s * 1000 for a in asked]),
    }


def hear_questions(questions: QuestionSet, snr_db: float = 20.0) -> list[Transcript]:
    """Each question said by espeak-ng (voices no character has, in noise) and heard by the default ears."""
    from talkshow.bench.talk import SET_CALLERS, caller_speech
    from talkshow.talk.providers import make_stt
    from talkshow.talk.settings import TalkSettings
    from talkshow.writer.knowledge_reply import READINGS_WAIT_S

    stt = make_stt(TalkSettings())
    heard = []
    for index, question in enumerate(questions.questions):
        clip = caller_speech(question.ask, SET_CALLERS[index % len(SET_CALLERS)], snr_db, seed=index)
        transcript = stt.transcribe(clip.samples, 48_000)
        # Asked for now, as the writer would (within its wait): the ears make readings only for the last utterance.
        heard.append(replace(transcript, readings=Readings(transcript.readings.wait(READINGS_WAIT_S))))
    return heard


@contextlib.contextmanager
def brain(kind: str, model: Path | None, telemetry: Telemetry) -> Iterator[ReplyWriter]:
    """The reply writer ``kind`` (a GGUF ``model`` served by llama.cpp for all but ``rules``)."""
    from talkshow.providers import REPLIES
    from talkshow.writer.knowledge_reply import with_knowledge

    if kind in ("rules", "knowledge"):
        rules = REPLIES.load("improv")({}, telemetry)
        yield with_knowledge(rules, "improv", {}, telemetry) if kind == "knowledge" else rules
        return
    from talkshow.llm.server import LlamaServer

    assert model is not None, f"the {kind} brain needs a GGUF"
    with LlamaServer(model) as server:
        options = {"base_url": server.base_url, "model": "local", "server": "embedded"}
        if kind in ("hybrid", "knowledge-hybrid"):
            hybrid = REPLIES.load("hybrid")(options, telemetry)
            yield with_knowledge(hybrid, "hybrid", options, telemetry) if kind == "knowledge-hybrid" else hybrid
        else:
            yield REPLIES.load("transcript" if kind == "transcript" else "openai")(options, telemetry)


def run_brain_bench(
    runs: list[tuple[str, str, Path | None]],
    spoken: bool,
    progress: Callable[[str], None] = print,
    parts: tuple[str, ...] = ("dev", "test"),
) -> dict[str, Any]:
    """Each (label, kind, model) asked each part of the question set; ``spoken`` puts the questions through the
    ears first. Also the knowledge stage's own time a question (median and p90)."""
    results: dict[str, Any] = {"spoken": spoken, "parts": {}}
    telemetry = Telemetry()
    for part in parts:
        questions = load_questions(part)
        heard = hear_questions(questions) if spoken else None
        found: dict[str, Any] = {"questions": len(questions.questions), "brains": {}}
        if heard is not None:
            pairs = zip(heard, questions.questions, strict=True)
            found["misheard"] = sum(plain_words(h.text) != plain_words(q.ask) for h, q in pairs)
            found["with_other_readings"] = sum(bool(h.readings.ready) for h in heard)
        found["knowledge_ms"] = knowledge_times(questions, heard)
        for label, kind, model in runs:
            started = time.perf_counter()
            with brain(kind, model, telemetry) as replier:
                loaded = time.perf_counter() - started
                asked = asyncio.run(ask_all(replier, questions, heard))
                close = getattr(replier, "aclose", None)
                if close is not None:
                    asyncio.run(close())
            summary = summarize(asked)
            summary["start_s"] = round(loaded, 2)
            summary["answers"] = [
                {"kind": a.question.kind, "asked": a.heard, "answer": a.answer, "verdict": a.verdict} for a in asked
            ]
            found["brains"][label] = summary
            progress(f"{part} {label}: {summary['correct']} correct, {summary['in_character']} in character, "
                     f"{summary['wrong']} wrong of {summary['questions']} ({summary['fitting_share']:.0%}); "
                     f"by kind {summary['by_kind']}; first sentence {summary['first_sentence_ms']}")  # fmt: skip
        progress(f"{part}: the knowledge stage's own time a question {found['knowledge_ms']} ms")
        results["parts"][part] = found
    return results


def knowledge_times(questions: QuestionSet, heard: list[Transcript] | None) -> dict[str, float]:
    """The knowledge stage's own time for each question (after one warm-up, as a call has): median and p90, ms."""
    from talkshow.knowledge.stage import open_stage

    with open_stage() as stage:
        stage.answer("how many legs does a spider have")
        times = []
        for index, question in enumerate(questions.questions):
            said = heard[index].text if heard is not None else question.ask
            started = time.perf_counter()
            stage.answer(said, question.before[:1])
            times.append((time.perf_counter() - started) * 1000)
    return stats(times)


def _character(cast_id: str) -> CastMember:
    member = next(m for m in default_cast() if m.id == cast_id)
    return replace(member)
