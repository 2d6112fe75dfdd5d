"""Learner errors around the verb: agreement with a noun subject, 'to' where none goes (or none where
it must), the -ing form after a preposition, 'be' before a verb, a missing 'be', pronouns and the
order of a question's words.

Written against the dev half of the learner set; scored on the test half (``talkshow bench tutor``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from talkshow.tutor.findings import Finding, finding_over
from talkshow.tutor.learner_words import PARTNER_VERBS
from talkshow.tutor.words import Word, cased_like, inflect, lemmas, verb_lemma

__all__ = ["VERB_RULES"]

MODALS = {"can", "could", "will", "would", "should", "must", "may", "might", "shall"}
NEGATED_MODALS = {"can't", "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "mustn't"}
POSSESSIVES = {"my", "your", "his", "her", "our", "their", "the", "this", "that"}
SINGULAR_PRONOUNS = {"everybody", "everyone", "somebody", "someone", "nobody", "it", "he", "she"}
GERUND_AFTER = {"enjoy", "avoid", "suggest", "finish", "keep", "mind", "practise", "practice", "consider", "miss",
                "deny", "admit", "risk", "imagine", "quit"}  # fmt: skip
TO_AFTER = {"want", "need", "plan", "decide", "hope", "try", "agree", "promise", "refuse", "would like", "learn"}
NO_TO_AFTER = {"make", "let", "help"}  # make/let someone do
OBJECT_OF = {"he": "him", "she": "her", "i": "me", "we": "us", "they": "them"}
SUBJECT_OF = {"him": ("he", "is"), "me": ("I", "am"), "her": ("she", "is"), "us": ("we", "are"),
              "them": ("they", "are")}  # fmt: skip
PREPOSITIONS = {"at", "in", "of", "for", "about", "without", "before", "after", "by"}
# After a word that is a noun and a verb, these make it the verb: "forward to meet you", "good at cook the rice".
OBJECTS_AND_DETERMINERS = {"me", "you", "him", "her", "us", "them", "it", *POSSESSIVES, "a", "an"}
BE = {"am", "is", "are"}
ADVERBS_BEFORE_VERB = {"always", "never", "often", "usually", "sometimes", "rarely", "seldom", "also", "still"}
SUBJECTS = {"i", "you", "he", "she", "it", "we", "they"}
CONTRACTED_BE = {"i'm", "you're", "he's", "she's", "it's", "we're", "they're"}


def _over(text: str, first: Word, last: Word, right: str, kind: str, why: str) -> Finding:
    return finding_over(text, first, last, cased_like(first.text, right), kind, why)


def _base_verb(word: str) -> str:
    """``word``'s lemma if it is a verb's base form that has a different -s form, else ""."""
    lemma = verb_lemma(word)
    return lemma if lemma and word == lemma and inflect(lemma, "VBZ") not in ("", word) else ""


def _subject_end(lows: list[str]) -> tuple[int, bool] | None:
    """Where a sentence's noun subject ends ("My mother | cook"), and whether it is plural."""
    if not lows:
        return None
    if lows[0] in SINGULAR_PRONOUNS:
        return 0, False
    if lows[0] not in POSSESSIVES or len(lows) < 3:
        return None
    if lows[1] == "father" and lows[2] == "and":  # "my father and my uncle": two people
        k = 3 + (lows[3] in POSSESSIVES if len(lows) > 3 else 0)
        return (k, True) if k < len(lows) else None
    noun = lows[1]
    found = lemmas(noun).get("NOUN", ())
    if not found:
        return None
    if len(lows) > 3 and lows[2] == "and" and lows[3] in POSSESSIVES | {"i"}:
        return (5, True) if lows[3] != "i" else (3, True)
    return 1, noun not in found


def _agreement(text: str, words: list[Word]) -> list[Finding]:
    """'My mother cook', 'It rain', 'Everybody know' (-s missing); 'My friends lives' (-s too many);
    'Do she', 'Doesn't they'."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    if len(lows) > 1 and lows[0] in ("do", "don't") and lows[1] in ("she", "he", "it"):
        right = "does" if lows[0] == "do" else "doesn't"
        out.append(_over(text, words[0], words[0], right, "agreement", f"With '{lows[1]}' we say '{right}'."))
    if len(lows) > 1 and lows[0] in ("does", "doesn't") and lows[1] in ("they", "you", "we", "i"):
        right = "do" if lows[0] == "does" else "don't"
        out.append(_over(text, words[0], words[0], right, "agreement", f"With '{lows[1]}' we say '{right}'."))
    subject = _subject_end(lows)
    if subject is None or subject[0] + 1 >= len(words):
        return out
    end, plural = subject
    if lows[end + 1] in ADVERBS_BEFORE_VERB and end + 2 < len(words):
        end += 1  # "He always forget his keys": the verb is after the adverb
    verb = words[end + 1]
    if not plural and (lemma := _base_verb(verb.low)) and verb.low not in MODALS:
        if inflect(lemma, "VBD") == verb.low or ("ADJ" in lemmas(verb.low) and lows[end] not in SINGULAR_PRONOUNS):
            return out  # "My mother let me": may be the past; "my friend close": may be an adjective
        if end + 2 < len(lows) and lows[end + 2] in ("is", "was", "are", "were", "has", "can", "will", "tastes"):
            return out  # "The well water is clean": a noun before the verb, not a verb
        right = inflect(lemma, "VBZ")
        why = f"With one person or thing as the subject, the verb takes -s: '{right}'."
        out.append(_over(text, verb, verb, right, "agreement", why))
    elif plural and (lemma := verb_lemma(verb.low)) and verb.low == inflect(lemma, "VBZ") and lemma != "be":
        why = f"With more than one as the subject, the verb has no -s: '{lemma}'."
        out.append(_over(text, verb, verb, lemma, "agreement", why))
    return out


def _to_and_ing(text: str, words: list[Word]) -> list[Finding]:
    """'must to go', 'let me to', 'enjoy to read', 'wants go', 'good at play', 'looking forward to see',
    'will going', 'can helping', 'decided going'."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    for i in range(len(words) - 1):
        word, nxt = lows[i], lows[i + 1]
        after = lows[i + 2] if i + 2 < len(words) else ""
        lemma = verb_lemma(word)
        if _to_not_wanted(lows, i):
            modal = word in MODALS | NEGATED_MODALS
            k = i + 1 if modal else i + 2  # the word before 'to'
            why = f"After '{lows[k - 1] if modal else lemma + ' someone'}' the verb comes with no 'to'."
            out.append(
                _over(text, words[k - 1], words[k + 1], f"{words[k - 1].text} {words[k + 1].text}", "verb_form", why)
            )
        elif word in MODALS and (v := verb_lemma(nxt)) and nxt == inflect(v, "VBG"):
            why = f"After '{word}' comes the verb itself: '{v}'."
            out.append(_over(text, words[i + 1], words[i + 1], v, "verb_form", why))
        elif i == 0 and word in MODALS and nxt in SUBJECTS and (v := verb_lemma(after)) and after == inflect(v, "VBG"):
            why = f"After '{word} {nxt}' comes the verb itself: '{v}'."  # "Can you helping me?"
            out.append(_over(text, words[i + 2], words[i + 2], v, "verb_form", why))
        elif lemma in GERUND_AFTER and nxt == "to" and (v := verb_lemma(after)) and after == v:
            ing = inflect(v, "VBG")
            why = f"After '{lemma}' we use the -ing form: '{lemma} {ing}'."
            out.append(_over(text, words[i + 1], words[i + 2], ing, "verb_form", why))
        elif lemma in TO_AFTER and (v := verb_lemma(nxt)) and nxt == v and "NOUN" not in lemmas(nxt):
            why = f"After '{lemma}' comes 'to' and the verb: '{lemma} to {v}'."
            out.append(_over(text, words[i + 1], words[i + 1], f"to {words[i + 1].text}", "verb_form", why))
        elif lemma in ("decide", "hope", "want", "plan") and (v := verb_lemma(nxt)) and nxt == inflect(v, "VBG"):
            why = f"After '{lemma}' comes 'to' and the verb: '{lemma} to {v}'."
            out.append(_over(text, words[i + 1], words[i + 1], f"to {v}", "verb_form", why))
        elif (
            lemma == "like"
            and (v := verb_lemma(nxt))
            and nxt == v
            and after in PREPOSITIONS | {"", "in", "on", "with"}
            and nxt not in ("mine", "yours", "hers", "ours", "theirs")  # "the same like mine": 'like' is not a verb
        ):
            ing = inflect(v, "VBG")
            out.append(_over(text, words[i + 1], words[i + 1], ing, "verb_form", f"We say 'like {ing}'."))
        elif _needs_ing(lows, i) and (v := verb_lemma(nxt)) and nxt == v:
            if (
                "NOUN" in lemmas(nxt)
                and v not in ("play", "make", "hear", "swim", "cook", "work")
                and after not in OBJECTS_AND_DETERMINERS
            ):
                continue  # "good at maths": a noun, not a verb
            ing = inflect(v, "VBG")
            why = f"After '{word}' a verb takes -ing: '{word} {ing}'."
            out.append(_over(text, words[i + 1], words[i + 1], ing, "verb_form", why))
    return out


def _partner_verbs(text: str, words: list[Word]) -> list[Finding]:
    """'said me' -> 'told me', 'learned me' -> 'taught me', 'borrow me' -> 'lend me', 'lend your' -> 'borrow'."""
    out: list[Finding] = []
    for verb, nxt in itertools.pairwise(words):
        lemma = verb_lemma(verb.low)
        meant = PARTNER_VERBS.get((lemma, nxt.low))
        if not meant:
            continue
        tag = next((t for t in ("VB", "VBZ", "VBD", "VBG", "VBN") if inflect(lemma, t) == verb.low), "VB")
        right = inflect(meant, tag) or meant
        why = f"Here the verb is '{meant}': we say '{meant} {nxt.low}'."
        out.append(_over(text, verb, verb, right, "word_choice", why))
    return out


def _up_to_now(text: str, words: list[Word]) -> list[Finding]:
    """'I work here since 2018' -> 'have worked'; 'He is studying for two years' -> 'has been studying': a time
    that runs up to now takes the present perfect."""
    lows = [w.low for w in words]
    up_to_now = "since" in lows or any(
        a == "for" and _number(b) and c.rstrip("s") in ("year", "month", "week", "day", "hour")
        for a, b, c in zip(lows, lows[1:], lows[2:], strict=False)
    )
    if not up_to_now:
        return []
    out: list[Finding] = []
    for i in range(len(words) - 1):
        subject, verb = lows[i], lows[i + 1]
        if subject in CONTRACTED_BE and (v := verb_lemma(verb)) and verb == inflect(v, "VBG"):
            pronoun, _ = subject.split("'")  # "He's working here for ten years" -> "He has been working"
            have = "has" if pronoun in ("he", "she", "it") else "have"
            why = f"It started in the past and goes on now: '{have} been {verb}'."
            spoken = words[i].text.split("'")[0]
            right = f"{spoken} {have} been {words[i + 1].text}"
            out.append(_over(text, words[i], words[i + 1], right, "tense", why))
            break
        if subject not in SUBJECTS or (i and lows[i - 1] in ("since", "when")):
            continue
        have = "has" if subject in ("he", "she", "it") else "have"
        lemma = verb_lemma(verb)
        nxt = lows[i + 2] if i + 2 < len(words) else ""
        if verb in BE and (v := verb_lemma(nxt)) and nxt == inflect(v, "VBG"):
            why = f"It started in the past and goes on now: '{have} been {nxt}'."
            out.append(_over(text, words[i + 1], words[i + 2], f"{have} been {words[i + 2].text}", "tense", why))
        elif verb in BE and _since_a_time(lows):  # "I am here since two hours" ("for two weeks" may be a visit)
            why = f"It started in the past and goes on now: '{have} been'."
            out.append(_over(text, words[i + 1], words[i + 1], f"{have} been", "tense", why))
        elif (
            lemma
            and lemma not in ("be", "have", "do")
            and (verb in (lemma, inflect(lemma, "VBZ")) or (verb == inflect(lemma, "VBD") and _since_a_time(lows)))
            and verb not in MODALS
        ):
            done = inflect(lemma, "VBN")
            why = f"It started in the past and goes on now: '{have} {done}'."
            out.append(_over(text, words[i + 1], words[i + 1], f"{have} {done}", "tense", why))
        break  # the first clause's verb only
    return out


def _to_not_wanted(lows: list[str], i: int) -> bool:
    """'must to go' (a modal), 'let me to help' (make or let someone)."""
    rest = [*lows[i + 1 : i + 4], "", "", ""]
    if lows[i] in MODALS | NEGATED_MODALS:
        return rest[0] == "to" and bool(verb_lemma(rest[1])) and rest[1] != "be"
    return (
        verb_lemma(lows[i]) in NO_TO_AFTER
        and rest[0] in OBJECT_OF.values()
        and rest[1] == "to"
        and bool(verb_lemma(rest[2]))
    )


def _needs_ing(lows: list[str], i: int) -> bool:
    """Whether the word at ``i`` is a preposition a verb follows with -ing ('good at', 'forward to', 'used to')."""
    word, before = lows[i], lows[i - 1] if i else ""
    if word == "to":
        return before == "forward" or (before == "used" and i > 1 and lows[i - 2] in BE | {"was", "were", "get"})
    return word in PREPOSITIONS and before in ("good", "bad", "interested", "afraid", "tired", "instead", "before")


def _be_before_verb(text: str, words: list[Word]) -> list[Finding]:
    """'I am have', 'She is work in a bank', 'He is live in Rome': no 'be' before a verb's simple form."""
    out: list[Finding] = []
    for i in range(1, len(words) - 1):
        subject, be, verb = words[i - 1].low, words[i].low, words[i + 1].low
        nxt = words[i + 2].low if i + 2 < len(words) else ""
        if subject not in ("i", "you", "we", "they", "he", "she") or be not in BE:
            continue
        lemma = _base_verb(verb)
        if not lemma or lemma in ("agree", "like", "want", "know", "need", "be", "do"):
            continue  # the stative verbs are the learner rules'
        if any(adjective != verb for adjective in lemmas(verb).get("ADJ", ())):
            continue  # "She is best at maths": 'good' compared, not the verb 'best'
        if not (verb == "have" or nxt in ("in", "at", "on", "with", "for", "a", "an", "the", "my", "to", "here")):
            continue
        right = inflect(lemma, "VBZ") if subject in ("he", "she") else lemma
        why = f"'{lemma.capitalize()}' is the verb here: no '{be}' before it."
        out.append(_over(text, words[i], words[i + 1], right, "verb_form", why))
    return out


def _missing_be(text: str, words: list[Word]) -> list[Finding]:
    """'She very happy', 'My brother twenty years old', 'Where you from?', 'Is raining' (no 'it')."""
    out: list[Finding] = []
    lows = [w.low for w in words]
    be = {"i": "am", "you": "are", "we": "are", "they": "are"}
    if len(lows) > 1 and lows[0] == "is" and text.rstrip().endswith(".") and (lows[1] in ("very", "so", "raining")):
        out.append(_over(text, words[0], words[0], "it is", "missing_word", "A sentence needs its subject: 'it is'."))
    for i in range(len(words) - 1):
        subject_end = i if lows[i] in ("he", "she", "it", "i", "you", "we", "they") else -1
        if subject_end < 0 and i == 1 and lows[0] in POSSESSIVES and "NOUN" in lemmas(lows[1]):
            subject_end = 1
        if subject_end < 0 or (subject_end == i and i > 1 and lows[0] not in ("where", "how")):
            continue
        nxt = lows[i + 1]
        after = lows[i + 2] if i + 2 < len(words) else ""
        missing = (nxt == "very" and "ADJ" in lemmas(after)) or (_number(nxt) and after == "years")
        missing = missing or (lows[0] == "where" and i == 1 and nxt == "from")
        if missing:
            verb = be.get(lows[i], "is")
            right = f"{verb} {words[i].text}" if lows[0] == "where" else f"{words[i].text} {verb}"
            why = f"The sentence needs its verb: '{right}'."
            out.append(_over(text, words[i], words[i], right, "missing_word", why))
            break
    return out


def _since_a_time(lows: list[str]) -> bool:
    """'since 2010', 'since last year': a time, so a past verb before it should reach up to now ("I lived here
    since 2010"); 'since' can also mean 'because' ("I stayed home since I was ill"), and then the past is right."""
    after = lows[lows.index("since") + 1 :] if "since" in lows else []
    return bool(after) and (_number(after[0]) or after[0] in ("last", "then", "childhood", "yesterday"))


def _number(word: str) -> bool:
    return word.isdigit() or word in {
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
    }


def _pronouns(text: str, words: list[Word]) -> list[Finding]:
    """'Him is', 'to she', 'My mother she works', 'who I saw him', 'I enjoyed very much.'"""
    out: list[Finding] = []
    lows = [w.low for w in words]
    if len(lows) > 1 and lows[0] in SUBJECT_OF and lows[1] in ("is", "am", "are"):
        subject, verb = SUBJECT_OF[lows[0]]
        why = f"The subject is '{subject}': '{subject} {verb}'."
        out.append(finding_over(text, words[0], words[1], f"{subject.capitalize()} {verb}", "pronoun", why))
    for i, (before, word) in enumerate(itertools.pairwise(words)):
        if before.low in ("to", "with", "for", "at") and word.low in OBJECT_OF and i + 2 >= len(words):
            right = OBJECT_OF[word.low]
            out.append(_over(text, word, word, right, "pronoun", f"After '{before.low}' we say '{right}'."))
        elif (
            i == 1
            and lows[0] in POSSESSIVES
            and word.low in ("he", "she", "they", "it")
            and "NOUN" in lemmas(before.low)
        ):
            why = f"The subject is already '{lows[0]} {before.low}': no '{word.low}' after it."
            out.append(finding_over(text, before, word, before.text, "pronoun", why))
    for i in range(4, len(words)):  # "the book that I bought it": the object said twice
        relative = lows[i - 3] in ("who", "that", "which") and lows[i - 2] in OBJECT_OF and verb_lemma(lows[i - 1])
        if lows[i] in ("him", "her", "it", "them") and relative and "NOUN" in lemmas(lows[i - 4]):
            why = f"'{lows[i - 2].capitalize()}' is already the object: no '{lows[i]}'."
            out.append(finding_over(text, words[i - 1], words[i], words[i - 1].text, "pronoun", why))
    if len(lows) == 4 and lows[2:] == ["very", "much"] and verb_lemma(lows[1]) in ("enjoy", "like", "love"):
        why = f"'{verb_lemma(lows[1]).capitalize()}' needs what: '{lows[1]} it'."
        out.append(finding_over(text, words[1], words[1], f"{words[1].text} it", "pronoun", why))
    return out


VERB_RULES: tuple[Callable[[str, list[Word]], list[Finding]], ...] = (
    _agreement,
    _to_and_ing,
    _be_before_verb,
    _missing_be,
    _pronouns,
    _partner_verbs,
    _up_to_now,
)
