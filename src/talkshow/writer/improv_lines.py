"""The offline writer's lines, by what the line does and who says it. Data only: ``improv`` picks and fills.

Fields: {question} the topic as asked ("Is cereal a soup?"), {side} the claim the speaker holds
("cereal is a soup"), {against} the other side's claim, {subject} what it is about, {thing} the
topic's subject as a noun ("the lambo"), {other} the other character's name, {quote} a few words
the other character just said ({mine}: the speaker's own first line), {answer} "yes" or "no" for
the speaker's side, {who} and {said} someone the show remembers and their words, {fact} a fact the
knowledge base holds about the topic, as a sentence ("An octopus is a ... with eight long tentacles").
A line's emotion follows it. Temperaments: confident, anxious (anyone else speaks as neutral).
"""

from __future__ import annotations

__all__ = ["ARGUE", "CALLBACK", "CLOSE", "FACT", "MUSE", "OPEN", "REBUT", "REMEMBER", "Template"]

Template = tuple[str, str]  # (text, emotion)

# Turn 0: the topic asked as it was given, and a side taken (or, with no sides, a first thought).
OPEN: dict[str, list[Template]] = {
    "confident": [
        ("Welcome back, everybody! Tonight's question: {question} Easy. {Side}.", "excited"),
        ("Good evening! {question} I've settled it already: {side}.", "smug"),
        ("Folks, we're asking the big one tonight. {question} Spoiler: {side}.", "happy"),
    ],
    "anxious": [
        ("Um, hi everyone. Tonight: {question} I've thought about it all week, and {side}.", "worried"),
        ("Hello! So. {question} I'll just say it: {side}. Please don't yell.", "worried"),
        ("Welcome, I guess. {question} I didn't sleep, but I'm fairly sure {side}.", "sad"),
    ],
    "neutral": [("Welcome to the show. Today: {question} My view: {side}.", "neutral")],
}
# With sides: a reason for the speaker's side.
ARGUE: dict[str, list[Template]] = {
    "confident": [
        ("Look, the answer is {answer}. I'd say it louder, but the microphone can't take it.", "smug"),
        ("Everybody who's anybody agrees with me. I agree with me twice.", "smug"),
        ("I read one whole article about {subject}, and it agrees with me.", "happy"),
        ("Numbers? I don't need numbers. I've got vibes, and the vibes say {answer}.", "smug"),
        ("Picture it. A world where {side}. Beautiful, isn't it?", "excited"),
        ("I'm having my answer printed on a mug. It says {answer}, in gold.", "happy"),
        ("{Other}, champions don't doubt. Champions decide, and I decided.", "excited"),
        ("History will remember this night as the night we agreed {side}.", "excited"),
    ],
    "anxious": [
        ("Sorry, but my answer is {answer}. I checked. Twice. Then once more.", "worried"),
        ("I made a chart about {subject}. The chart says {answer}. The chart is never wrong.", "worried"),
        ("My grandmother always said {side}, and she was right about the stove.", "sad"),
        ("If we decide that {against}, who explains it to the neighbours?", "worried"),
        ("I'd like my answer on record. In writing. With a witness.", "sad"),
        ("Deep breath. I said {answer} and I meant it. Nobody panic.", "worried"),
        ("I looked it up, and every expert I found agrees with me. Well, both of them.", "surprised"),
        ("What happens to {subject} if we get this wrong? Has anyone thought of that?", "worried"),
    ],
    "neutral": [
        ("I can see both sides, but {side}.", "neutral"),
        ("On balance, {side}.", "neutral"),
    ],
}
# Answering the other character's last line, in their own words.
REBUT: dict[str, list[Template]] = {
    "confident": [
        ('"{Quote}"? Come on, {other}. You know the answer is {answer}.', "smug"),
        ('{Other} says "{quote}". Cute. Wrong, but cute.', "happy"),
        ('"{Quote}." That\'s exactly what someone on the wrong side would say.', "smug"),
        ('Hold on. {Other}, you just said "{quote}" with a straight face.', "surprised"),
    ],
    "anxious": [
        ('"{Quote}"? {Other}, that\'s what worries me.', "worried"),
        ("Wait, \"{quote}\"? Is that allowed? I don't think that's allowed.", "confused"),
        ('{Other}, when you say "{quote}", I hear a disaster in progress.', "worried"),
        ('Okay, "{quote}". But what if it\'s the other way round?', "worried"),
    ],
    "neutral": [('Interesting point: "{quote}". Still, {side}.', "neutral")],
}
# Without sides (an open question, or a thing): a thought about it.
MUSE: dict[str, list[Template]] = {
    "confident": [
        ("My theory? Marketing. Everything is marketing.", "smug"),
        ("Here's my theory about {thing}: it wants to be noticed. Like me.", "smug"),
        ("I've been an expert on {thing} for about four minutes now.", "happy"),
        ("Honestly, {thing} is a power move. Power moves are good.", "excited"),
        ("If {thing} were a person, we'd be friends. Best friends.", "happy"),
        ("Let me explain {thing} slowly, {other}, for the people at home.", "smug"),
    ],
    "anxious": [
        ("Nobody has ever explained {thing} to me, and I've asked.", "worried"),
        ("Every time someone mentions {thing}, I need a little sit-down.", "worried"),
        ("Is {thing} insured? Has anyone checked? Anyone?", "worried"),
        ("I looked into {thing} and now my search history worries me.", "surprised"),
        ("{Other}, is {thing} looking at me? Is that normal?", "surprised"),
        ("What if {thing} is the start of something? Something big?", "worried"),
    ],
    "neutral": [("There's more to {thing} than it seems.", "neutral")],
}
# A fact about the topic from the knowledge base, brought to the speaker's side.
FACT: dict[str, list[Template]] = {
    "confident": [
        ("Fact: {fact_lower}. Look it up.", "smug"),
        ("Here's something you didn't know, {other}. {Fact}.", "smug"),
        ("{Fact}. I read that, and I remember everything I read.", "happy"),
        ("Let me educate the room. {Fact}. You're welcome.", "excited"),
        ("True story: {fact_lower}. That's why {side}.", "smug"),
    ],
    "anxious": [
        ("Um, fun fact: {fact_lower}. Sorry, I get nervous.", "worried"),
        ("I wrote this down so I wouldn't forget: {fact_lower}.", "worried"),
        ("Did you know that {fact_lower}? I find that oddly calming.", "surprised"),
        ("According to my notes, {fact_lower}. My notes are never wrong.", "worried"),
        ("{Fact}. I checked. Twice. So, {side}.", "worried"),
    ],
    "neutral": [("{Fact}.", "neutral"), ("Worth knowing: {fact_lower}.", "neutral")],
}
# An earlier line of this show, picked up again.
CALLBACK: dict[str, list[Template]] = {
    "confident": [('Like I said at the start: "{mine}". Still true.', "smug")],
    "anxious": [('I keep coming back to what {other} said earlier: "{quote}". I can\'t let it go.', "worried")],
    "neutral": [('Earlier someone said "{quote}". Worth remembering.', "neutral")],
}
# Someone the show remembers: a viewer's question or a caller's words from an earlier show.
REMEMBER: dict[str, list[Template]] = {
    "confident": [
        ('{who} told us "{said}" last time, and {who} was onto something.', "happy"),
        ('Shout-out to {who}, who said "{said}". Legend.', "excited"),
    ],
    "anxious": [
        ('{who} asked us "{said}" last time, and I still think about it at night.', "worried"),
        ('Remember {who}? "{said}". That stayed with me.', "sad"),
    ],
    "neutral": [('{who} once said "{said}".', "neutral")],
}
# The last turn: the speaker's side, one more time.
CLOSE: dict[str, list[Template]] = {
    "confident": [
        ("And that settles it: {side}. Goodnight, everybody!", "excited"),
        ("That's our show! Remember: {side}. Always.", "smug"),
    ],
    "anxious": [
        ("So, to sum up: {side}, probably. Stay safe, everyone. Goodnight.", "worried"),
        ("That's all the time we have. {Side}. I'm going to go lie down now.", "sad"),
    ],
    "neutral": [("That's our show: {side}. Thanks for watching.", "happy")],
}
