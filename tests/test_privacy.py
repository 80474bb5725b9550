"""A question full of a child's details: answered with a warning, and no copy of any detail kept anywhere."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from gradio_client import Client
from gradio.utils import get_upload_folder

from assistant.cli import main
from assistant.evals import load_cases, run_eval
from assistant.feedback import FeedbackStore
from assistant.logs import LOG_DIR, LOG_NAME
from assistant.report import format_text, render_html, to_json
from assistant.service import Assistant
from assistant.ui import THANKS
from tests.test_ui import ask, chat_page, text_of

QUESTION = ("My client Kayleigh Brandreth, born 12/03/2015, NHS number 943 476 5919, lives at 14 Elm Road, "
            "Leeds LS1 4AB. Her mum's phone is 07700 900123 and her email is kayleigh.brandreth@example.com. "
            "What does mapping information involve?")
KINDS = ["name", "nhs_number", "postcode", "phone", "email", "date_of_birth", "address"]
# Each detail as typed and in the other spellings a copy could take.
DETAILS = {
    "name": ["Kayleigh", "Brandreth"],
    "date_of_birth": ["12/03/2015", "12-03-2015", "12.03.2015", "2015-03-12", "12032015"],
    "nhs_number": ["943 476 5919", "9434765919", "943-476-5919"],
    "address": ["14 Elm Road", "Elm Road", "14 Elm Rd"],
    "postcode": ["LS1 4AB", "LS14AB"],
    "phone": ["07700 900123", "07700900123", "+447700900123", "7700 900123"],
    "email": ["kayleigh.brandreth@example.com", "brandreth@example"],
}
# The details issue 12 found the first guard missed, typed as a careless user would.
ISSUE_EXAMPLES = [
    "kayleigh brandreth has a CP plan - how do we get her voice into her records?",
    "case ref 2023/04567 - what does mapping information involve?",
    "Mosaic ID 1234567 needs a record of her views: which practice covers that?",
    "LCS 556677 has two open plans, how do we improve voice in operational information use?",
    "Baby O'Connor was born early, what does Oldham record about early language?",
    "Master Quillfeather wants to see his file. What does the Framework say about voice?",
    "Our child Bob's school is asking for his records, what is mapping information?",
]
# "bob" alone occurs by chance in binary files, and Chroma's own schema holds "123456789ABCDEF".
ISSUE_DETAILS = ["kayleigh", "brandreth", "2023/04567", "04567", "id 1234567", "556677", "o'connor", "o’connor",
                 "oconnor", "quillfeather", "bob's", "child bob"]
NEEDLES = [form.lower() for forms in DETAILS.values() for form in forms] + ISSUE_DETAILS


def traces(text: str) -> list[str]:
    """The spellings of any detail found in ``text``."""
    lower = text.lower()
    return [needle for needle in NEEDLES if needle in lower]


def traces_in_files(*folders: Path, since: float = 0.0) -> dict[str, list[str]]:
    """Every file under the folders (changed after ``since``) holding a detail, as UTF-8 or UTF-16 bytes."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in (p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since):
            data = path.read_bytes().lower()
            hits = [n for n in NEEDLES if n.encode() in data or n.encode("utf-16-le") in data]
            if hits:
                found[str(path)] = hits
    return found


@pytest.fixture(scope="module")
def private_settings(settings, built_index, tmp_path_factory):
    """A data folder of the server's own, with a copy of the shared index and nothing else."""
    data = tmp_path_factory.mktemp("private") / "data"
    shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns(LOG_DIR, "feedback.sqlite3*"))
    return replace(settings, data_dir=data)


@pytest.fixture(scope="module")
def private_assistant(private_settings, embedder):
    """An assistant, with its own question log, over the private data folder."""
    return Assistant(private_settings, embedder=embedder)


def test_page_warns_answers_and_keeps_no_detail_anywhere(private_assistant, private_settings, tmp_path):
    started = time.time() - 1
    with chat_page(private_assistant, private_settings) as url:
        client = Client(url, verbose=False)
        messages, summary = ask(client, QUESTION)
        status, _ = client.predict("Thanks, Kayleigh's mum on 07700 900123 found it useful", api_name="/thumbs_up")
        messages_after, follow = ask(client, "and which site gave an example of it?")

    assert summary["personal_data"] == KINDS
    answer = text_of(messages[-1])
    assert answer.startswith("**⚠️ Personal details removed from your question.**"), "the warning comes first"
    for label in ("a name", "an NHS number", "a postcode", "a phone number", "an email address", "a date of birth",
                  "an address"):
        assert label in summary["notices"][0]
    assert summary["cited_ids"][0] == "P3" and not summary["refused"], "the question's topic is still answered"
    assert "Mapping information is" in answer
    assert "[NAME]" in text_of(messages[-2]) and "[NHS NUMBER]" in text_of(messages[-2])
    assert traces(json.dumps(messages_after, ensure_ascii=False)) == [], "the page shows only the redacted question"
    assert follow["personal_data"] == [] and follow["error"] is None

    assert status == THANKS
    [row] = FeedbackStore(private_settings.data_dir).rows()
    assert (row.question, row.answer) == ("", ""), "feedback keeps only what the user sent: rating and comment"
    assert row.rating == 1 and "P3" in row.citations and "[PHONE]" in row.comment
    export = tmp_path / "feedback.csv"
    assert main(["--data-dir", str(private_settings.data_dir), "feedback", "export", "--csv", str(export)]) == 0

    log = private_settings.data_dir / LOG_DIR / LOG_NAME
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert logged[0]["personal_data"] == KINDS and "question" not in logged[0], "the log keeps no question text"
    assert not list(private_settings.data_dir.rglob("flagged*")), "the page flags nothing"
    gradio_files = [Path(get_upload_folder()), Path.cwd() / ".gradio"]
    assert traces_in_files(private_settings.data_dir, tmp_path, *[p for p in gradio_files if p.is_dir()],
                           since=started) == {}
    assert traces_in_files(private_settings.data_dir) == {}, "nothing in the data folder, whatever its age"


def test_issue_examples_typed_into_the_page_leave_no_trace_whether_caught_or_not(private_assistant, private_settings):
    started = time.time() - 1
    summaries = []
    with chat_page(private_assistant, private_settings) as url:
        client = Client(url, verbose=False)
        for n, question in enumerate(ISSUE_EXAMPLES):
            messages, summary = ask(client, question)
            summaries.append(summary)
            assert traces(json.dumps(messages[-2:], ensure_ascii=False)) == [], question
            if n == 1:
                status, _ = client.predict("Useful for Mosaic ID 1234567, thanks", api_name="/thumbs_down")
                assert status == THANKS

    assert all(s["personal_data"] for s in summaries), "each example is reported as holding a detail"
    assert {"name", "reference_number"} <= {k for s in summaries for k in s["personal_data"]}
    rows = FeedbackStore(private_settings.data_dir).rows()
    assert [r.rating for r in rows][-1] == -1 and "[REFERENCE]" in rows[-1].comment
    log = private_settings.data_dir / LOG_DIR / LOG_NAME
    assert len(log.read_text(encoding="utf-8").splitlines()) >= len(ISSUE_EXAMPLES)
    gradio_files = [Path(get_upload_folder()), Path.cwd() / ".gradio"]
    assert traces_in_files(*[p for p in gradio_files if p.is_dir()], since=started) == {}
    assert traces_in_files(private_settings.data_dir) == {}, "nothing in the data folder or the logs, whatever its age"


def test_cli_ask_reports_the_kinds_and_keeps_no_detail(private_settings, capsys):
    args = ["--data-dir", str(private_settings.data_dir), "--corpus-dir", str(private_settings.corpus_dir), "ask"]
    assert main([*args, "--json", QUESTION]) == 0
    printed = capsys.readouterr().out
    result = json.loads(printed)
    assert result["personal_data"] == KINDS and result["notices"][0].startswith("Personal details were removed")
    assert "[DATE OF BIRTH]" in result["question"] and result["cited_ids"][0] == "P3"
    assert traces(printed) == [], "not even the JSON output repeats a detail"

    assert main([*args, QUESTION]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Note: Personal details were removed from your question")
    assert traces(text) == []
    assert traces_in_files(private_settings.data_dir) == {}


def test_eval_reports_show_only_the_redacted_question(assistant, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(f"""
- id: named-child
  question: "{QUESTION}"
  history: ["My client Kayleigh Brandreth's NHS number is 943 476 5919. What are the four approaches?"]
  expect: {{cite_any: [A1]}}
""", encoding="utf-8")
    run = run_eval(assistant, load_cases([cases]), k=5)
    run.mark_regressions({"named-child"})
    outputs = {"json": json.dumps(to_json(run), ensure_ascii=False), "html": render_html(run), "text": format_text(run)}
    for name, output in outputs.items():
        assert traces(output) == [], name
        assert "[NAME]" in output and "mapping information" in output.lower(), name


def test_nothing_is_written_outside_the_data_folder_by_answering(private_assistant, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything written relative to the working folder lands here
    private_assistant.answer(QUESTION)
    assert os.listdir(tmp_path) == []
