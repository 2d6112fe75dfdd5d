"""The knowledge stage on the real knowledge base: questions understood, answered from the source, or "no idea"."""

from __future__ import annotations

import asyncio
import datetime as dt

from talkshow.bench.brain import ask_all, summarize
from talkshow.bench.questions import load_questions
from talkshow.core.kinds.hearing import Readings
from talkshow.core.kinds.writer import CALLER, Exchange, ReplyRequest
from talkshow.knowledge.numbers import number_words, parse_number
from talkshow.knowledge.question import understand_question
from talkshow.knowledge.solvers import solve_clock, solve_sum, solve_unit
from talkshow.knowledge.stage import KnowledgeStage
from talkshow.writer.knowledge_reply import with_knowledge
from talkshow.writer.reply import ImprovReply

# The dev set's typed figures when this was written (83.9% correct or fitting; facts 85 of 95), less a
# margin for a change elsewhere; the held-out test set is only reported, by `talkshow bench brain`. The facts'
# floor was 0.85 until the dev set's round of 2026-11-28's second session, written to find misses, took the
# share to 0.840 (267 of 318): a floor against losing answers, not a target.
MIN_DEV_FITTING = 0.80
MIN_DEV_FACTS = 0.83


def test_spoken_sums_and_units_are_worked_out() -> None:
    cases = {
        "what is seven times six": "forty-two", "a hundred minus one": "ninety-nine", "half of twenty": "ten",
        "What's twelve divided by four?": "three", "how much is 3 + 4": "seven", "what is nine squared": "eighty-one",
        "what's the square root of eighty one": "nine", "two thousand and five plus five": "two thousand and ten",
        "What's thirty-three plus eleven?": "forty-four", "what is 10-3": "seven",  # a hyphen in a word is no minus
    }  # fmt: skip
    for said, answer in cases.items():
        solved = solve_sum(said)
        assert solved is not None and solved.answer == answer and answer in solved.fact, (said, solved)
    assert solve_sum("what is seven divided by zero") is None  # no answer, not a guess
    assert solve_sum("seven dwarfs and snow white") is None
    minutes = solve_unit("how many minutes are in an hour")
    assert minutes is not None and minutes.answer == "sixty"
    feet = solve_unit("how many feet in two miles")
    assert feet is not None and feet.answer == number_words(10560)
    assert solve_unit("how many legs does a spider have") is None
    assert parse_number("one hundred and five") == 105 and parse_number("banana") is None


def test_the_day_month_or_season_next_to_another_is_worked_out(stage: KnowledgeStage) -> None:
    for asked, word in {
        "What season comes after winter?": "spring",
        "What month is before June?": "May",
        "What is the day after Monday?": "Tuesday",  # not today's day, which "what is the day" asks
        "What comes before fall?": "summer",
    }.items():
        answer = stage.answer(asked)
        assert answer is not None and answer.answer == word and answer.source == "the calendar", answer
    other = stage.answer("What happens after dinner?")
    assert other is None or other.source != "the calendar", other


def test_the_clock_answers_the_day_the_date_and_the_time() -> None:
    noon = dt.datetime(2026, 11, 26, 12, 5)
    day = solve_clock("what day is it today", noon)
    assert day is not None and day.answer == "Thursday"
    date = solve_clock("what's the date", noon)
    assert date is not None and "November 26, 2026" in date.fact
    time = solve_clock("what time is it", noon)
    assert time is not None and time.fact == "it is 12:05 in the afternoon"


def test_questions_are_understood_with_their_subject_and_follow_ups_take_the_turn_before(
    stage: KnowledgeStage,
) -> None:
    spider = understand_question("So, Duke, how many legs does a spider have?")
    assert spider is not None and (spider.kind, spider.subject, spider.detail) == ("how_many", "spider", "legs")
    assert understand_question("what is your name") is None  # the character's own life, not a book's
    assert understand_question("what fruit did I say I like") is None  # the caller's, not a book's
    before = ("How many legs does a spider have?",)
    follow = stage.question("how many does it have?", before)
    assert follow is not None and (follow.subject, follow.detail) == ("spider", "legs")
    other = stage.question("What about an octopus?", ("How many arms does a starfish have?",))
    assert other is not None and (other.kind, other.subject) == ("how_many", "octopus")
    # A pronoun misheard over the phone (CI seed 163040: "do they" heard "do my") still asks about the place before.
    for misheard, fact in (("And what language do my speak there?", "Japanese"), ("what money do my use there", "Yen")):
        answer = stage.answer(misheard, ("What is the capital of Japan?",))
        assert answer is not None and answer.answer == fact, answer


def test_answers_are_facts_from_the_source_and_an_unknown_is_no_idea(stage: KnowledgeStage) -> None:
    cases = {
        "How many legs does a spider have?": ("eight", "A spider is a predatory arachnid with eight legs"),
        "What is the capital of France?": ("Paris", "The capital of France is Paris"),
        "What do bees make?": ("honey", "Honey is a sweet yellow liquid produced by bees"),
        "Is a whale a fish?": ("no", "No, a whale is a mammal, not a fish"),
        "Is a dolphin a fish?": ("no", "No, a dolphin is a mammal, not a fish"),  # the whale, not the dolphinfish
        "Is the sun a planet?": (
            "no",
            "No, the sun is a star, not a planet",
        ),  # not "the source of ... for the planets"
        "What is the opposite of hot?": ("cold", "The opposite of hot is cold"),
        "Which is the tallest animal?": (
            "giraffe",
            "I can't speak for every animal, but a giraffe is the tallest living quadruped",
        ),  # a superlative over a narrower kind is said as that, not as the answer
        "What is the longest river?": ("Nile", "The Nile is the world's longest river"),
        "What is the longest river in Europe?": ("Volga", "The Volga is the longest river in Europe"),
        "Which planet is the biggest?": ("Jupiter", "Jupiter is the largest planet and the 5th from the sun"),
        "Who invented the telephone?": ("Alexander Graham Bell", "Alexander Graham Bell invented the telephone"),
        "Is gold a metal?": ("yes", "Yes, gold is a metal"),
        "Who invented the light bulb?": ("Thomas Alva Edison", "Thomas Alva Edison invented the light bulb"),
        "Who wrote the Odyssey?": ("Homer", "Homer wrote the Odyssey"),  # a title as the source spells it
        "Who discovered radium?": ("Marie Curie", "Marie Curie discovered radium"),  # "her discovery of radium"
        # A substance takes no article, nor does a definition that starts with one ("Ice is a water frozen" once).
        "What is ice made of?": ("ice", "Ice is water frozen in the solid state"),
        "What is steel?": ("steel", "Steel is an alloy of iron with small amounts of carbon"),
        "What do koalas eat?": ("eucalyptus leaves and bark", "Koalas eat eucalyptus leaves and bark"),
        "What do pandas eat?": ("plants", "Pandas are herbivorous: they eat plants"),  # what the gloss calls them
        "Can fish breathe underwater?": ("yes", "Yes, fish can breathe underwater: they breathe through gills"),
        "What do caterpillars turn into?": ("butterfly or moth", "Caterpillars grow into butterflies or moths"),
        "What does a kitten grow up to be?": ("cat", "Kittens grow into cats"),  # "young domestic cat"
        "Do penguins live at the North Pole?": (
            "no",
            "No. Penguins live in cold southern especially Antarctic regions",
        ),
        "Do kangaroos live in Australia?": ("yes", "Yes. Kangaroos live in Australia"),
        "Where is Big Ben?": (  # a name with "of", and the wider place after a comma
            "the Houses of Parliament in London",
            "Big Ben is in the Houses of Parliament in London",
        ),
        # the gloss's own "on", and where the island is ("on Liberty Island in New York Bay")
        "Where is the Statue of Liberty?": (
            "Liberty Island in New York Bay",
            "The Statue of Liberty is on Liberty Island in New York Bay",
        ),
        "Which continent is Peru in?": ("South America", "Peru is in South America"),  # the table says "Americas"
        "What continent is Turkey in?": ("Asia and Europe", "Turkey is in Asia and Europe"),
        "What's the opposite of empty?": ("full", "The opposite of empty is full"),  # the adjective's, not "fill"
        "What do you call a baby cow?": ("calf", "A baby cow is called a calf"),  # "young of domestic cattle"
        "What do you call a baby dog?": ("puppy", "A baby dog is called a puppy"),  # a kind of pup: the closer name
        "Where is the Nile?": ("Egypt", "The Nile is in Egypt"),  # the article as asked
        # "a major South American river": WordNet's adjective pertains to South America; "the" asks for the name
        "Where is the Amazon?": ("South America", "The Amazon is in South America"),
        "What colour is coal?": ("black", "Coal is black"),  # black is "as black as coal" in its own gloss
        "What is a giraffe?": ("giraffe", "A giraffe is a ruminant, the tallest living quadruped"),  # its kind
        # What a word is: the sense it names first (a pig the animal, not pig iron; a doctor the practitioner, not
        # the children's game), "the moon" the Moon, and no article where the caller used none ("Music is").
        "What is a pig?": ("pig", "A pig is a domestic swine"),
        "What is a doctor?": ("doctor", "A doctor is a licensed medical practitioner"),
        "What is the moon?": ("moon", "The moon is the natural satellite of the Earth"),
        "What is gravity?": ("gravity", "Gravity is the force of attraction between all masses in the universe"),
        "How many tentacles does a squid have?": (
            "ten",
            "A squid is a decapod, and decapods are cephalopods having eight short tentacles plus two long ones: "
            "ten tentacles in all",
        ),  # "eight ... plus two" was eight
        "What colour is a zebra?": (
            "black and white",
            "A zebra is one of the fleet black-and-white striped African equines",
        ),  # both colours, not the first ("black" once)
        "What colour is a tiger?": (
            "tawny",
            "A tiger is a large feline of forests in most of Asia having a tawny coat",
        ),
        "Which is bigger, an elephant or a mouse?": (
            "elephant",
            "An elephant: the source calls an elephant massive, and a mouse small",
        ),  # "massive herbivorous mammals" (its kind), "numerous small rodents"
        "Is a mouse bigger than an elephant?": ("no", "No: the source calls a mouse small, and an elephant massive"),
        # "the fastest running animal" is past any other animal, one whose gloss says nothing of speed included
        "Which is slower, a cheetah or a snail?": (
            "snail",
            "A snail: the source calls a cheetah the swiftest of its kind",
        ),
        "Which is colder, ice or steam?": ("ice", "Ice: the source calls ice frozen, and steam boiling"),  # no article
        "How many legs does an insect have?": (
            "six",
            "An insect belongs to the Hexapoda, and a hexapod is an animal having six feet",
        ),  # the class whose gloss lists insects ("Insecta; Hexapoda: insects; ...")
        "Can whales breathe underwater?": ("no", "No, whales cannot breathe underwater: they breathe air"),
        "How many players are on a soccer team?": (
            "eleven",
            "Soccer is a football game in which two teams of 11 players try to kick",
        ),  # the thing's name holds its kind: a game, said with no article
        "How many legs does a lobster have?": (
            "ten",
            "A lobster is a decapod crustacean, and decapod crustaceans are crustaceans characteristically having "
            "five pairs of locomotor appendages: ten legs in all",
        ),  # a substance has no article ("a gold" once)
        "How many legs does an ant have?": (
            "six",
            "An ant belongs to the Hexapoda, and a hexapod is an animal having six feet",
        ),  # no insect's gloss counts its legs; the class it is a member of is named for them
        # A gloss's piece that is a sentence of its own follows what the thing is ("a this instrument has" once).
        "How many strings does a violin have?": (
            "four",
            "A violin is a bowed stringed instrument that is the highest member of the violin family. "
            "This instrument has four strings and a hollow body and an unfretted fingerboard",
        ),
    }
    for asked, (word, fact) in cases.items():
        answer = stage.answer(asked)
        assert answer is not None and answer.known and (answer.answer, answer.fact) == (word, fact), answer
        assert answer.source in ("WordNet", "countries")
    # "mainly green tropical American parrots": American is of the United States or of the Americas, so no place
    parrot = stage.answer("Where do amazons live?")
    assert parrot is None or "United States" not in parrot.fact, parrot
    moon = stage.answer("Where is the moon?")  # its gloss, "the natural satellite of the Earth", is not where
    assert moon is not None and "in the Earth" not in moon.fact, moon
    # "France is the largest country wholly in Europe" once answered the biggest country; a narrower place than
    # the question's is not an answer, and neither is "the Volga, the longest river in Europe" for the longest.
    shape = stage.answer("What shape has three sides?")  # "a three-dimensional shape with six ... sides": no
    assert shape is not None and shape.answer != "block", shape
    # Hooke "discovered the cellular structure of cork and ... proposed the inverse square law of gravitational
    # attraction": the doing must be in the clause that names the thing, or the person be the doer.
    gravity = stage.answer("Who discovered gravity?")
    assert gravity is not None and "Hooke" not in gravity.answer, gravity
    # "A venom is a toxin secreted by animals" is no penguin's, and "a necklace made by a stringing objects
    # together" no umbrella's: a maker is named right after "by", and is more than any animal or object.
    for nothing in ("What do penguins make?", "What do umbrellas make?"):
        made = stage.answer(nothing)
        assert made is not None and not made.known, made
    # The river "arises in the Andes" (where it starts), and the Amazons were "women warriors of Scythia": neither
    # is where the Amazon is (its "South American", above, is).
    amazon = stage.answer("Where is the Amazon?")
    assert amazon is not None and not {"Andes", "Scythia"} & set(amazon.fact.split()), amazon
    cats = stage.answer("Which is bigger, a cat or a dog?")  # no size word for either: not a guess
    assert cats is not None and not cats.known, cats
    car = stage.answer("Which is faster, a cheetah or a car?")  # the fastest animal, against no animal: not a guess
    assert car is not None and not car.known, car
    jungle = stage.answer("Do camels live in the jungle?")  # "desert regions": not a place the words can rule out
    assert jungle is not None and not jungle.known, jungle
    # "semiaquatic and terrestrial species": living on land is no food; what frogs eat is the class table's.
    frogs = stage.answer("What do frogs eat?")
    assert frogs is not None and frogs.answer.startswith("insects") and "table" in frogs.source, frogs
    biggest = stage.answer("What is the biggest city?")  # the glosses say only "... of New Zealand" and the like
    assert biggest is not None and not biggest.known, biggest
    unknown = stage.answer("How many hearts does a unicorn have?")
    assert unknown is not None and not unknown.known and unknown.answer == ""
    assert stage.answer("I think lambos are overrated") is None  # an opinion: not the knowledge stage's
    told = stage.answer("What's my cat called?", ("My cat is named Pickles.",))
    assert told is not None and told.fact == "Your cat is called Pickles" and told.source == "the call"


def test_the_character_says_the_fact_in_its_own_voice_and_no_idea_in_character(stage: KnowledgeStage) -> None:
    from talkshow.config import default_cast

    replier = with_knowledge(ImprovReply(), "improv", {}, None)
    duke, wendell = (next(m for m in default_cast() if m.id == who) for who in ("duke", "wendell"))

    async def ask(member: object, heard: str, history: tuple[Exchange, ...] = ()) -> list[str]:
        request = ReplyRequest(member, "lambos", heard, history)  # type: ignore[arg-type]
        return [sentence async for sentence in replier.reply(request)]

    for member in (duke, wendell):
        said = asyncio.run(ask(member, "how many legs does a spider have"))
        assert len(said) == 1 and "eight legs" in said[0], said
        follow = asyncio.run(ask(member, "And how many legs does it have?", (Exchange(CALLER, "What is a spider?"),)))
        assert "eight" in follow[0].lower(), follow
        shrug = asyncio.run(ask(member, "How many hearts does a unicorn have?"))
        assert len(shrug) == 1 and "eight" not in shrug[0] and any(w in shrug[0].lower() for w in ("idea", "know"))
    assert asyncio.run(ask(duke, "what is your name"))[0] != asyncio.run(ask(wendell, "what is your name"))[0]


def test_the_dev_set_typed_is_answered_as_measured() -> None:
    replier = with_knowledge(ImprovReply(), "improv", {}, None)
    summary = summarize(asyncio.run(ask_all(replier, load_questions("dev"))))
    assert summary["fitting_share"] >= MIN_DEV_FITTING, summary
    facts = summary["by_kind"]["fact"]
    assert facts["correct"] / sum(facts.values()) >= MIN_DEV_FACTS, facts


def test_an_answer_to_the_ears_other_reading_when_the_words_heard_ask_nothing_it_knows() -> None:
    from talkshow.config import default_cast

    replier = with_knowledge(ImprovReply(), "improv", {}, None)
    duke = next(m for m in default_cast() if m.id == "duke")

    def answer(heard: str, readings: tuple[str, ...], history: tuple[Exchange, ...] = ()) -> str:
        request = ReplyRequest(duke, "lambos", heard, history, heard_readings=Readings(readings))

        async def ask() -> str:
            return " ".join([sentence async for sentence in replier.reply(request)])

        return asyncio.run(ask())

    readings = ("What money do you need in Swiss?", "What money do they use in Switzerland?")
    misheard = answer("What money do a human switch, Charlotte?", readings)
    assert "franc" in misheard.lower(), "the first reading the knowledge answers is answered"
    heard_right = answer("How many legs does a spider have?", ("How many legs does a slider have?",))
    assert "eight" in heard_right.lower(), "words heard that it can answer are answered; no other reading is tried"
    spider = answer("What is a spiter?", ("What is a spider?",))
    assert "arachnid" in spider.lower(), spider
    history = (Exchange(CALLER, "What is a spiter?"), Exchange("duke", spider))
    legs = answer("How many legs does it have?", (), history)
    assert "eight" in legs.lower(), f"a follow-up looks back at the reading answered, not the mishearing: {legs}"
    plain = answer("How many hearts does a unicorn have?", ("How many hearts does a uniform have?",))
    assert any(w in plain.lower() for w in ("idea", "know")), f"no reading it knows: an honest no idea: {plain}"
    said = answer("I think tomatoes are lovely.", ("Is a tomato a fruit?",))
    assert "fruit" not in said.lower(), f"a statement heard is answered as said, its readings not waited for: {said}"


def test_a_count_wordnet_gives_in_an_example_and_a_thing_known_by_another_name(stage: KnowledgeStage) -> None:
    continents = stage.answer("How many continents are there?")
    assert continents is not None and continents.answer == "seven", continents  # "there are seven continents"
    assert continents.fact == "There are seven continents"
    hours = stage.answer("How many hours are there?")  # no example counts them (in a day, they are 24)
    assert hours is not None and not hours.known, hours
    mars = stage.answer("What planet is known as the Red Planet?")
    assert mars is not None and mars.answer == "Mars" and mars.fact == "Mars is known as the Red Planet", mars
    not_a_planet = stage.answer("What city is known as the Red Planet?")  # the kind asked must be the thing's kind
    assert not_a_planet is not None and not not_a_planet.known, not_a_planet
    car = stage.answer("What is another word for car?")
    assert car is not None and car.answer == "auto" and car.fact == "Another word for car is auto", car


def test_sizes_of_countries_legs_through_the_kind_a_gloss_names_and_a_synonyms_opposite(stage: KnowledgeStage) -> None:
    cases = {
        "What is the biggest country?": ("Russia", "Russia is the biggest country, at 17,124,442 square kilometres"),
        "Which is the smallest country?": ("Vatican City State", "Vatican City State is the smallest country, at"),
        # "solid-hoofed herbivorous quadruped", and a quadruped has "four limbs specialized for walking"
        "How many legs does a horse have?": ("four", "A horse is a quadruped, and a quadruped is an animal"),
        "What is the opposite of hard?": ("easy", "The opposite of hard is easy"),  # "hard" as "difficult"
        "Is iron metal?": ("yes", "Yes, iron is a metal"),  # no article before the kind
        "Is a tomato fruit?": ("yes", "Yes, a tomato is a fruit"),
    }
    for asked, (word, fact) in cases.items():
        answer = stage.answer(asked)
        assert answer is not None and answer.known and answer.answer == word, (asked, answer)
        assert answer.fact.startswith(fact), (asked, answer.fact)
        assert answer.source == ("countries" if "country" in asked else "WordNet"), answer
    # Look-alikes with no answer in the data: an honest no idea, not the nearest thing found.
    for asked in (
        "Which country has the most people?",
        "How many legs does a kangaroo have?",  # a marsupial: its class does not say (a cow's does, since)
        "What is the fastest country?",
    ):
        answer = stage.answer(asked)
        assert answer is not None and not answer.known, (asked, answer)
    people = stage.answer("How many people live in India?")  # the table's count is old: said as a count then
    assert people is not None and people.known and "at my source's last count, some years ago" in people.fact, people
    ruby = stage.answer("What color is that ruby?")  # "that" as an article, as heard for "a"
    assert ruby is not None and ruby.answer == "red", ruby
    for misheard in ("What's the opposite on heart?", "What is the capital in France?"):
        understood = stage.question(misheard)
        assert understood is None or understood.kind != "what_is", (misheard, understood)
    quality = stage.answer("Is the sun hot?")  # a quality, not a kind: not read as "is the sun a hot"
    assert quality is not None and quality.question.kind == "yes_no", quality


def test_a_spoken_question_with_a_sound_alike_small_word_is_answered_as_the_question_it_was() -> None:
    from talkshow.config import default_cast
    from talkshow.core.kinds.hearing import HeardWord, Readings
    from talkshow.knowledge.misheard import sound_alikes

    assert sound_alikes("In a tomato fruit.") == ("Is a tomato fruit.",)
    assert sound_alikes("What is half on twenty?") == ("What is half of twenty?",)
    assert sound_alikes("What in a parrot?") == ("What is a parrot?",)
    assert sound_alikes("Is the sun hot?") == ()
    assert sound_alikes("Two penguins live at the North Pole.") == ("Do penguins live at the North Pole.",)
    assert sound_alikes("Two of us went home.") == ()  # only a plural and a verb a question of fact asks with
    replier = with_knowledge(ImprovReply(), "improv", {}, None)
    duke = next(m for m in default_cast() if m.id == "duke")

    def answer(heard: str, spoken: bool, readings: tuple[str, ...] = ()) -> str:
        words = tuple(HeardWord(w, 0.9) for w in heard.split()) if spoken else ()
        request = ReplyRequest(duke, "lambos", heard, heard_words=words, heard_readings=Readings(readings))

        async def ask() -> str:
            return " ".join([sentence async for sentence in replier.reply(request)])

        return asyncio.run(ask())

    assert "ten" in answer("What is half on twenty?", spoken=True).lower()
    assert "yes" in answer("In a tomato fruit.", spoken=True).lower()
    # "What's the opposite on top?" is no question of what "opposite" means: its sound-alike is answered instead
    assert "bottom" in answer("What's the opposite on top?", spoken=True).lower()
    assert "no." in answer("Two penguins live at the North Pole.", spoken=True).lower()
    # An ears' reading that asks something only once words are cut from it is not taken ("opponent on map")
    said = answer("What is the opposite on map?", spoken=True, readings=("What is the opponent on map?",)).lower()
    assert "opponent" not in said and any(w in said for w in ("idea", "know")), said
    typed = answer("What is half on twenty?", spoken=False)  # chat is read as written
    assert "ten" not in typed.lower() and any(w in typed.lower() for w in ("idea", "know")), typed


def test_words_the_ears_were_unsure_of_that_ask_nothing_are_asked_for_again_once() -> None:
    from talkshow.config import default_cast
    from talkshow.core.kinds.hearing import HeardWord
    from talkshow.writer.answers import SAY_AGAIN
    from talkshow.writer.knowledge_reply import ASK_AGAIN_BELOW

    replier = with_knowledge(ImprovReply(), "improv", {}, None)
    duke = next(m for m in default_cast() if m.id == "duke")

    def answer(heard: str, least_sure: float, history: tuple[Exchange, ...] = ()) -> str:
        words = tuple(HeardWord(w, least_sure if i == 2 else 0.9) for i, w in enumerate(heard.split()))
        request = ReplyRequest(duke, "lambos", heard, history, heard_words=words)

        async def ask() -> str:
            return " ".join([sentence async for sentence in replier.reply(request)])

        return asyncio.run(ask())

    # What the ears made of "Which animal has antlers?" in noise, their least sure word at 0.06.
    babble = "We can't ignore the lantern."
    first = answer(babble, ASK_AGAIN_BELOW * 0.6)
    assert first in SAY_AGAIN, f"not answered as if it was what was said: {first}"
    again = answer(babble, ASK_AGAIN_BELOW * 0.6, (Exchange(CALLER, babble), Exchange("duke", first)))
    assert again not in SAY_AGAIN, "asked once; a caller still hard to hear is answered, not asked again and again"
    assert answer(babble, ASK_AGAIN_BELOW * 1.5) not in SAY_AGAIN, "words heard surely enough are answered"
    # Unsure words that still ask a question the knowledge answers are answered with the fact.
    assert "eight" in answer("How many legs does a spider have?", ASK_AGAIN_BELOW * 0.6).lower()
