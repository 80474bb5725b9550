"""The grounding check on the real embedding model and index: calibration holds, unsupported sentences go."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.grounding import MIN_OVERLAP, MIN_SIMILARITY, GroundingCheck, parse_citations, split_generated
from assistant.retrieve import Hit

CALIBRATION = Path(__file__).resolve().parent / "data" / "grounding_calibration.yaml"


@pytest.fixture(scope="module")
def snap(assistant):
    return assistant.snapshot()


@pytest.fixture(scope="module")
def check(embedder) -> GroundingCheck:
    return GroundingCheck(embedder)


def hits_of(snap, *doc_ids: str) -> list[Hit]:
    """Every passage of the named documents, as retrieval would hand them over."""
    return [Hit(chunk=c, score=0.0, rank=n) for n, c in enumerate((c for d in doc_ids for c in snap.doc_chunks(d)), 1)]


def test_calibrated_floors_keep_paraphrases_and_remove_unsupported_sentences(check, snap):
    data = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))
    kept = {group: [check.sentence(f"{s} [{doc}]", hits_of(snap, doc), snap).kept for doc, s in data[group]]
            for group in ("supported", "unsupported")}
    assert (MIN_SIMILARITY, MIN_OVERLAP) == (0.5, 0.5)
    assert sum(kept["supported"]) >= len(kept["supported"]) - 1  # one deliberately far-fetched rewording
    assert not any(kept["unsupported"])


def test_a_citation_after_the_full_stop_or_on_its_own_line_stays_with_its_sentence():
    text = ("Mapping information is a Practice. [P3] It has examples [P3][site-oldham].\n"
            "- Oldham mapped records\n[site-oldham]")
    assert split_generated(text) == [
        (0, "", "Mapping information is a Practice. [P3]"),
        (0, "", "It has examples [P3][site-oldham]."),
        (1, "-", "Oldham mapped records [site-oldham]"),
    ]


@pytest.mark.parametrize("sentence, ids", [
    ("Voice matters [voice].", ["voice"]),
    ("Both apply [P3, P4].", ["P3", "P4"]),
    ("Both apply [P3][P4].", ["P3", "P4"]),
    ("Labelled as the extractive answers do [P3 Mapping information].", ["P3"]),
    ("No citation here.", []),
])
def test_citations_are_parsed_from_brackets(sentence, ids):
    bare, found = parse_citations(sentence)
    assert found == ids
    assert "[" not in bare and bare.endswith(".")


def test_invented_claim_is_removed_and_supported_one_kept_with_its_passage_highlighted(check, snap):
    hits = hits_of(snap, "P3", "site-oldham")
    text = ("Mapping information is the third of the Framework's eight Practices [P3]. "
            "Mapping information requires every council to finish a data audit within six months [P3].")
    grounded = check.check(text, hits, snap)
    assert [c.kept for c in grounded.checks] == [True, False]
    assert grounded.text == "Mapping information is the third of the Framework's eight Practices. [P3 Mapping information]"
    assert "six months" not in grounded.text
    cite = grounded.citations[0]
    assert cite.id == "P3" and cite.sentences and all(s in cite.passage for s in cite.sentences)
    assert grounded.checks[0].to_dict()["method"].startswith("cosine similarity")


def test_citation_of_a_passage_not_retrieved_is_dropped(check, snap):
    hits = hits_of(snap, "P3")
    text = ("Mapping information is the third of the Framework's eight Practices [P3][P8]. "
            "National datasets include the census [P8].")
    grounded = check.check(text, hits, snap)
    first, second = grounded.checks
    assert first.kept and first.cited == ["P3"] and first.dropped_ids == ["P8"]
    assert not second.kept and second.reason == "cites no retrieved passage"
    assert [c.id for c in grounded.citations] == ["P3"] and grounded.dropped_ids == ["P8"]


def test_uncited_claims_go_but_saying_what_the_material_does_not_cover_stays(check, snap):
    hits = hits_of(snap, "P3")
    grounded = check.check("Mapping information takes two weeks. The Framework material does not say how long "
                           "mapping takes.", hits, snap)
    assert [(c.kept, c.reason) for c in grounded.checks] == [
        (False, "no citation"), (True, "says what the passages do not cover")]
    assert grounded.supported == 0  # nothing the passages support: the service falls back


def test_a_number_the_passage_does_not_have_is_unsupported(check, snap):
    hits = hits_of(snap, "E1")
    grounded = check.check("A workshop in March 2024 brought together 40 local authorities [E1].", hits, snap)
    assert grounded.checks[0].reason == "number 40 is not in the cited passage"
