"""Scope follows the corpus: a local procedures document makes section 47 answerable; deleting it brings the signpost back."""

from __future__ import annotations

from dataclasses import replace

from gradio_client import Client, handle_file

from assistant.indexing import reindex
from assistant.service import Assistant
from assistant.topics import SCOPE_FILE, ScopeFile

from .test_admin import PASSWORD
from .test_ui import ask, chat_page

DOC_ID = "doc:uploads/local-procedures.txt"
THRESHOLD = ("The threshold for a section 47 enquiry is reasonable cause to suspect that a child is suffering, "
             "or is likely to suffer, significant harm.")
DECIDES = ("The strategy discussion decides whether a section 47 enquiry should start, who will lead it and what "
           "immediate action is needed to keep the child safe.")
LOCAL_PROCEDURES = f"""Local child protection procedures

Section 47 enquiries

{THRESHOLD} The enquiry is led by a qualified social worker and starts within one working day of the strategy
discussion.

The strategy discussion

{DECIDES} Police, health and the referrer take part in the strategy discussion, which is held within one working
day of the concern being raised.
"""
SECTION_47 = "What is the threshold for a section 47 enquiry?"
STRATEGY = "What does the strategy discussion decide?"


def signpost_of(settings) -> str:
    """The scope file's signpost for statutory child protection procedures."""
    topic = ScopeFile.load(settings.corpus_dir / SCOPE_FILE).match(SECTION_47)
    assert topic is not None and topic.topic == "Statutory child protection procedures"
    return topic.signpost


def flat(text: str) -> str:
    return " ".join(text.split())


def test_section_47_is_answered_from_an_added_document_and_refused_with_the_signpost_once_it_is_gone(
        corpus_copy, embedder):
    signpost = signpost_of(corpus_copy)
    assistant = Assistant(corpus_copy, embedder=embedder)
    path = corpus_copy.corpus_dir / "uploads" / "local-procedures.txt"
    path.parent.mkdir()
    path.write_text(LOCAL_PROCEDURES, encoding="utf-8")
    report = reindex(corpus_copy, embedder=embedder)
    assert report.added == [DOC_ID] and "Statutory child protection procedures" in report.scope.came_in

    answer = assistant.ask(SECTION_47)
    assert not answer.refused, answer.text
    assert THRESHOLD in flat(answer.text) and DOC_ID in answer.cited_ids
    strategy = assistant.ask(STRATEGY)
    assert not strategy.refused and DOC_ID in strategy.cited_ids
    assert "whether a section 47 enquiry should start" in flat(strategy.text)

    path.unlink()
    report = reindex(corpus_copy, embedder=embedder)
    assert report.removed == [DOC_ID] and "Statutory child protection procedures" in report.scope.went_out
    again = assistant.ask(SECTION_47)
    assert again.refused and not again.citations and signpost in again.text


def test_the_same_through_the_admin_tab_upload(corpus_copy, embedder, tmp_path):
    settings = replace(corpus_copy, admin_password=PASSWORD)
    signpost = signpost_of(settings)
    upload = tmp_path / "local-procedures.txt"
    upload.write_text(LOCAL_PROCEDURES, encoding="utf-8")
    assistant = Assistant(settings, embedder=embedder)
    with chat_page(assistant, settings) as url:
        client = Client(url, verbose=False)
        message, _ = client.predict(PASSWORD, [handle_file(str(upload))], api_name="/admin_upload")
        assert "Saved `uploads/local-procedures.txt`" in message
        progress = client.submit(PASSWORD, False, False, api_name="/admin_reindex").result(timeout=600)[0]
        assert "**Done.**" in progress and "Now in scope: Statutory child protection procedures" in progress

        _, summary = ask(client, SECTION_47)
        assert not summary["refused"], summary["text"]
        assert THRESHOLD in flat(summary["text"]) and DOC_ID in summary["cited_ids"]

        (settings.corpus_dir / "uploads" / "local-procedures.txt").unlink()
        progress = client.submit(PASSWORD, False, False, api_name="/admin_reindex").result(timeout=600)[0]
        assert "Out of scope again (no indexed document uses its terms now): Statutory child protection " \
               "procedures" in progress
        _, summary = ask(Client(url, verbose=False), SECTION_47)
        assert summary["refused"] and summary["cited_ids"] == [] and signpost in summary["text"]
