"""Answers taken from the glosses in code: what colour, what it is, who, who did it (where: ``places``; how
many: ``counts``).

Each returns ``(answer, fact)``: the answer word as said ("eight", "Paris", "yes") and a sentence
that holds it, built from the source's own words; or None when the knowledge holds no answer.
Nothing here guesses: a number is one the gloss says, a colour one it names, a yes one the
hypernym chain shows.
"""

from __future__ import annotations

import re

from talkshow.knowledge.base import KnowledgeBase, Sense
from talkshow.knowledge.english import a_or_an, clause, plural, singular, statement
from talkshow.knowledge.naming import agreeing, named
from talkshow.knowledge.question import Question

__all__ = [
    "KNOWN_KINDS",
    "Found",
    "colour",
    "first_class",
    "full_name",
    "is_mass",
    "nouns",
    "of_its_class",
    "own_senses",
    "say",
    "what_is",
    "who",
    "who_did",
]

# (the answer, a sentence that holds it) from WordNet; or with a third part, the source where it is not WordNet alone.
Found = tuple[str, str] | tuple[str, str, str] | None

COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "violet", "pink", "brown", "black", "white", "gray",
           "grey", "golden", "silver", "tan", "tawny", "scarlet", "crimson")  # fmt: skip
_MASS = re.compile(
    r"^(?:[\w-]+ ){0,4}(?:liquid|fluid|substance|fabric|fibers?|fibres?|material|metal|gas|powder|oil|"
    r"grain|herbage|food|drink|beverage|meat|flesh|layer|precipitation|water|solid|alloy)\b"
)
_MASS_FILES = ("noun.food", "noun.substance", "noun.body", "noun.object", "noun.plant", "noun.phenomenon")
KNOWN_KINDS = ("mammal", "bird", "fish", "reptile", "amphibian", "insect", "arachnid", "crustacean", "mollusk",
                "fruit", "vegetable", "nut", "berry", "tree", "flower", "planet", "star", "moon", "metal", "gas",
                "liquid", "country", "city", "river", "ocean", "sea", "mountain", "continent", "island", "language",
                "instrument", "vehicle", "dog", "cat", "horse", "plant", "animal")  # fmt: skip


# The octopus before octopus as food, the banana before its plant, and a living thing before an event that borrows
# its name (a mushroom before a mushroom cloud). A plant sense goes after a food sense only: "fruit" the plant's
# ripened body keeps its place before "the consequence of some effort".
_LIVING = {"noun.animal": 0, "noun.food": 1, "noun.plant": 2, "noun.phenomenon": 3}


def nouns(kb: KnowledgeBase, subject: str, limit: int = 4) -> list[Sense]:
    """The subject's noun senses, most likely first: those the word names first (a dolphin the whale before the
    dolphinfish, "dolphinfish; dolphin; mahimahi"), and a person-sense of a common noun ("a whale" as a large
    person) last. WordNet's own order is by how often each sense was tagged, and most were never tagged."""
    senses = kb.senses(subject, "n")
    forms = set(kb.lemmas(subject, "n"))
    one = singular(subject)
    # The rank of the first literal sense that is not a person: a person-sense after it is a figure of speech ("a
    # whale" as a large person), one before it is the word's own meaning (a doctor, before the children's game).
    literal = min((s.rank for s in senses if s.lexname != "noun.person" and s.head.lower() in forms), default=None)
    # Its plant comes after a food it names (an apple the fruit, then the tree); not after one named otherwise
    # (a rose is a shrub before "blush wine; pink wine; rose" and before the colour).
    eaten = any(s.lexname == "noun.food" and s.head.lower() in forms for s in senses)
    alive = any(s.lexname in _LIVING and s.lexname != "noun.phenomenon" for s in senses)

    def likelihood(sense: Sense) -> tuple[bool, bool, bool, bool, bool, int]:
        person = sense.lexname == "noun.person" and not sense.head[:1].isupper()
        figurative = person and literal is not None and sense.rank > literal
        animal = sense.lexname != "noun.animal"  # a pig is "hog; pig; ..." before "pig: a crude block of metal"
        named = sense.head[:1].isupper()  # "friends": a friend before the Society of Friends
        living = _LIVING.get(sense.lexname, 1) if eaten or sense.lexname != "noun.plant" else 1
        living = 1 if sense.lexname == "noun.phenomenon" and not alive else living  # gravity the force, first
        return figurative, animal, sense.head.lower() not in forms, sense.head.lower() != one, named, living

    return sorted(senses, key=likelihood)[:limit]  # stable: WordNet's order within each group


def own_senses(kb: KnowledgeBase, subject: str, senses: list[Sense]) -> list[Sense]:
    """The senses the word names first (cheese the food, not the tall mallow, also called cheese, whose flowers
    are rosy-purple); all of them if the word names none first."""
    forms = set(kb.lemmas(subject, "n"))
    return [s for s in senses if s.head.lower() in forms] or senses


def say(sense: Sense, subject: str, keep: str = "", asked_plural: bool = False) -> str:
    """The sense's gloss said of the subject ("A spider is a predatory arachnid with eight legs")."""
    name, proper = named(sense, singular(subject) if not asked_plural else subject)
    said = clause(sense.definition, keep)
    spelled = name if proper or name[:1].isupper() else singular(subject)  # "a Bactrian camel", as the source has it
    if _SENTENCE.match(said):  # "...; this instrument has four strings": a sentence of its own, after what it is
        first = statement(spelled, clause(sense.definition), proper, asked_plural, is_mass(sense))
        return agreeing(f"{first}. {said[:1].upper()}{said[1:]}", spelled, sense)
    return agreeing(statement(spelled, said, proper, asked_plural, is_mass(sense)), spelled, sense)


_SENTENCE = re.compile(r"^(?:this|these|it|they|its|their)\b", re.IGNORECASE)


def is_mass(sense: Sense) -> bool:
    """A substance, said without an article: "Honey is a sweet yellow liquid", "Ice is water frozen solid"."""
    if sense.lexname == "noun.act":  # a game or a sport: "Soccer is a football game"
        return bool(re.search(r"\b(?:game|sport)\b", sense.definition))
    return sense.lexname in _MASS_FILES and bool(_MASS.search(sense.definition))


def colour(kb: KnowledgeBase, question: Question) -> Found:
    """A colour word the subject's own gloss names, else one a gloss about it names ("sky-blue")."""
    subject = question.subject
    one = f"(?:{'|'.join(COLOURS)})"
    # "black-and-white striped", "yellow to orange fruit": both colours are the answer
    pattern = re.compile(rf"\b({one}(?:-and-{one}| to {one}| and {one}(?= \w))?)(?:ish)?\b", re.IGNORECASE)
    for sense in own_senses(kb, subject, nouns(kb, subject, 3)):
        match = pattern.search(sense.definition)
        if match and sense.lexname != "noun.person":
            said = say(sense, subject, match.group(1).split("-")[0].split()[0])
            word = match.group(1).lower().replace("-and-", " and ")
            if not re.search(rf"\b{word}\b", said.replace("-and-", " and "), re.IGNORECASE):  # cut: say it plainly
                name, proper = named(sense, singular(subject))
                who = name if proper or is_mass(sense) else f"{a_or_an(name)} {name}"
                said = f"{who[:1].upper()}{who[1:]} is {word}"
            return word, said
    name = singular(subject)
    for sense in kb.search(name, lexname="noun.attribute", limit=10):
        if sense.head in COLOURS and re.search(
            rf"\bcolou?r of (?:the |a )?(?:\w+ ){{0,2}}{re.escape(name)}\b", sense.gloss
        ):
            return sense.head, f"{sense.head.capitalize()} is the colour of the {name}"
    return _colour_likened(kb, subject, question.text)


def _colour_likened(kb: KnowledgeBase, subject: str, asked: str) -> Found:
    """The colour whose own gloss likens it to the subject: black is "as black as coal", green "similar to the
    color of fresh grass" (WordNet's first sense of each colour word). Said with the article it was ``asked``
    with, if any ("coal", "a ruby")."""
    name = singular(subject)
    things = rf"(?:{re.escape(name)}|{re.escape(plural(name))})"
    for word in COLOURS:
        for sense in kb.senses(word, "a")[:1]:
            likened = re.search(rf'"as {word} as (?:fresh |a |an |the )?{things}"', sense.gloss) or re.search(
                rf"\bcolou?r of (?:(?:a|an|the|fresh|ripe) )?(?:[a-z]+ or ){{0,4}}{things}\b", sense.definition
            )
            if likened:
                article = re.search(rf"\b(a|an|the) {re.escape(subject)}\b", asked)
                who = f"{article.group(1)} {subject}" if article else subject
                verb = "is" if subject == name else "are"  # "what colour are cherries?"
                return word, f"{who[:1].upper()}{who[1:]} {verb} {word}"
    return None


def what_is(kb: KnowledgeBase, question: Question) -> Found:
    """The subject's most usual sense, said as a sentence; asked of "the sun" or "the moon", the one it names."""
    subject = question.subject
    senses = nouns(kb, subject, 4)
    if not senses:
        return None
    if re.search(rf"\bthe {re.escape(subject)}\b", question.text):
        capital = subject.capitalize()
        senses.sort(key=lambda s: capital not in s.words)  # the Moon, "the natural satellite of the Earth"
        if capital in senses[0].words:
            said = say(senses[0], subject)
            if not said.startswith("The "):  # "The Nile", as the source names it, stays; "Moon is": "The moon is"
                said = re.sub(rf"^(?:An? )?{re.escape(subject)}\b", f"The {subject}", said, count=1, flags=re.I)
            return subject, said
    whole = [s for s in senses[:3] if not _PART_OF.match(s.definition)]
    if whole and whole[0] is not senses[0]:  # a hammer is the tool before "the part of a gun that strikes..."
        senses.remove(whole[0])
        senses.insert(0, whole[0])
    said = _with_its_kind(kb, senses[0], subject, say(senses[0], subject))
    if singular(subject) == subject and not re.search(rf"\b(?:a|an|the) {re.escape(subject)}\b", question.text):
        said = re.sub(rf"^An? ({re.escape(subject)})\b", lambda m: m[1].capitalize(), said, count=1, flags=re.I)
    return subject, said


_PART_OF = re.compile(r"^(?:the|a|an) (?:\w+ )?part of (?:a|an|the) ", re.IGNORECASE)


def _with_its_kind(kb: KnowledgeBase, sense: Sense, subject: str, said: str) -> str:
    """``said`` with the kind of thing the subject is, where its gloss does not name it: "A giraffe is a
    ruminant, the tallest living quadruped" (WordNet's hypernym); "a spider is a predatory arachnid" already
    does."""
    kinds = kb.related(sense.id, ("@",))
    opening = re.match(rf"^An? {re.escape(singular(subject))} is ", said, re.IGNORECASE)
    if not kinds or opening is None:
        return said
    first = sense.definition.split(";")[0].lower()
    if any(re.search(rf"\b{re.escape(word.split()[-1].lower())}", first) for kind in kinds for word in kind.words):
        return said
    kind = kinds[0].head.replace("_", " ")
    return f"{said[: opening.end()]}{a_or_an(kind)} {kind}, {said[opening.end() :]}"


def who(kb: KnowledgeBase, question: Question) -> Found:
    """A person's gloss: "Shakespeare was an English poet and dramatist..."."""
    subject = question.subject
    people = [s for s in kb.senses(subject, "n") if s.lexname == "noun.person" and s.head[:1].isupper()]
    if not people:
        return _described(kb, re.sub(r"^who (?:is|was|were|are) ", "", question.text))  # "on the moon" kept
    person = people[0]
    dead = re.search(r"\(\s*(?:\d{3,4}\s*-\s*\d{3,4}|died \d+)", person.definition)
    name = max(person.words, key=len)
    fact = statement(name, clause(person.definition), proper=True)
    return name, fact.replace(f"{name} is ", f"{name} was ", 1) if dead else fact


_NOT_DESCRIBING = frozenset("the a an of on in to at for was is who".split())


def _described(kb: KnowledgeBase, subject: str) -> Found:
    """ "Who was the first man on the moon?": the one named person whose gloss holds every word of the description
    ("United States astronaut; the first man to walk on the moon"); more than one, or none, answers nothing."""
    words = [w for w in subject.split() if w not in _NOT_DESCRIBING]
    if len(words) < 2 or not any(w in ("first", "last", "only") for w in words):
        return None  # "the president" or "the best": many people, or an opinion
    held = [
        s
        for s in kb.search(*words, lexname="noun.person", limit=5)
        if s.head[:1].isupper() and all(re.search(rf"\b{re.escape(w)}\b", s.definition.lower()) for w in words)
    ]
    if len(held) != 1:
        return None
    person, name = held[0], full_name(held[0])
    said = statement(name, clause(person.definition, words[0]), proper=True)
    return name, said.replace(f"{name} is ", f"{name} was ", 1)  # a first is done and past


_DOERS = {"invented": ("inventor", "invented", "invention"), "discovered": ("discoverer", "discovered", "discovery"),
          "wrote": ("writer", "author", "wrote", "novelist", "poet", "dramatist"), "painted": ("painter", "painted"),
          "composed": ("composer", "composed"), "founded": ("founder", "founded"), "built": ("builder", "built"),
          "created": ("creator", "created"), "designed": ("designer", "designed"),
          "made": ("maker", "made")}  # fmt: skip


def full_name(person: Sense) -> str:
    """The longest name that holds the one WordNet heads with ("Marie Curie" of "Curie; Marie Curie; Madame
    Curie; Marya Sklodowska", the first of equals), else the longest."""
    full = [w for w in person.words if person.head in w.split()]
    return max(full or person.words, key=lambda w: (not _TITLED.match(w), len(w)))  # Marie, not Madame, Curie


_TITLED = re.compile(r"^(?:Madame|Sir|Saint|St|Lord|Lady|Dame|Mr|Mrs|Dr)\b")


def _did_it(gloss: str, doer: str, at: int) -> bool:
    """Whether the gloss says the person did it: they are the doer ("United States inventor ... of the telephone")
    or the doing is in the clause that names the thing. Hooke "discovered the cellular structure of cork and ...
    proposed the inverse square law of gravitational attraction": he did not discover gravity."""
    head = re.split(r"\b(?:who|that|which|whose)\b|;|\(", gloss)[0]
    if re.search(rf"\b{re.escape(doer)}\b", head, re.IGNORECASE):
        return True
    start = max(gloss.rfind(" and ", 0, at), gloss.rfind(";", 0, at), gloss.rfind(",", 0, at), 0)
    return bool(re.search(rf"\b{re.escape(doer)}\b", gloss[start:at], re.IGNORECASE))


def who_did(kb: KnowledgeBase, question: Question) -> Found:
    """A person whose gloss says they did ``detail`` to ``subject`` ("United States inventor ... of the telephone")."""
    subject, detail = question.subject, question.detail
    the = "the " if f"the {subject}" in question.text else ""
    # The thing by any of its names: a light bulb is also an "electric light" (Edison's gloss: "inventions
    # included the phonograph and incandescent electric light").
    names = [singular(subject)] + [w.lower() for s in nouns(kb, subject, 2) for w in s.words if " " in w]
    for doer in _DOERS.get(detail, (detail,)):
        for thing in dict.fromkeys(names):
            for person in kb.search(thing, doer, lexname="noun.person", limit=5):
                said = re.search(rf"\b{re.escape(thing)}", person.definition, re.IGNORECASE)
                if said and _did_it(person.definition, doer, said.start()):
                    name = full_name(person)
                    title = said.group(0) if said.group(0)[:1].isupper() else subject  # "the Odyssey", as spelled
                    return name, f"{name} {detail} {the}{title}"
    if detail == "discovered" and (found := _law_of(kb, subject)) is not None:
        return found
    for sense in kb.senses(subject, "n"):  # "the hero of William Shakespeare's tragedy", "a portrait by Leonardo"
        match = re.search(r"((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+)'s (?:tragedy|play|comedy|novel|poem|opera|story|book)"
                          r"|\b(?:by|attributed to) ((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+)", sense.definition)  # fmt: skip
        if match:
            name = match.group(1) or match.group(2)
            if any(s.lexname == "noun.person" for s in kb.senses(name.split()[-1], "n")):
                title = sense.head if sense.head[:1].isupper() else subject
                return name, f"{name} {detail} {title}"
    return None


def _law_of(kb: KnowledgeBase, subject: str) -> Found:
    """Who found the law of ``subject`` (by any of its names): "remembered for ... his law of gravitation" (Newton);
    Hooke's "inverse square law of gravitational attraction" names another thing."""
    for thing in dict.fromkeys(w.lower() for s in nouns(kb, subject, 1) for w in s.words):
        for person in kb.search(thing, "law", lexname="noun.person", limit=5):
            law = re.search(rf"\bhis (?:law|laws|theory) of {re.escape(thing)}\b", person.definition)
            if law:
                name = full_name(person)
                return name, f"{name} discovered {subject}, with {law.group(0)}"
    return None


def first_class(kb: KnowledgeBase, animal: Sense, table: tuple[tuple[str, str], ...]) -> tuple[str, str, bool] | None:
    """The first row of ``table`` (a class, what it says of it) that ``animal`` is or belongs to, and whether it is
    the class itself: talkshow's small tables by class (legs, food) are read this way."""
    kinds = [animal, *kb.ancestors(animal.id, depth=12)]
    for kind_name, value in table:
        kind = next((k for k in kinds if k.head == kind_name), None)
        if kind is not None:
            return kind_name, value, kind is animal
    return None


def of_its_class(one: str, kind_name: str, said: str, itself: bool) -> str:
    """ "Birds have two legs" said of the class, or "A chicken is a bird, and birds have two legs"."""
    if itself:
        return said[0].upper() + said[1:]
    return f"{a_or_an(one).capitalize()} {one} is {a_or_an(kind_name)} {kind_name}, and {said[0].lower()}{said[1:]}"
