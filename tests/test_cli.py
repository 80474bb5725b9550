"""The command line: answers as JSON, exit codes, and one-line errors."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from assistant.cli import main

from .conftest import CORPUS


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _dirs(settings) -> list[str]:
    return ["--data-dir", str(settings.data_dir), "--corpus-dir", str(settings.corpus_dir)]


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for command in ("index", "ask", "chat", "status", "serve", "eval", "feedback"):
        assert command in text
    assert "examples:" in text


def test_ask_json_cites_mapping_systems(capsys, settings, built_index):
    code, out, _ = _run(capsys, *_dirs(settings), "ask", "--json", "What does mapping systems involve?")
    assert code == 0
    data = json.loads(out)
    assert {"text", "citations", "refused", "confidence", "retrieved_ids", "personal_data"} <= set(data)
    assert data["refused"] is False
    assert "P4" in [c["id"] for c in data["citations"]]
    assert data["citations"][0]["source_url"].startswith("https://")


def test_ask_json_names_all_four_approaches(capsys, settings, built_index):
    code, out, _ = _run(capsys, *_dirs(settings), "ask", "--json", "What are the four approaches?")
    data = json.loads(out)
    assert code == 0
    for doc_id, title in (("A1", "Integrating voice"), ("A2", "Understanding needs"),
                          ("A3", "Making best use of available information"),
                          ("A4", "Ensuring appropriate action and learning")):
        assert title in data["text"]
        assert doc_id in [c["id"] for c in data["citations"]]


def test_ask_json_refuses_capital_of_france(capsys, settings, built_index):
    code, out, _ = _run(capsys, *_dirs(settings), "ask", "--json", "What is the capital of France?")
    data = json.loads(out)
    assert code == 0 and data["refused"] is True and data["citations"] == []


def test_ask_with_history_resolves_follow_up(capsys, settings, built_index):
    code, out, _ = _run(capsys, *_dirs(settings), "ask", "--json", "--history", "What are the system enablers?",
                        "tell me more about the second one")
    assert code == 0 and json.loads(out)["citations"][0]["id"] == "E2"


def test_plain_ask_prints_answer_and_sources(capsys, settings, built_index):
    code, out, _ = _run(capsys, *_dirs(settings), "ask", "What does mapping information involve?")
    assert code == 0
    assert "[P3 Mapping information]" in out and "Sources (" in out and "https://" in out


def test_missing_index_is_one_line_error_and_exit_1(capsys, tmp_path):
    code, out, err = _run(capsys, "--data-dir", str(tmp_path / "empty"), "ask", "What is voice?")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "assistant index" in err


def test_status_without_index_exits_1(capsys, tmp_path):
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path / "none"), "status")
    assert code == 1 and "run `assistant index`" in out


def test_index_prints_what_it_did_and_status_shows_it(capsys, tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("framework.md", "practices/P3-mapping-information.md"):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, corpus / name)
    data = tmp_path / "data"
    code, out, _ = _run(capsys, "--data-dir", str(data), "--corpus-dir", str(corpus), "index", "--quiet")
    assert code == 0
    assert "Indexed 2 documents as" in out and "chunks in" in out and "added 2" in out
    code, out, _ = _run(capsys, "--data-dir", str(data), "--corpus-dir", str(corpus), "index", "--if-missing")
    assert code == 0 and "nothing to do" in out
    code, out, _ = _run(capsys, "--data-dir", str(data), "status")
    assert code == 0 and "2 documents" in out and "all-MiniLM-L6-v2" in out


def test_broken_front_matter_exits_non_zero_and_names_file(capsys, tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "framework.md", corpus / "framework.md")
    (corpus / "bad.md").write_text("---\nid: Q9\nkind: practice\ntitle: X\n---\nText.\n", encoding="utf-8")
    code, out, err = _run(capsys, "--data-dir", str(tmp_path / "data"), "--corpus-dir", str(corpus), "index", "--quiet")
    assert code == 1
    assert "Indexed 1 documents" in out and "bad.md" in err and "unknown id 'Q9'" in err


def test_chat_holds_a_conversation_in_the_terminal(capsys, monkeypatch, settings, built_index):
    monkeypatch.setattr("sys.stdin", io.StringIO("What are the system enablers?\ntell me more about the second one\nquit\n"))
    code, out, _ = _run(capsys, *_dirs(settings), "chat")
    assert code == 0
    assert "Infrastructure and governance" in out and "[E2 Behaviours and culture]" in out
    assert "personal details" in out


def test_bad_setting_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_K", "five")
    code, _, err = _run(capsys, "status")
    assert code == 1 and "ASSISTANT_K" in err
