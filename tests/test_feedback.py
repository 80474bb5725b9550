"""Feedback ratings: stored in SQLite, exported as CSV by the CLI."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from assistant.cli import main
from assistant.feedback import COLUMNS, FeedbackStore


def test_add_then_rows_round_trip(tmp_path):
    store = FeedbackStore(tmp_path)
    first = store.add("What is P3?", "Mapping information is ...", ["P3", "P3", "site-oldham"], 1, "", "v1")
    second = store.add("What is A1?", "Integrating voice ...", ["A1"], -1, "too short", "v1")
    rows = store.rows()
    assert [r.id for r in rows] == [first, second]
    assert rows[0].citations == "P3,site-oldham"
    assert (rows[1].rating, rows[1].comment, rows[1].index_version) == (-1, "too short", "v1")
    assert (tmp_path / "feedback.sqlite3").exists()


def test_comment_personal_details_are_redacted(tmp_path):
    store = FeedbackStore(tmp_path)
    store.add("q", "a", [], -1, "My name is Jane Smith, call me on 07700 900123")
    comment = store.rows()[0].comment
    assert "Jane" not in comment and "07700" not in comment


def test_rating_must_be_plus_or_minus_one(tmp_path):
    with pytest.raises(ValueError, match="rating"):
        FeedbackStore(tmp_path).add("q", "a", [], 0)


def test_table_has_the_documented_columns(tmp_path):
    FeedbackStore(tmp_path).add("q", "a", ["P1"], 1)
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as conn:
        names = [row[1] for row in conn.execute("PRAGMA table_info(feedback)")]
    assert names == ["id", "created", "question", "answer", "citations", "rating", "comment", "index_version"]


def test_export_csv_writes_header_and_rows(tmp_path):
    store = FeedbackStore(tmp_path)
    store.add("What is P3?", "line one\nline two, with a comma", ["P3"], 1, "=HYPERLINK(\"x\")", "v2")
    out = tmp_path / "out.csv"
    assert store.export_csv(out) == 1
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    record = dict(zip(rows[0], rows[1]))
    assert record["answer"] == "line one\nline two, with a comma"
    assert record["rating"] == "1" and record["citations"] == "P3"
    assert record["comment"].startswith("'="), "a formula typed as a comment stays text in a spreadsheet"


def test_export_with_no_feedback_writes_only_the_header(tmp_path):
    out = tmp_path / "empty.csv"
    assert FeedbackStore(tmp_path / "data").export_csv(out) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [",".join(COLUMNS)]


def test_cli_feedback_export(tmp_path, capsys):
    data = tmp_path / "data"
    FeedbackStore(data).add("What is P3?", "Mapping information ...", ["P3"], -1, "vague", "v3")
    out = tmp_path / "feedback.csv"
    assert main(["--data-dir", str(data), "feedback", "export", "--csv", str(out)]) == 0
    assert "Wrote 1 feedback rows" in capsys.readouterr().out
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["question"], r["rating"], r["comment"]) for r in rows] == [("What is P3?", "-1", "vague")]


def test_cli_export_to_unwritable_path_is_one_line_error(tmp_path, capsys):
    FeedbackStore(tmp_path).add("q", "a", [], 1)
    assert main(["--data-dir", str(tmp_path), "feedback", "export", "--csv", str(tmp_path / "no" / "x.csv")]) == 1
    assert capsys.readouterr().err.startswith("error: Cannot write")
