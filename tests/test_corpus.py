"""Corpus loading: the shipped documents and the front-matter errors an admin can make."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import ELEMENTS, load_corpus
from assistant.errors import CorpusError

from .conftest import CORPUS

SECTIONS = ["## What it is", "## Why it matters", "## Examples from partner sites",
            "## What the published material does not yet say"]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_corpus_has_one_document_per_contract_id():
    docs, problems = load_corpus(CORPUS)
    assert problems == []
    assert sorted(d.id for d in docs) == sorted(ELEMENTS)
    for doc in docs:
        assert (doc.kind, doc.title) == ELEMENTS[doc.id], doc.path
        assert doc.sources and all(s.startswith("http") for s in doc.sources), doc.path


def test_framework_elements_share_the_same_sections_in_order():
    docs, _ = load_corpus(CORPUS)
    for doc in docs:
        if doc.kind in ("approach", "practice", "enabler"):
            positions = [doc.text.find(s) for s in SECTIONS]
            assert all(p >= 0 for p in positions), f"{doc.path} lacks a section"
            assert positions == sorted(positions), f"{doc.path} sections out of order"


def test_inferred_examples_are_labelled_and_gaps_stated():
    docs = {d.id: d for d in load_corpus(CORPUS)[0]}
    for pid in ("P1", "P3", "P4", "P5", "P6", "P7"):
        assert "illustration" in docs[pid].text.lower(), pid
    for doc in docs.values():
        if doc.kind == "practice":
            assert "does not" in doc.text.split("## What the published material does not yet say")[1], doc.id


@pytest.mark.parametrize("front, message", [
    ("id: Z9\nkind: practice\ntitle: Made up", "unknown id 'Z9'"),
    ("kind: practice\ntitle: No id", "has no 'id'"),
    ("id: P3\nkind: practice", "has no 'title'"),
    ("id: P3\nkind: approach\ntitle: Mapping information", "has kind 'practice' in the contract"),
    ("id: P3\nkind: practice\ntitle: Mapping information\nauthor: me", "unknown front-matter field 'author'"),
    ("id: [P3\nkind: practice", "not valid YAML"),
])
def test_front_matter_errors_name_the_file(tmp_path, front, message):
    _write(tmp_path, "practices/bad.md", f"---\n{front}\n---\n\n## What it is\n\nText.\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert "practices/bad.md" in str(err.value)
    assert message in str(err.value)


def test_duplicate_id_names_both_files(tmp_path):
    body = "---\nid: P3\nkind: practice\ntitle: Mapping information\n---\n\nSome text here.\n"
    _write(tmp_path, "a.md", body)
    _write(tmp_path, "b.md", body)
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert "b.md" in str(err.value) and "a.md" in str(err.value) and "unique" in str(err.value)


def test_broken_file_is_skipped_and_reported_when_asked(tmp_path):
    _write(tmp_path, "good.md", "---\nid: P3\nkind: practice\ntitle: Mapping information\n---\n\nText.\n")
    _write(tmp_path, "bad.md", "---\nid: nope\nkind: practice\ntitle: X\n---\n\nText.\n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 notes".encode("latin-1"))
    docs, problems = load_corpus(tmp_path, skip_broken=True)
    assert [d.id for d in docs] == ["P3"]
    assert any("bad.md" in p for p in problems) and any("latin1.txt" in p and "UTF-8" in p for p in problems)


def test_missing_or_empty_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="No corpus folder"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="no readable documents"):
        load_corpus(tmp_path)
