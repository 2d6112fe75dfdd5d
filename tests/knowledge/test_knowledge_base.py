"""The knowledge base setup built from pinned registry data: what is in it, and a bad archive is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from talkshow.core.errors import InputError, TalkshowError
from talkshow.knowledge.base import KnowledgeBase
from talkshow.knowledge.build import digest, knowledge_path, remove_older_builds
from talkshow.knowledge.glosses import nouns
from talkshow.knowledge.sources import SOURCES, WORDNET, download


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase(knowledge_path())


def test_the_base_holds_all_of_wordnet_and_the_countries_named_by_their_sources(kb: KnowledgeBase) -> None:
    assert kb.path.name == f"knowledge-{digest()}.sqlite3"
    with sqlite3.connect(f"file:{kb.path}?mode=ro", uri=True) as db:
        assert db.execute("SELECT count(*) FROM synset").fetchone()[0] == 117_659  # WordNet 3.0's synsets
        assert db.execute("SELECT count(*) FROM country").fetchone()[0] >= 240
    assert set(kb.licences) == {s.distribution for s in SOURCES}
    assert "WordNet" in kb.licences[WORDNET.distribution]


def test_the_base_answers_from_its_own_words(kb: KnowledgeBase) -> None:
    spider = kb.senses("spiders")[0]
    assert spider.head == "spider" and "eight legs" in spider.definition
    assert kb.lemmas("mice") == ["mice", "mouse"]
    assert "mammal" in {a.head for a in kb.ancestors(nouns(kb, "dolphin")[0].id)}  # the whale before the fish
    assert "cold" in kb.antonyms("hot") and "small" in kb.antonyms("large")
    assert any(s.head == "honey" for s in kb.search("bees", "produced"))
    france = kb.country("the French Republic")
    assert france is not None and france.capital == "Paris" and "French" in france.languages
    assert france.currencies == ("Euro",)
    swiss = kb.country("Switzerland")
    assert swiss is not None and swiss.currencies[0] == "Swiss Franc"  # not the WIR fund's code, listed first
    italy = kb.country_with_capital("rome")
    assert italy is not None and italy.name == "Italy"


def test_a_base_that_is_not_there_and_an_archive_that_is_not_the_pinned_one_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        KnowledgeBase(tmp_path / "nothing.sqlite3")
    with pytest.raises(TalkshowError, match="talkshow.knowledge.build"):
        knowledge_path(tmp_path)
    (tmp_path / WORDNET.filename).write_bytes(b"not the archive")
    with pytest.raises(TalkshowError, match=f"{WORDNET.filename}: SHA-256 .* is not the pinned"):
        download(WORDNET, tmp_path)


def test_the_base_is_opened_read_only(kb: KnowledgeBase) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
        kb._db.execute("DELETE FROM synset")


def test_a_fact_is_said_in_todays_spelling_so_the_grammar_checker_finds_nothing(kb: KnowledgeBase) -> None:
    from talkshow.knowledge.english import clause, statement
    from talkshow.tutor.checker import GrammarChecker

    island = next(s for s in kb.senses("island") if "land mass" in s.definition)  # WordNet 3.0's own spelling
    said = statement("island", clause(island.definition)) + "."
    assert "landmass" in said and "land mass" not in said, said
    assert not GrammarChecker().check(said).findings, said
    assert GrammarChecker().check("An island is a land mass that is surrounded by water.").findings  # it would be


def test_a_gloss_cut_short_never_ends_on_a_joining_word(kb: KnowledgeBase) -> None:
    from talkshow.knowledge.english import clause

    # 15 words: cut before "used", it once ended "... a particular service or is".
    facility = next(s for s in kb.senses("facility") if s.definition.startswith("a building or place"))
    said = clause(facility.definition)
    assert said == "a building or place that provides a particular service", said
    for sense in kb.senses("town") + kb.senses("zoo") + kb.senses("municipality"):
        words = clause(sense.definition).split()
        assert words and words[-1] not in ("is", "or", "and", "that", "which", "of", "a", "the"), words


def test_a_new_build_removes_the_older_ones_and_one_still_open_reads_on(tmp_path: Path) -> None:
    older, kept = tmp_path / "knowledge-0123.sqlite3", tmp_path / f"knowledge-{digest()}.sqlite3"
    with sqlite3.connect(older) as db:
        db.execute("CREATE TABLE synset (id INTEGER)")
        db.execute("INSERT INTO synset VALUES (7)")
    kept.write_bytes(b"")
    (tmp_path / "silero_vad.onnx").write_bytes(b"a model, not a knowledge base")
    reading = sqlite3.connect(f"file:{older}?mode=ro", uri=True)
    try:
        assert remove_older_builds(kept) == [older]
        assert sorted(p.name for p in tmp_path.iterdir()) == [kept.name, "silero_vad.onnx"]
        assert reading.execute("SELECT id FROM synset").fetchone() == (7,), "a show reading it reads on"
    finally:
        reading.close()
