"""Which thing of a kind fits: "Which planet do we live on?", "Which animal has a trunk?", "Which fish has a
sword?". A thing of the asked kind whose gloss holds the question's words, or one such a gloss names; extinct
things last, a denial ("lacking a hump") never a yes. Returns ``(answer, sentence)``, or None.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from talkshow.knowledge.adjectives import DENIED_ABILITY, as_adjectives, best_of_kind, describes, extinct
from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import clause, plural, singular, statement, verb_forms
from talkshow.knowledge.glosses import Found, is_mass, nouns
from talkshow.knowledge.numbers import NUMBER_WORDS
from talkshow.knowledge.owners import part_owner
from talkshow.knowledge.question import Question
from talkshow.knowledge.superlatives import SAME_SUPERLATIVE

__all__ = ["FILLER_WORDS", "which"]

FILLER_WORDS = frozenset(
    "a an the is are was were do does did can has have we you i they it on in of to at from for with by "
    "say says said make makes made give gives come comes usually most very".split()
)


def which(kb: KnowledgeBase, question: Question) -> Found:
    """ "Which planet do we live on": a thing of the asked kind whose gloss holds the question's words ("the planet
    we live on": Earth), or one a gloss of those words names ("meow: the sound made by a cat")."""
    kind, words = question.detail, [w for w in question.subject.split() if w not in FILLER_WORDS]
    kinds = {k.id for k in kb.senses(singular(kind), "n")}
    if not kinds or not words:
        return None
    if any(w in ("most", "least") for w in question.subject.split()):
        return None  # "which country has the most people": the words left ("people") would name any country

    counted = [(n, thing) for n, thing in itertools.pairwise(words) if n in NUMBER_WORDS]
    # "which animal has no legs": the gloss must say "no legs", not "long hind legs and no cheek pouches"
    lacking = [f"{no} {thing}" for no, thing in itertools.pairwise(words) if re.fullmatch(_DENIALS, no)]

    # A child asking "which animal has a long neck" means a living one: an extinct one is kept for last (the
    # sauropod's gloss says "animal", "long neck" and "tail"; the giraffe's says "very long neck" and no "animal").
    gone_kind = any(extinct(kb, k) for k in kb.senses(singular(kind), "n")[:1])
    gone: list[Sense] = []

    def living(sense: Sense) -> bool:
        if gone_kind or not extinct(kb, sense):
            return True
        gone.append(sense)
        return False

    def of_kind(sense: Sense, said_as_asked: bool = True) -> bool:
        says_counts = all(  # "three sides" is "three sides" or "three-sided", not "three-dimensional ... sides"
            re.search(rf"\b{n}[ -](?:{re.escape(thing)}|{re.escape(singular(thing))}(?:ed|d)?)\b", sense.definition)
            for n, thing in counted
        )
        if not said_as_asked:  # said by an adjective ("legless"), which carries the question's yes or no
            says = True
        elif lacking:
            says = all(re.search(rf"\b{re.escape(n)}\b", sense.definition) for n in lacking)
        else:  # "llama: ... related to camels but smaller and lacking a hump" has no hump
            says = says_counts and not _denied(sense.definition, words)
        fits = sense.pos == "n" and says and bool(kinds & {a.id for a in kb.ancestors(sense.id)})
        return fits and living(sense)

    if len(words) == 1 and (owner := part_owner(kb, words[0], kinds)) is not None:
        return owner  # "quill: a stiff hollow protective spine on a porcupine or hedgehog"
    same = [SAME_SUPERLATIVE.get(w, w) for w in words]  # "closest to the sun": "the nearest to the sun"
    for asked in (words, same) if same != words else (words,):
        for sense in kb.search(singular(kind), *asked, limit=20):
            if of_kind(sense):
                return _itself(sense, words)
    for asked in _by_other_names(kb, words):  # "the short low gruff noise of the kind made by hogs": a pig's oink
        for sense in kb.search(*asked, limit=20):
            if of_kind(sense):
                return _itself(sense, words)
    for asked in _by_other_verbs(kb, question.subject):  # "what gas do plants take in": the one they absorb
        for sense in kb.search(singular(kind), *asked, limit=10):
            if of_kind(sense) or _glossed_as(sense, singular(kind)):  # carbon dioxide is an oxide, "a ... gas"
                return _what_it_is_and_does(sense, asked[-1])
    glossed = kb.search(*words, limit=20)
    hop = not lacking and not DENIED_ABILITY & set(words)  # "cannot fly" is no gloss that says "fly"
    for sense in glossed[:10] if hop else []:  # one hop: a gloss that names a thing of the kind
        if sense.pos != "n" or _denied(sense.definition, words):
            continue
        if of_kind(sense):  # "cow: female of domestic cattle; 'moo-cow' is a child's term" is the animal, not "female"
            return _itself(sense, words)
        if sense in gone:  # of the kind, but extinct: its gloss's "small head" is no animal ("200 head of cattle")
            continue
        for word in re.findall(r"[a-z]+", sense.definition):
            found = next((s for s in kb.senses(word, "n")[:1] if of_kind(s)), None)
            if found is not None:
                said = statement(sense.head, clause(sense.definition, word))
                return singular(word), said  # "the horns of ungulates": an ungulate
    for sense in glossed:  # last, a thing of the kind whose gloss does not name the kind
        if of_kind(sense):  # ("spider: predatory arachnid with eight legs" is an animal four kinds up)
            return _itself(sense, words)
    for adjective in as_adjectives(kb, words, _DENIAL_WORDS):  # last, "one-humped camel", "flightless bird"
        fitting = [s for s in kb.search(adjective, limit=20) if describes(s, adjective) and of_kind(s, False)]
        if fitting:
            return _itself(best_of_kind(fitting, singular(kind))[0])
    if (compound := _named_for(kb, words, kind, of_kind)) is not None:
        return compound
    return _itself(gone[0], words) if gone else None


def _named_for(kb: KnowledgeBase, words: list[str], kind: str, of_kind: Callable[[Sense], bool]) -> Found:
    """A thing of the kind named for the thing asked: "which fish has a sword" is the swordfish ("a long swordlike
    upper jaw"), "which fish has a saw" the sawfish."""
    for word in words:
        for name in (f"{singular(word)}{singular(kind)}", f"{singular(word)} {singular(kind)}"):
            sense = next((s for s in kb.senses(name, "n")[:2] if of_kind(s)), None)
            if sense is not None:
                return _itself(sense, [singular(word)])
    return None


def _itself(sense: Sense, asked: Sequence[str] = ()) -> Found:
    """``sense`` as the answer, said in its own gloss, by a common name where it has one: "Arabian camel" is also
    a "dromedary", and is no one's proper name. The piece of the gloss said is the one with the last of the
    ``asked`` words it holds: to "which animal has a long neck", "a sauropod is a very large dinosaur having a
    small head a long neck", not only "a very large dinosaur"."""
    proper = sense.head[:1].isupper() and not re.search(r" [a-z]+$", sense.head)  # "Earth", not "Arabian camel"
    name = sense.head if proper else next((w for w in sense.words if w[:1].islower()), sense.head)
    keep = next((w for w in reversed(asked) if re.search(rf"\b{re.escape(w)}", sense.definition, re.I)), "")
    return name, statement(name, clause(sense.definition, keep), proper)


_DENIAL_WORDS = frozenset(("lacking", "lacks", "without", "no", "not", "never", "nor"))
_DENIALS = rf"(?:{'|'.join(sorted(_DENIAL_WORDS))})"


def _denied(definition: str, words: list[str]) -> bool:
    """Whether ``definition`` says one of ``words`` only to deny it, a denial at most two words before it."""
    text = definition.lower()
    return any(re.search(rf"\b{_DENIALS}\W+(?:\w+\W+){{0,2}}?{re.escape(w)}\b", text) for w in words)


def _by_other_names(kb: KnowledgeBase, words: list[str]) -> list[list[str]]:
    """``words`` with an animal's name swapped for its other names, each as one and as many ("pig": "hog",
    "hogs", "grunter"...): a gloss may name it by any of them."""
    swapped: list[list[str]] = []
    for at, word in enumerate(words):
        animal = [
            s
            for s in nouns(kb, singular(word), 1)
            if s.lexname == "noun.animal" and any(a.head == "animal" for a in kb.ancestors(s.id))
        ]  # a creature, not a part of one (a trunk is also a proboscis)
        others = [w.lower() for s in animal for w in s.words if " " not in w and w.lower() != singular(word)]
        for other in dict.fromkeys(f for o in others for f in (o, plural(o))):
            swapped.append([*words[:at], other, *words[at + 1 :]])
    return swapped


_DOER_DOES = re.compile(r"^(?:do|does|did) (?:the |a |an )?([a-z]+) ([a-z]+)(?: ([a-z]+))?$")


def _by_other_verbs(kb: KnowledgeBase, subject: str) -> list[list[str]]:
    """For "(what gas) do plants take in": who does it, with the verb said the other ways WordNet says it, in the
    forms a gloss may use ("absorb": "absorbed", "absorbs"); "carbon dioxide: ... absorbed from the air by
    plants in photosynthesis". A two-word verb ("take in") is the verb when WordNet has it."""
    shape = _DOER_DOES.match(subject)
    if shape is None:
        return []
    doer, verb, particle = shape[1], shape[2], shape[3]
    phrase = f"{verb} {particle}" if particle and kb.senses(f"{verb} {particle}", "v") else verb
    base = kb.lemmas(phrase, "v")[-1]
    said = [base] if " " not in base else []  # "absorb" as "absorbed"; "take in" only as "absorb" and the others
    others = dict.fromkeys(said + [w.lower() for s in kb.senses(base, "v")[:6] for w in s.words if " " not in w])
    return [[doer, form] for other in others for form in verb_forms(other)]


def _what_it_is_and_does(sense: Sense, done: str) -> Found:
    """ "Carbon dioxide is a heavy odorless colorless gas formed during respiration, absorbed from the air by plants
    in photosynthesis": what it is, then the piece of its gloss that says ``done`` to it."""
    what = statement(sense.head, clause(sense.definition), mass=is_mass(sense))
    piece = clause(sense.definition, done)
    if piece and piece not in what:
        what = f"{what}, {piece}"
    return sense.head, what


def _glossed_as(sense: Sense, kind: str) -> bool:
    """Whether the gloss begins by saying ``sense`` is a ``kind``: "a heavy odorless colorless gas formed ..."."""
    return (
        sense.pos == "n"
        and re.match(rf"^(?:an? |the )?(?:[a-z-]+ ){{0,4}}?{re.escape(kind)}\b", sense.definition) is not None
    )
