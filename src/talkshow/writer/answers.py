"""The offline reply's understanding: what kind of thing the caller said, and what it was about.

No model: a few patterns find the question's kind (the character's name, the show's topic,
how it is, an opinion, a yes-or-no, a why or how, a greeting, a statement), and the words
it is about, with the caller's pronouns turned round ("do you like my hat" is about "your
hat"). Each kind has answers per temperament, filled with the character's name, the topic
and those words: the first sentence answers what was asked, so the first thing voiced
depends on what was heard. An LLM answers better; this answers when there is none.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from talkshow.writer.turn_round import either_options, short_answer, turn_round

__all__ = [
    "ACKNOWLEDGEMENTS",
    "DEFLECTIONS",
    "FALLBACK_LINES",
    "RETRACTIONS",
    "SAY_AGAIN",
    "TIE_INS",
    "Heard",
    "acknowledgement",
    "answer",
    "understand",
]

_NAME = re.compile(r"\b(your name|who are you|who am i (talking|speaking) (to|with)|who is this|who's this)\b")
_TOPIC = re.compile(
    r"\b(show about|the show|the topic|topic tonight|tonight's topic|today's topic|"
    r"what are (we|you) (talking|discussing)|what is this about|what's this about)\b"
)
_JOB = re.compile(r"\b(what do you do (for a living|for work)|what's your job|what is your job|what do you do here)\b")
_WHEREABOUTS = re.compile(r"^(so |and |but |well )?where are you( right now| tonight| today)?$")
_HOW_ARE_YOU = re.compile(r"\b(how are you|how's it going|how are things|how do you feel today|you doing)\b")
_GREETING = re.compile(r"^(hi|hello|hey|good (morning|evening|afternoon)|greetings)\b")
_OPINION = re.compile(
    r"^(so |and |but |well )?(what do you think (about|of)|what's your (opinion|take) on|"
    r"how do you feel about|do you (like|love|hate)|thoughts on)\s+"
)
_YES_NO = re.compile(
    r"^(so |and |but |well )?(is|are|do|does|did|can|could|will|would|should|have|has|was|were)(n't)?\b|^aren't\b"
)
_WHY_HOW = re.compile(r"^(so |and |but |well )?(why|how|what|where|when|who|which)\b")
_LEAD = re.compile(
    r"^(so |and |but |well |okay |ok )*(do you think( that)?|i think( that)?|i believe( that)?|"
    r"tell me( about| why| how)?|i was wondering (whether|if)|can you (tell me|explain)( about| why| how)?)\s+"
)
_TRAILING_STOP = {"the", "a", "an", "of", "to", "and", "or", "about", "on", "in", "is", "are"}


@dataclass(frozen=True)
class Heard:
    """What the caller said, understood: its ``kind`` and what it is ``about`` (the caller's words, turned round)."""

    kind: str  # name, topic, job, whereabouts, how_are_you, greeting, opinion, yes_no, why_how, statement, nothing
    about: str
    asked: str = field(default="", compare=False)  # a question's own words, turned round: "am I ever wrong"


def understand(text: str) -> Heard:
    """The kind of ``text`` and the words it is about; of several sentences, the last question is what is asked,
    else the last sentence of three words or more ("Wait, hold on a second. Is the car really in the room?" was
    said back whole, as a statement, cut short)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    if len(sentences) > 1:
        questions = [s for s in sentences if s.endswith("?")]
        text = (questions or [s for s in sentences if len(s.split()) >= 3] or [text])[-1]
    heard = _understand(text)
    names = {w.lower(): w for w in re.findall(r"[A-Za-z']+", text)[1:] if w[:1].isupper() and w != "I"}
    if not names:
        return heard

    def spell(words: str) -> str:  # "Paris", not "paris"
        return " ".join(names.get(w, w) for w in words.split())

    return Heard(heard.kind, spell(heard.about), spell(heard.asked))


def _understand(text: str) -> Heard:
    said = " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())
    if len(said.replace("'", "").split()) == 0:
        return Heard("nothing", "")
    for kind, pattern in (
        ("name", _NAME), ("topic", _TOPIC), ("job", _JOB), ("whereabouts", _WHEREABOUTS), ("how_are_you", _HOW_ARE_YOU)
    ):  # fmt: skip
        if pattern.search(said):
            return Heard(kind, "")
    if _GREETING.match(said) and len(said.split()) <= 4:
        return Heard("greeting", "")
    if match := _OPINION.match(said):
        return Heard("opinion", _about(said[match.end() :]))
    if (lead := _LEAD.match(said)) and not re.search(r"\b(do you think|i think|i believe)\b", lead.group(0)):
        return Heard("why_how", _about(said[lead.end() :]))  # "tell me why ...", "can you explain ..."
    if lead or _YES_NO.match(said):
        rest = said[lead.end() :] if lead else _YES_NO.sub("", said, count=1)
        asked = "" if lead else _question(said)
        return Heard("yes_no" if _YES_NO.match(said) else "statement", _about(rest), asked)
    if _WHY_HOW.match(said):
        return Heard("why_how", _about(said), _question(said))
    return Heard("statement", _about(said))


def _question(said: str) -> str:
    """The question's own words turned round, without a leading "so" or "and": "am I ever wrong"."""
    return _about(re.sub(r"^(so|and|but|well) ", "", said), 16)


def _about(words: str, most: int = 10) -> str:
    turned = turn_round(words.split()[:most])
    while turned and turned[-1] in _TRAILING_STOP:
        turned.pop()
    return " ".join(turned)


_ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "name": {
        "confident": ("I'm {name}. You're welcome.", "The name's {name}. Remember it.", "{name}! The one and only."),
        "anxious": ("I'm {name}. Sorry, I should have said.", "Oh! It's {name}. Hi.", "{name}. I'm {name}, hello."),
        "neutral": ("I'm {name}.", "My name is {name}."),
    },
    "topic": {
        "confident": ("Tonight the show is about {topic}. My favourite subject.", "We're talking {topic}, of course."),
        "anxious": (
            "Tonight's show is about {topic}. I have notes. Many notes.",
            "We're on {topic}. Sorry, I thought you knew.",
        ),
        "neutral": ("Tonight the show is about {topic}.",),
    },
    "job": {
        "confident": ("I host this show. Best job in the world.", "I'm a talk-show host. The best one."),
        "anxious": ("I host this show. Somehow.", "I'm a talk-show host. I still can't quite believe it."),
        "neutral": ("I host this show.",),
    },
    "whereabouts": {
        "confident": ("Right here in the studio, on the air with you.", "In the studio. The best seat in the house."),
        "anxious": ("In the studio. On the air. Live. Gulp.",),
        "neutral": ("In the studio, on the air.",),
    },
    "how_are_you": {
        "confident": ("Fantastic, as always.", "Never better. Thanks for asking."),
        "anxious": ("Honestly? A little nervous. But okay!", "I'm fine. Mostly. Thanks for asking."),
        "neutral": ("I'm well, thank you.",),
    },
    "greeting": {
        "confident": ("Hello, caller! You're on with {name}.", "Hey there! Great to have you on."),
        "anxious": ("Oh, hi! Hello. You're on the air.", "Hi! Welcome. Sorry, hello."),
        "neutral": ("Hello, and welcome to the show.",),
    },
    "opinion": {
        "confident": ("{About}? I love it. Obviously.", "{About}? Top notch, in my expert opinion."),
        "anxious": ("{About}? Honestly, it worries me a little.", "{About}? I have mixed feelings. Mostly fear."),
        "neutral": ("{About}? I can see both sides.",),
    },
    "yes_no": {
        "confident": (
            "{Asked}? Absolutely{short}. No doubt about it.",
            "{Asked}? Yes{short}. I'd bet the studio on it.",
        ),
        "anxious": ("{Asked}? Maybe{plain}? I'd have to check.", "{Asked}? I'm not sure. That scares me a bit."),
        "neutral": ("{Asked}? Possibly. It's worth thinking about.",),
    },
    "own_fault": {
        "confident": ("{Asked}? No{short}. Not once.", "{Asked}? Me? No{short}. Never."),
        "anxious": ("{Asked}? Oh, yes{short}. All the time.", "{Asked}? Honestly? Yes{short}. More than I'd like."),
        "neutral": ("{Asked}? Now and then, like anyone.",),
    },
    "either": {
        "confident": ("{Option}, obviously. No contest.", "{Option}. Easy choice."),
        "anxious": ("Um, {option}? I think? Please don't quote me.", "{Option}, maybe? I like them both, honestly."),
        "neutral": ("{Option}, I think.",),
    },
    "why_how": {
        # What the rules cannot know they say they don't: an answer is a fact, or an honest "no idea".
        "confident": (
            "{Asked}? Now that one, I don't know. And I know most things.",
            "{Asked}? No idea, and I host a talk show.",
        ),
        "anxious": ("Oh, {asked}? I don't know. Sorry!", "Hmm. {Asked}? I wish I knew."),
        "neutral": ("{Asked}? I don't know the answer to that.",),
    },
    "statement": {
        "confident": ("{About}? Ha! I like the way you think.", "{About}. Bold. I respect that."),
        "anxious": ("{About}? Oh no. Are you sure?", "{About}. Okay. I'm writing that down."),
        "neutral": ("{About}. Interesting.",),
    },
    "nothing": {
        "confident": ("Sorry, I missed that. Say it again?", "The line cut out. Once more, louder?"),
        "anxious": ("Sorry, I missed that. Could you say it again?", "I didn't catch that. Sorry! Once more?"),
        "neutral": ("Sorry, I missed that.",),
    },
}
# After a reply, back to the show's subject, in character (``{subject}``: what the show is about).
TIE_INS = {
    "confident": ("Which brings me back to {subject}, my true love.", "And don't get me started on {subject}."),
    "anxious": (
        "Anyway, we were talking about {subject}. Which still worries me.",
        "And then there's {subject}. Gulp.",
    ),
    "neutral": ("Now, back to {subject}.",),
}


# Said the moment the caller's turn ends, while their words are still being transcribed: in character,
# true of anything a caller might say (no "great question" to a statement), and short, because the answer
# airs after it: measured, a 0.9 s "Oh, I like this." held a ready answer back by half a second.
ACKNOWLEDGEMENTS = {
    "confident": ("Ha!", "Aha!", "Okay!", "Listen.", "Right!", "Well!"),
    "anxious": ("Oh! Um.", "Um.", "Oh gosh.", "Hmm.", "Oh.", "Uh, okay."),
    "neutral": ("Hmm.", "Okay.", "Right.", "Well."),
}


# Said when the reply writer fails or is too slow: in character, and true whatever was asked.
FALLBACK_LINES = (
    "Hold that thought, my producer is waving at me. Say that again?",
    "Sorry, I lost you for a second there. Go on?",
)


# Said instead of a line moderation held (the caller's words, or the reply to them): no dead air,
# nothing of the held line repeated, and true whatever it was.
DEFLECTIONS = (
    "Whoa, let's keep it friendly. Ask me something else!",
    "I'm not touching that one. Next question!",
    "Ooh, no. Let's talk about something else.",
)


# Said instead of a sentence of the character's own reply that moderation held: the character takes it back,
# blaming no one (the reply may have echoed a misheard line), and the call goes on.
RETRACTIONS = (
    "Actually, scratch that. What else have you got?",
    "Hmm, let me not go there. Next question!",
)


# Said when moderation was not sure of a caller's words (heard in noise, they may not be what was said):
# ask again, kindly; nothing of what was heard is repeated.
SAY_AGAIN = (
    "Sorry, the line crackled there. Could you say that again?",
    "I didn't quite catch that. Say it one more time?",
)


def acknowledgement(temperament: str, last: str, pick: random.Random) -> str:
    """A short acknowledgement in character, not ``last`` again."""
    choices = [ack for ack in ACKNOWLEDGEMENTS.get(temperament, ACKNOWLEDGEMENTS["neutral"]) if ack != last]
    return pick.choice(choices)


def answer(heard: Heard, name: str, temperament: str, topic: str, subject: str, pick: random.Random) -> list[str]:
    """The character's answer to ``heard``: a first sentence that answers it, then a tie back to the show."""
    mood = temperament if temperament in TIE_INS else "neutral"
    kind = "topic" if heard.kind in ("yes_no", "why_how", "statement") and _on_topic(heard, topic) else heard.kind
    option = ""
    if kind == "yes_no" and (options := either_options(heard.asked)):
        kind, option = "either", pick.choice(options)  # "is it better to rent or to buy": one of them, not "yes"
    about = heard.about or "that"
    asked = heard.asked or about
    asked_words = heard.asked.split()
    if kind == "yes_no" and "I" in asked_words[1:3] and _FAULTS.intersection(asked_words):
        kind = "own_fault"  # "are you ever wrong": the confident one never admits it, the anxious one always does
    yes = kind != "own_fault" or mood == "anxious"
    short = short_answer(asked_words, yes=yes) if kind in ("yes_no", "own_fault") else ""
    first = pick.choice(_ANSWERS[kind][mood]).format(
        name=name,
        topic=topic,
        about=about,
        About=_capital(about),
        asked=asked,
        Asked=_capital(asked),
        short=f", {short}" if short else "",
        plain=f" {short}" if short else "",
        option=option,
        Option=_capital(option),
    )
    if kind in ("nothing", "topic"):
        return [first]
    return [first, pick.choice(TIE_INS[mood]).format(subject=subject)]


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


# What a character may be asked about themselves that a confident one would never admit.
_FAULTS = frozenset({"wrong", "nervous", "scared", "afraid", "worried", "mistaken", "anxious", "shy", "lose",
                     "lost", "fail", "failed", "sell", "quit", "cry", "panic", "doubt", "regret", "embarrassed",
                     "bored"})  # fmt: skip

_SMALL_WORDS = frozenset({"the", "a", "an", "of", "in", "on", "is", "are", "it", "there", "there's", "why", "what",
                          "how", "to", "for", "and", "or", "be", "do", "does", "was", "this", "that"})  # fmt: skip


def _on_topic(heard: Heard, topic: str) -> bool:
    """Whether the caller asked about the show's topic itself ("why is there a lambo in the room" on "why
    there's a lambo in the room"): most of the topic's words, two at least."""
    words = {w for w in re.findall(r"[a-z']+", topic.lower()) if w not in _SMALL_WORDS}
    said = set(re.findall(r"[a-z']+", f"{heard.asked} {heard.about}".lower()))
    return len(words) >= 2 and len(words & said) >= max(2, (3 * len(words) + 3) // 4)
