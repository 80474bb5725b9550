"""Soft word matching (assistant/softmatch.py) with the real packaged model's tokeniser and input embeddings."""

from __future__ import annotations

import pytest

from assistant.softmatch import PieceIndex, WordPieces


@pytest.fixture(scope="module")
def pieces(embedder):
    return WordPieces(embedder.model)


def test_only_content_pieces_are_kept(pieces):
    kept = pieces.tokenizer.convert_ids_to_tokens(pieces.ids("What is the threshold, and who sets it?").tolist())
    assert kept == ["threshold", "sets"]


def test_a_text_of_function_words_has_no_pieces(pieces):
    assert pieces.ids("what is the?").size == 0
    assert pieces.match(pieces.ids("what is the?"), [pieces.ids("Anything at all.")], {}) == [0.0]


def test_the_same_word_matches_fully_a_related_one_more_than_an_unrelated_one(pieces):
    question = pieces.ids("recording views")
    same, related, unrelated = pieces.match(
        question, [pieces.ids("views recording"), pieces.ids("records opinions"), pieces.ids("banana weather")], {})
    assert same == pytest.approx(1.0, abs=1e-5)
    assert related > unrelated


def test_rare_pieces_weigh_more_than_common_ones(pieces):
    texts = ["children data", "children voice", "children mapping", "children safeguarding"]
    rarity = pieces.rarity(texts)
    children, voice = pieces.ids("children voice").tolist()
    assert rarity[voice] > rarity[children]
    # The sentence holding the rare word beats the one holding the common word.
    holds_rare, holds_common = pieces.match(pieces.ids("children voice"),
                                            [pieces.ids("voice"), pieces.ids("children")], rarity)
    assert holds_rare > holds_common


def test_a_sentence_is_matched_together_with_its_heading(pieces):
    index = PieceIndex(pieces, ["Timeline", "Aims"],
                       {"c1": ["Timeline: It began in 2021."], "c2": ["Aims: It began in 2021."]})
    question = pieces.ids("timeline")
    assert index.scores(question, "c1")[0] > index.scores(question, "c2")[0]
    assert index.scores(question, "missing") == []


def test_the_live_index_gives_every_sentence_its_pieces_and_the_scorer_uses_them(assistant):
    from assistant.retrieve import Retriever
    from assistant.selection import SentenceScorer
    from assistant.understand import QuestionReader

    snapshot = assistant.snapshot()
    assert set(snapshot.pieces.units) == set(snapshot.sentences)
    assert all(len(snapshot.pieces.units[c]) == len(s) for c, s in snapshot.sentences.items())
    question = QuestionReader(snapshot).read("How should parents' views be captured?")
    vector = assistant.embedder.embed_query(question.query)
    hits = Retriever(snapshot, assistant.embedder, k=5).search(question.query)
    ranked = SentenceScorer(snapshot).rank(question, vector, hits)
    assert ranked and all(0.0 <= c.features["soft"] <= 1.0 + 1e-6 for c in ranked)
    assert max(c.features["soft"] for c in ranked) > min(c.features["soft"] for c in ranked)


def test_reading_pieces_leaves_the_models_batch_padding_alone(pieces, embedder):
    # CI failure of stop 25: a server thread reading a question's pieces switched padding off on the tokeniser the
    # model shares, while another thread's batch encode was under way, and the ragged batch raised a ValueError.
    shared = embedder.model.tokenizer
    assert pieces.tokenizer is not shared
    embedder.embed(["short", "a much longer text about mapping information and young people's voice"])
    padding = shared._tokenizer.padding
    assert padding is not None
    pieces.ids("record a parent's views")
    assert shared._tokenizer.padding == padding
    assert embedder.embed(["short", "a much longer text about mapping information"]).shape == (2, 384)
