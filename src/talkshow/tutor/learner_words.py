"""The word lists the learner rules read: which words link, count, feel, cannot be counted, go together.

Kept apart from the rules so a rule reads as its pattern; each list says what it is for.
"""

from __future__ import annotations

__all__ = [
    "BE_FOR", "CLAUSE_VERBS", "COLLOCATIONS", "DETERMINERS", "FEELINGS", "GENERIC", "INSTITUTIONS",
    "IRREGULAR_COMPARATIVE", "IRREGULAR_PLURAL", "JOBS", "LINKING", "MADE_UP_COMPARATIVE", "MEALS", "NOT_COUNTED",
    "NOUN_FOR_ADJECTIVE", "PARTNER_VERBS", "PEOPLE", "PREPOSITIONS", "SPORTS", "UNCOUNTABLE", "UNIQUE",
]  # fmt: skip


def _pairs(text: str) -> dict[str, str]:
    """'a:b c:d' -> {'a': 'b', 'c': 'd'}."""
    return dict(pair.split(":") for pair in text.split())


IRREGULAR_COMPARATIVE = {"good": ("better", "best"), "bad": ("worse", "worst"), "far": ("further", "furthest")}
MADE_UP_COMPARATIVE = {
    **_pairs("gooder:better goodest:best badder:worse baddest:worst"),
    "more better": "better", "more worse": "worse", "most best": "best",
}  # fmt: skip
# Verbs an adjective follows as itself ("it looks good"), not as an adverb.
LINKING = frozenset(
    "am is are was were be been being look looks looked seem seems feel feels felt become became get gets got "
    "smell smells taste sound".split()
)
# (feeling -ed, what causes it -ing): a person is bored, a film is boring.
FEELINGS = _pairs(
    "bored:boring interested:interesting tired:tiring excited:exciting surprised:surprising confused:confusing "
    "frightened:frightening disappointed:disappointing annoyed:annoying amazed:amazing embarrassed:embarrassing"
)
PEOPLE = frozenset("i you we they he she me everyone everybody".split())
# Verbs a 'that' clause follows ("we decided that robots should..."): the 'that' there is no determiner.
CLAUSE_VERBS = frozenset(
    "decide think know say tell believe hope agree feel mean show prove realise realize guess suppose promise "
    "explain admit claim doubt expect find hear learn notice read remember see understand wish worry insist "
    "argue suggest".split()
)
# A noun where the adjective belongs, after "very" ("very success").
NOUN_FOR_ADJECTIVE = _pairs(
    "success:successful happiness:happy tiredness:tired beauty:beautiful danger:dangerous health:healthy "
    "sadness:sad luck:lucky interest:interesting comfort:comfortable importance:important"
)
UNCOUNTABLE = _pairs(
    "informations:information advices:advice homeworks:homework luggages:luggage furnitures:furniture "
    "equipments:equipment knowledges:knowledge researches:research evidences:evidence musics:music breads:bread"
)
# The present of 'be' for each subject pronoun.
BE_FOR = {"i": "am", "you": "are", "we": "are", "they": "are", "he": "is", "she": "is", "it": "is"}
# Nouns English does not count in any sense: no 'a', no plural, a singular verb ("the news is").
NOT_COUNTED = frozenset(
    "advice information furniture homework luggage baggage equipment knowledge news research progress traffic "
    "weather music money bread rice fun evidence jewellery jewelry".split()
)
# One person's job: after 'be' it takes 'a' or 'an' ("I am an engineer").
JOBS = frozenset(
    "teacher doctor engineer student nurse driver cook lawyer artist actor singer writer farmer pilot programmer "
    "designer manager waiter dentist".split()
)
IRREGULAR_PLURAL = _pairs(
    "childs:children childrens:children sheeps:sheep mouses:mice womans:women mans:men feets:feet foots:feet "
    "tooths:teeth teeths:teeth persons:people peoples:people fishs:fish gooses:geese"
)
UNIQUE = frozenset("sun moon sky earth internet sea".split())  # "the sun"
GENERIC = frozenset("life money love nature happiness health time music education society".split())  # "Life is"
INSTITUTIONS = frozenset("school work bed church university college hospital prison".split())  # "go to school"
SPORTS = frozenset("football tennis basketball golf volleyball baseball chess hockey rugby".split())
MEALS = frozenset("breakfast lunch dinner supper".split())
DETERMINERS = frozenset("a an the my your his her our their its this that some any".split())
# (verb lemma as said, noun) -> the verb that goes with it; the noun may come after a determiner or two.
COLLOCATIONS = {
    ("make", "homework"): "do", ("do", "mistake"): "make", ("do", "mistakes"): "make", ("do", "party"): "have",
    ("make", "party"): "have", ("make", "photo"): "take", ("make", "picture"): "take", ("do", "question"): "ask",
    ("make", "question"): "ask", ("do", "friends"): "make", ("do", "decision"): "make", ("make", "shower"): "take",
    ("do", "noise"): "make", ("make", "favour"): "do", ("make", "favor"): "do", ("take", "fun"): "have",
    ("make", "exercise"): "do", ("do", "progress"): "make", ("do", "effort"): "make",
}  # fmt: skip
# A verb learners use for its partner: (lemma as said, the next word) -> the verb meant ("said me" -> "told me").
PARTNER_VERBS = {
    **{("say", who): "tell" for who in ("me", "him", "her", "us", "them")},
    **{("learn", who): "teach" for who in ("me", "him", "her", "us", "them")},
    **{("borrow", who): "lend" for who in ("me", "him", "her", "us", "them")},
    **{("lend", whose): "borrow" for whose in ("your", "his", "her")},
}
# What learners put straight after 'listen', where English has 'to' ("listen the radio"; "listen music" is below).
LISTENED_TO = "the my your his her our their this that these those me him us them it".split()
# A preposition learners get wrong in a set phrase: (verb lemma or word, wrong next word) -> (right words, why)
PREPOSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("arrive", "to the"): ("at the", "We arrive at a place ('at the station') and in a city, not 'to' them."),
    ("arrive", "to"): ("in", "We arrive in a city or at a place, not 'to' it."),
    ("angry", "on"): ("with", "We are 'angry with' someone."),
    ("depend", "of"): ("on", "We say 'depend on'."),
    ("interested", "on"): ("in", "We say 'interested in' something."),
    ("interested", "for"): ("in", "We say 'interested in' something."),
    ("good", "in"): ("at", "We say 'good at' a skill."),
    ("good", "on"): ("at", "We say 'good at' a skill."),
    ("afraid", "from"): ("of", "We say 'afraid of' something."),
    ("listen", "music"): ("to music", "We 'listen to' something."),
    **{("listen", said): (f"to {said}", "We 'listen to' something.") for said in LISTENED_TO},
    ("wait", "you"): ("for you", "We 'wait for' someone."),  # me, him, her...: phrase_rules' "wait me" pattern
    ("explain", "me"): ("to me", "We 'explain something to' someone."),
    ("discuss", "about"): ("", "'Discuss' needs no 'about': we discuss a thing."),
    ("go", "to home"): ("home", "We say 'go home', with no 'to'."),
    ("stay", "in home"): ("at home", "We say 'stay at home'."),
    ("arrive", "at home"): ("home", "We say 'arrive home', with no 'at'."),
    ("different", "of"): ("from", "We say 'different from'."),
    ("consist", "in"): ("of", "We say 'consist of'."),
    ("proud", "for"): ("of", "We are 'proud of' someone."),
    ("responsible", "of"): ("for", "We are 'responsible for' something."),
    ("similar", "with"): ("to", "We say 'similar to'."),
    ("dream", "with"): ("about", "We 'dream about' something."),
    ("tired", "from"): ("of", "We are 'tired of' something we have had enough of."),
    ("according", "with"): ("to", "We say 'according to'."),
    ("famous", "of"): ("for", "A place is 'famous for' something."),
    ("full", "with"): ("of", "We say 'full of'."),
    ("worried", "for"): ("about", "We are 'worried about' someone."),
    ("participate", "to"): ("in", "We 'participate in' something."),
    ("reach", "to"): ("", "'Reach' needs no 'to': we reach a place."),
    ("enter", "in"): ("", "'Enter' needs no 'in': we enter a room."),
}
