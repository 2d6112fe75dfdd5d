"""What a question asks: its kind, its subject and what about it, and for a follow-up, the subject before.

Spoken questions come in a few shapes ("how many legs does a spider have", "what colour is a
banana", "is a whale a fish", "what do bees make", "what's the capital of France"); each
shape is a pattern here, tried in order, and the first that fits names the kind. A pronoun
("how many does it have?", "what colour are they?") or a bare "what about cats?" takes the
subject, or the whole question, from the turn before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

__all__ = ["FACT_KINDS", "Question", "follow_up", "understand_question"]

# Kinds whose answer is a fact: when the knowledge has none, the honest answer is "no idea".
FACT_KINDS = frozenset(
    {"how_many", "colour", "where", "who", "who_did", "what_is", "is_a", "opposite", "makes", "capital",
     "language", "currency", "superlative", "can", "population", "continent", "which", "called", "yes_no", "eats",
     "becomes", "lives_in", "compare", "how_many_there_are", "known_as", "measures", "has_parts", "is_in",
     "has", "used_for"}
)  # fmt: skip
PRONOUNS = frozenset(
    {"it", "they", "them", "its", "their", "that", "this", "one", "ones", "he", "she", "him", "her", "there"}
)

_CONTRACTIONS = {
    "what's": "what is", "where's": "where is", "who's": "who is", "how's": "how is", "that's": "that is",
    "it's": "it is", "whats": "what is", "wheres": "where is", "whos": "who is", "what're": "what are",
    "colour's": "colour is", "color": "colour", "colors": "colours", "grey": "gray",
}  # fmt: skip
_FILLER = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|hi|um|uh|er|well|right|oh|yeah|duke|wendell|theo|quick question|"
    r"i have a question|question|can you tell me|could you tell me|do you know|i wonder|i want to know|"
    r"i'd like to know|please|ah)[,!.]?\s+)+"
)
_ARTICLE = re.compile(r"^(?:a|an|the|some|any|your|my|our|that|this|these|those)\s+")  # "what colour is that ruby"
# Kinds of thing a yes-or-no may ask about with no article ("is iron metal?"), where any other word may be a quality
# ("is the sun hot?").
_CATEGORIES = (
    "fruit|vegetable|metal|planet|star|mammal|bird|fish|reptile|amphibian|insect|arachnid|animal|plant|tree|flower|"
    "mineral|gas|liquid|gem|country|city|continent|ocean|river|island|language|number|colour|nut|berry|grain|cat|dog"
)


@dataclass(frozen=True)
class Question:
    """A question understood: ``kind``, the ``subject`` it is about, and ``detail`` (what is counted, the
    category asked of, a superlative...), as plain lower-case words."""

    kind: str
    subject: str = ""
    detail: str = ""
    text: str = ""

    @property
    def needs_subject(self) -> bool:
        """The subject is a pronoun: the turn before names it."""
        return self.subject in PRONOUNS or not self.subject


def _clean(heard: str) -> str:
    text = heard.lower().replace("’", "'").strip()
    text = re.sub(r"[^a-z0-9' +\-*/×÷.,]+", " ", text)
    words = [_CONTRACTIONS.get(w, w) for w in text.replace(",", " ").split()]
    text = " ".join(words).strip(" .")
    return _FILLER.sub("", text).strip()


def _noun(phrase: str) -> str:
    """A noun phrase without its article or trailing words ("a spider's" -> "spider")."""
    phrase = phrase.strip(" .?!'")
    phrase = re.sub(r"'s$|s'$", "", phrase)
    previous = None
    while previous != phrase:
        previous = phrase
        phrase = _ARTICLE.sub("", phrase)
    return phrase.strip()


_SUPERLATIVE = (
    r"tallest|biggest|largest|smallest|fastest|slowest|longest|shortest|highest|deepest|hottest|coldest|"
    r"heaviest|oldest|brightest|closest|nearest|loudest|strongest|widest|driest|wettest|farthest|furthest|warmest"
)
# (kind, pattern): the named groups ``subject`` and ``detail`` say what they hold.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("capital", r"(?:what|which) (?:is|was) (?:the )?capital(?: city)? (?:of|on|in|for|and) (?P<subject>.+)"),
    ("capital", r"(?:.* )?(?:the )?capital(?: city)? (?:of|on|in|for|and) (?P<subject>.+)"),  # "was in the capital of"
    ("capital", r"what is (?P<subject>.+?)'s capital(?: city)?"),
    ("language", r"what (?:language|languages) (?:do|does) (?:they|people|you|the people|one|i|we) speak in "
                 r"(?P<subject>.+)"),
    ("language", r"what (?:language|languages)(?: is| are|s)? spoken in (?P<subject>.+)"),  # "languages spoken"
    ("language", r"what (?:language|languages) (?:do|does) (?:they|people) speak(?: (?P<subject>there))?"),
    ("language", r"what (?:language|languages) (?:do|does) (?:you|i|we) speak (?P<subject>there)"),  # "there": a place
    # One word misheard before "speak there" ("do my speak there", CI seed 163040): still the place before.
    ("language", r"what (?:language|languages) (?:do|does) [a-z']+ speak (?P<subject>there)"),
    ("language", r"what (?:language|languages) (?:do|does) (?P<subject>.+?) speak"),
    ("language", r"what (?:do|does) (?:they|people) speak in (?P<subject>.+)"),
    ("language", r"what is the (?:language|official language) of (?P<subject>.+)"),
    ("currency", r"what (?:currency|money) (?:do|does) (?:they|people|you) (?:use|pay with|have) in (?P<subject>.+)"),
    ("currency", r"what (?:currency|money) (?:do|does) (?:they|people|you) (?:use|pay with|have)"
                 r"(?: (?P<subject>there))?"),
    ("currency", r"what (?:currency|money) (?:do|does) [a-z']+ (?:use|pay with|have) (?P<subject>there)"),
    ("currency", r"what (?:currency|money) (?:is|are) used in (?P<subject>.+)"),
    ("currency", r"what is the (?:currency|money) (?:of|in) (?P<subject>.+)"),
    ("currency", r"what (?:currency|money) (?:do|does) (?P<subject>.+?) use"),
    ("population", r"how many people live in (?P<subject>.+)"),
    ("population", r"what is the population of (?P<subject>.+)"),
    ("continent", r"(?:what|which) continent is (?P<subject>.+?) (?:in|on)"),
    ("how_many", r"how many (?P<detail>[a-z ]+?) (?:does|do|did) (?P<subject>.+?) (?:have|has|got|grow|own)"),
    ("how_many", r"how many (?P<detail>[a-z ]+?) (?:has|have) (?P<subject>.+?)(?: got)?"),
    ("how_many", r"how many (?P<detail>[a-z ]+?) (?:are|is) (?:there )?(?:on|in) (?P<subject>.+)"),
    ("how_many", r"how many (?P<detail>[a-z]+?) (?:on|in) (?P<subject>.+)"),
    ("how_many", r"how many (?:does|do) (?P<subject>.+?) have"),
    ("how_many_there_are", r"how many (?P<subject>[a-z]+) (?:are|is) there(?: in the world| on earth| altogether)?"),
    # The verb misheard ("how many arms does an octopus stand"): a thing and one more word is still the question.
    ("how_many", r"how many (?P<detail>[a-z ]+?) (?:does|do) (?P<subject>(?:a|an|the) [a-z]+) [a-z]+"),
    ("colour", r"what colour (?:is|are|was|were) (?P<subject>.+)"),
    ("colour", r"what colour (?:do|does) (?P<subject>.+?) (?:have|come in)"),
    ("colour", r"(?:which|what) is the colour of (?P<subject>.+)"),
    ("superlative", rf"(?:what|which|who) (?:is|are|was) the (?P<detail>{_SUPERLATIVE}) (?P<subject>.+?)"
                    r"(?: in the world| on earth| ever| alive)?"),
    ("opposite", r"what is the opposite of (?P<subject>.+)"),
    ("opposite", r"what is (?:the )?(?:antonym|opposite) (?:of|for) (?P<subject>.+)"),
    ("opposite", r"opposite of (?P<subject>.+)"),
    ("makes", r"what (?:do|does|did) (?P<subject>.+?) (?P<detail>make|produce|give us|give|spin|lay|make for us)"),
    ("makes", r"what (?:is|are) made by (?P<subject>.+)"),
    ("who_did", r"who (?P<detail>invented|discovered|wrote|painted|composed|built|founded|created|made|designed) "
                r"(?P<subject>.+)"),
    ("who", r"who (?:is|was|were) (?P<subject>.+)"),
    ("compare", r"(?:which|what|who) (?:is|are|was) (?P<detail>bigger|larger|smaller|faster|quicker|slower|taller|"
                r"shorter|longer|heavier|lighter|hotter|warmer|colder|cooler) (?P<subject>.+ or .+)"),
    ("compare", r"(?:is|are) (?P<subject>(?:a |an |the )?[a-z]+) (?P<detail>bigger|larger|smaller|faster|quicker|"
                r"slower|taller|shorter|longer|heavier|lighter|hotter|warmer|colder|cooler) (?P<than>than .+)"),
    ("lives_in", r"(?:do|does) (?P<subject>.+?) live (?:in|at|on|near) (?P<detail>.+)"),
    ("eats", r"what (?:do|does|did) (?P<subject>.+?) (?:eat|feed on|live on)"),
    ("measures", r"what (?:do|does|can) (?P<subject>.+?) (?:measure|measures|record|show)"),
    ("measures", r"what (?:do|does) (?:you|we|people) (?:measure|use) with (?P<subject>.+)"),
    ("used_for", r"what (?:do|can|should) (?:you|we|people|one) use (?:to|for) (?P<detail>[a-z]+) (?P<subject>.+)"),
    ("used_for", r"what (?:is|are) used (?:to|for) (?P<detail>[a-z]+) (?P<subject>.+)"),
    ("becomes", r"what (?:do|does|did|will) (?P<subject>.+?) (?:turn into|grow into|grow up to be|become|change into)"),
    ("where", r"where (?:do|does|did) (?P<subject>.+?) (?:live|come from|grow|originate|nest|sleep)"),
    ("where", r"where (?:is|are|was|were) (?P<subject>.+?)(?: from| located| found)?"),
    ("where", r"where can (?:i|you|we|one) find (?P<subject>.+)"),
    ("can", r"can (?P<subject>.+?) (?P<detail>fly|swim|walk|run|talk|sing|jump|climb|see|hear|breathe underwater)"),
    ("has_parts", r"(?:do|does) (?P<subject>.+?) (?:have|has) (?P<detail>(?:[a-z]+ )?(?:legs|wings|arms|tentacles|"
                  r"wheels|sides|corners|eyes|fins|humps|horns|toes|fingers|strings|players|days))"),
    ("has", r"(?:do|does) (?P<subject>[a-z]+(?: [a-z]+)?) (?:have|has|breathe (?:with|through)) (?:any )?"
            r"(?P<detail>[a-z]+(?: [a-z]+)?)"),
    ("is_in", r"(?:is|are) (?!it\b|there\b|that\b|this\b)(?P<subject>[a-z]+(?: [a-z]+)?) in "
              r"(?P<detail>(?:the )?[a-z]+(?: [a-z]+)?)"),
    ("is_a", r"(?:is|are|was) (?P<subject>.+?) (?:a|an|the)? ?(?P<detail>[a-z]+ ?[a-z]*?) or (?:not|what)"),
    ("is_a", r"(?:is|are|was|were) (?P<subject>(?:a|an|the) [a-z ]+?|[a-z]+) "
             r"(?:a|an|kind of|a kind of|a type of|type of) (?P<detail>[a-z ]+)"),
    ("is_a", r"(?:is|are) (?P<subject>[a-z]+s) (?P<detail>[a-z]+s)"),
    # "Is iron metal?", "is a tomato fruit?": the article left out (or not heard) before a kind of thing
    ("is_a", rf"(?:is|are|was) (?P<subject>(?:a |an |the )?[a-z]+) (?P<detail>{_CATEGORIES})s?"),
    ("superlative", r"(?:which|what) (?P<subject>[a-z]+) (?:is|are|was) the (?P<detail>[a-z]+est)"),
    ("known_as", r"(?:what|which) (?P<detail>[a-z]+) (?:is|was) (?:known as|called|also called|nicknamed) "
                 r"(?P<subject>.+)"),
    ("known_as", r"what is (?:another|a other|one more) (?:name|word) for (?P<subject>.+)"),
    ("called", r"what (?:do|does|did) (?:you|we|people|one) call (?P<subject>.+)"),
    ("called", r"what (?:is|are) (?P<subject>.+?) called"),
    ("which", r"(?:which|what) (?P<detail>[a-z]+) (?P<subject>(?:is|are|was|were|do|does|did|can|cannot|can't|has|"
              r"have|says?|makes?|lives?|gives?|eats?) .+)"),
    ("what_is", r"what (?:is|are|was|were) (?P<subject>(?:a|an|the) .+|[a-z]+(?: [a-z]+)?)"),
    ("what_is", r"what does (?P<subject>.+?) mean"),
    # Any other yes-or-no about the world: nothing answers it yet, so it is an honest "no idea", never a coin
    # flip said with confidence. Not about the caller or the character, not "should", not an opinion on "it".
    ("yes_no", r"(?:is|are|was|were|do|does|did|can|could|has|have) (?!it\b|there\b|that\b|this\b)(?P<subject>.+)"),
    ("what_is", r"(?:define|describe|tell me about|what do you know about) (?P<subject>.+)"),
    ("what_is", r"what (?:is|are) (?P<subject>.+?) (?:made (?:of|from)|for)"),
)  # fmt: skip
# "the sky on a clear day", "bananas when they're ripe": the thing asked about, without when or how
_CIRCUMSTANCE = re.compile(r"\s+(?:on a|on|at|in the|when|during|at night|after|before|usually|normally)\b.*$")
_COMPILED = tuple((kind, re.compile(f"^{pattern}$")) for kind, pattern in _PATTERNS)
# Words that name what another kind of question asks of a thing: "the opposite on top" is that question misheard.
_ASKED_OF = frozenset({"opposite", "antonym", "capital", "population", "currency", "language", "colour", "color"})
_NOT_SUBJECTS = frozenset({"you", "your name", "up", "going on", "new", "the topic", "this show", "the show", "that"})


def understand_question(heard: str) -> Question | None:
    """The question ``heard`` asks, if it is a kind the knowledge stage answers; None otherwise."""
    text = _clean(heard).rstrip("?")
    # "What do pigs say?" asks the sound they make, as "what sound does a pig make" does.
    text = re.sub(r"^what (?:do|does) (.+?) (?:say|says)$", r"what sound does \1 make", text)
    if not text:
        return None
    said = heard.lower().strip(" ?.!")
    about = re.match(
        r"^(?:and |but |so )?(?:what|how)(?:'s| is)? about (?P<subject>[a-z ]+)$"
        r"|^and (?!what|how|who|where|which|why|when|is|are|can|do|does|did)(?P<other>[a-z ]+)$",
        said,
    )
    if about:  # "what about cats?", "and Kenya?": the question before, of a new subject
        return Question("about", _noun(about.group("subject") or about.group("other") or ""), "", text)
    for kind, pattern in _COMPILED:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        raw = (groups.get("subject") or "").strip()
        if kind in ("what_is", "where", "who", "colour") and re.match(
            r"^(?:you|your|yours|my|mine|i|me|the topic|the show|this show|tonight)\b", raw
        ):
            return None  # "what is your name", "where are you": the character's own life or the show, not a fact
        if re.search(
            r"\b(?:i|my|me|mine|your|yours)\b|\byou\b(?! use| speak| pay)", f"{raw} {groups.get('detail') or ''}"
        ):
            return None  # about the caller or the character ("what fruit did I say I like"): not in any book
        if kind == "compare":  # two things, kept whole: "an elephant or a mouse", "an elephant than a mouse"
            return Question(kind, " ".join([raw, groups.get("than") or ""]).strip(), groups["detail"], text)
        # "a doctor who looks after animals" is who is asked about, not "a doctor who looks" after something
        whole = kind == "called" and re.search(r"\b(?:who|that)\b", raw) is not None
        subject = raw if kind == "which" else _noun(raw if whole else re.sub(_CIRCUMSTANCE, "", raw))
        detail = _noun(groups.get("detail") or "")
        if kind in ("what_is", "where", "who") and subject in _NOT_SUBJECTS:
            return None
        if kind == "what_is" and subject.split()[0] in {"the", "up", "wrong", "happening", "that", "this"}:
            return None
        if kind == "what_is" and subject in _ASKED_OF and subject != _noun(raw):
            return None  # "what's the opposite on heart": a question of another kind, misheard, not what "opposite" is
        return Question(kind, subject, detail, text)
    return None


def follow_up(question: Question, before: Question | None) -> Question:
    """``question`` with what a follow-up leaves out taken from ``before`` (the last question understood)."""
    if before is None:
        return question
    if question.kind == "about":  # "what about cats?": the question before, asked of a new subject
        return replace(before, subject=question.subject, text=question.text)
    if question.needs_subject:  # "how many does it have?": the subject, and what was counted, from before
        detail = question.detail or (before.detail if before.kind == question.kind else "")
        return replace(question, subject=before.subject, detail=detail)
    return question
