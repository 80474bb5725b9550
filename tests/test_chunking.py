"""Chunks carry everything a citation needs and stand on their own."""

from __future__ import annotations

from assistant.chunking import Chunk, Chunker, split_sentences
from assistant.corpus import load_corpus

from .conftest import CORPUS


def _chunks() -> list[Chunk]:
    docs, _ = load_corpus(CORPUS)
    return Chunker(700, 80).split_all(docs)


def test_chunks_keep_document_metadata_heading_and_position():
    chunks = _chunks()
    p3 = [c for c in chunks if c.doc_id == "P3"]
    assert p3 and [c.position for c in p3] == list(range(len(p3)))
    assert {c.heading for c in p3} >= {"What it is", "Examples from partner sites"}
    first = p3[0]
    assert first.kind == "practice" and first.title == "Mapping information"
    assert first.sources and first.source_url.startswith("https://")
    assert first.id == "P3#0" and len(first.hash) == 16


def test_embedded_text_carries_title_and_heading():
    chunk = next(c for c in _chunks() if c.doc_id == "E2" and c.heading == "Why it matters")
    assert chunk.embed_text.startswith("Behaviours and culture - Why it matters\n")


def test_chunks_are_a_few_sentences_and_hashes_are_unique():
    chunks = _chunks()
    assert max(len(c.text) for c in chunks) <= 760
    assert len({c.hash for c in chunks}) == len(chunks)
    assert len({c.id for c in chunks}) == len(chunks)


def test_metadata_round_trip_through_chroma_form():
    chunk = _chunks()[5]
    again = Chunk.from_metadata(chunk.id, chunk.text, chunk.metadata())
    assert again == chunk


def test_hash_changes_when_text_changes():
    chunk = _chunks()[0]
    from dataclasses import replace

    assert replace(chunk, text=chunk.text + " More.").hash != chunk.hash


def test_split_sentences_handles_bullets_and_abbreviations():
    text = "First point here. Second one follows!\n\n- A bullet item\n- Another bullet (with a note)."
    assert split_sentences(text) == ["First point here.", "Second one follows!", "A bullet item",
                                     "Another bullet (with a note)."]


def test_a_markdown_hard_break_after_a_list_item_ends_the_sentence():
    text = "- Practice 8: Drawing from national datasets  \nThe published material does not say which Approach each Practice supports."
    assert split_sentences(text) == ["Practice 8: Drawing from national datasets",
                                     "The published material does not say which Approach each Practice supports."]
