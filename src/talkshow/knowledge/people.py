"""Who does a thing: "What do you call a person who bakes bread?" -> the person whose gloss says it ("baker:
someone who bakes bread or cake").

The question's own words are looked for in the glosses of people, the verb in the forms a gloss says it in
("bakes", "cuts"); where none says it so, one step through the verb's own gloss: to fly a plane is to "operate an
airplane", and a pilot is "licensed to operate an aircraft" (an airplane is a heavier-than-air craft, an
aircraft: two steps up). One who fixes teeth or looks after animals is named only through a field: the person who
practises the widest field about the thing ("dentistry: the branch of medicine ... of the teeth").
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import a_or_an, singular, verb_forms
from talkshow.knowledge.glosses import Found, full_name, nouns
from talkshow.knowledge.question import Question

__all__ = ["first_to_use", "person_who"]

_PERSON_WHO = re.compile(
    r"^(?:a |an )?(?P<role>person|someone|somebody|man|woman|worker|doctor|scientist|specialist|expert) "
    r"(?:(?:who|that) (?P<doing>[a-z ]+)|for (?P<cared_for>[a-z ]+))$"
)
_LEFT_OUT = frozenset("a an the some their his her its of for".split())
# What a practitioner does to what their field is about: a dentist fixes teeth, a vet looks after animals.
_PRACTISING = frozenset("fix mend treat heal cure look care help examine check study".split())


def person_who(kb: KnowledgeBase, subject: str) -> Found:
    """The person whose gloss says they do what ``subject`` says ("person who cuts hair": a hairdresser)."""
    match = _PERSON_WHO.match(subject)
    if match is None:
        return None
    if match["cared_for"]:  # "a doctor for animals"
        found = _by_field(kb, [w for w in match["cared_for"].split() if w not in _LEFT_OUT], match["role"])
        return None if found is None else _named(subject, found)
    verb, *rest = [w for w in match["doing"].split() if w not in _LEFT_OUT]
    if not rest:
        return None
    for said in _verb_forms(kb, verb):
        for done_to in dict.fromkeys([tuple(rest), tuple(singular(w) for w in rest)]):  # "cakes", "or cake"
            found = _glossed(kb, [said, *done_to])
            if found is not None:
                return _named(subject, found)
    for said, kinds in _said_otherwise(kb, verb, rest):
        for thing in kinds:
            found = _glossed(kb, [said, thing]) or _glossed(kb, [said + "s", thing])
            if found is not None:
                return _named(subject, found)
    base = kb.lemmas(verb, "v")[-1]
    if (
        base in _PRACTISING
        and (found := _by_field(kb, [w for w in rest if w not in ("after", "for")], match["role"])) is not None
    ):
        return _named(subject, found)
    return None


def _by_field(kb: KnowledgeBase, things: list[str], role: str) -> Sense | None:
    """The one who practises or studies the field that is about ``things``: "dentistry: the branch of medicine
    dealing with ... the teeth", and a dentist is "qualified to practice dentistry"; "botany: the branch of
    biology that studies plants", and a botanist is its person (WordNet links the two words). The widest field
    first ("exodontics: the branch of dentistry ..." is a part of dentistry), and a ``role`` asked for ("a
    doctor for animals") must be what the person is: a vet is a doctor, a zoologist is not."""
    if len(things) != 1:
        return None
    named = rf"\b(?:{re.escape(things[0])}|{re.escape(singular(things[0]))})\b"
    fields = [
        f
        for f in kb.search(things[0], lexname="noun.cognition", limit=20)
        if re.match(r"^(?:the )?(?:branch|study|science)\b", f.definition.lower()) and re.search(named, f.definition)
    ]
    names = {w.lower() for f in fields for w in f.words}
    widest = [f for f in fields if not any(re.search(rf"\b{re.escape(n)}\b", f.definition) for n in names)]
    for field in widest:
        for person in _practitioners(kb, field):
            if role in ("", "person", "someone", "somebody", "man", "woman", "worker"):
                return person
            if any(role in up.words for up in kb.ancestors(person.id, depth=4)):
                return person
    return None


def _practitioners(kb: KnowledgeBase, field: Sense) -> list[Sense]:
    """The people of ``field``: the words WordNet links to it, and those glossed as practising it."""
    found = [p for p in kb.related(field.id, ("+",)) if p.lexname == "noun.person"]
    for name in (w.lower() for w in field.words):
        practise = rf"\b(?:practi[cs]es?|studies|specializing in)\W+(?:\w+\W+){{0,2}}?{re.escape(name)}\b"
        found += [p for p in kb.search(name, lexname="noun.person", limit=5) if re.search(practise, p.definition)]
    return list({p.id: p for p in found}.values())


def _verb_forms(kb: KnowledgeBase, verb: str) -> list[str]:
    """The forms a gloss says ``verb`` in: as asked, with -s ("someone who bakes"), and its base (WordNet's)."""
    base = kb.lemmas(verb, "v")[-1]  # "flies" -> "fly", "fixes" -> "fix"
    return list(dict.fromkeys([verb, verb_forms(base)[1], base]))


def _glossed(kb: KnowledgeBase, words: list[str]) -> Sense | None:
    """The first person whose gloss says the verb (``words[0]``) and then, within a few words, what it is done to:
    "someone who bakes bread", not "a motorist who owns the car that he/she drives"."""
    # the words between may not deny it: a vegan is "someone who eats no animal ... products"
    doing = r"\W+(?:(?!(?:no|not|never|without)\b)\w+\W+){0,3}?".join(re.escape(w) for w in words)
    for sense in kb.search(*words, lexname="noun.person", limit=5):
        if sense.head[:1].isupper():
            continue  # one person (Galileo studied the stars), not what such a person is called
        if re.search(rf"\b{doing}\b", sense.definition.lower()):
            return sense
    return None


def _said_otherwise(kb: KnowledgeBase, verb: str, things: list[str]) -> list[tuple[str, list[str]]]:
    """The verb's own glosses that name the thing done to ("fly: operate an airplane", where a plane is also an
    airplane): that gloss's verb, and the thing and the kind it is (an airplane is an aircraft)."""
    if len(things) != 1:
        return []
    names: dict[str, Sense] = {}
    for sense in kb.senses(singular(things[0]), "n")[:6]:  # every sense: "plane" the airplane is its third
        for word in sense.words:
            names[word.lower()] = sense
    out = []
    for sense in kb.senses(kb.lemmas(verb, "v")[-1], "v")[:4]:
        said = re.match(r"^([a-z]+) (?:a |an |the )?([a-z]+)\b", sense.definition.lower())
        if said and said[2] in names:
            kinds = [said[2], *(k.head for k in kb.ancestors(names[said[2]].id, depth=2))]
            out.append((said[1], kinds))
    return out


def _named(subject: str, person: Sense) -> Found:
    """ "A person who bakes bread is called a baker: someone who bakes bread or cake"."""
    name = person.head
    said = subject if subject.startswith(("someone", "somebody")) else f"{a_or_an(subject)} {subject}"
    return name, f"{said[0].upper()}{said[1:]} is called {a_or_an(name)} {name}: {person.definition}"


_TO_CLAUSE_END = r"(?:(?! and (?:was|were|is|who)\b)[^;(])*"  # "... to study anatomy", not "and was among ..."


def first_to_use(kb: KnowledgeBase, question: Question) -> Found:
    """ "Who invented the printing press?", where no gloss names its inventor: the one person whose gloss says they
    were the first to use it, said as that and no more ("Johann Gutenberg was the first to use a press"). A first
    use is not an invention: Galileo was "the first to use a telescope to study the stars"; he did not make it."""
    if question.detail != "invented":
        return None
    found: dict[str, tuple[str, str]] = {}
    for name in dict.fromkeys(w.lower() for s in nouns(kb, question.subject, 1) for w in s.words):
        for person in kb.search(name, "first", lexname="noun.person", limit=10):
            used = rf"\bthe first (?:[a-z]+ ){{0,3}}?to use (?:a |an |the )?{re.escape(name)}\b{_TO_CLAUSE_END}"
            said = re.search(used, person.definition)
            if said and person.head[:1].isupper():
                found.setdefault(person.head, (full_name(person), said.group(0).strip(" ,")))
    if len(found) != 1:
        return None  # two people "first" with one thing: no one answer
    name, first = next(iter(found.values()))
    return name, f"{name} was {first}"
