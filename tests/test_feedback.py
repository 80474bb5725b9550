"""Feedback ratings: stored in SQLite without the question unless opted in, expired, exported as CSV by the CLI."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from assistant.cli import main
from assistant.errors import AssistantError
from assistant.feedback import COLUMNS, FeedbackStore


def test_by_default_only_what_the_user_sent_is_kept(tmp_path):
    store = FeedbackStore(tmp_path)
    store.add("What is [NAME]'s P3?", "Mapping information is ...", ["P3"], -1, "too short", "v1")
    [row] = store.rows()
    assert (row.question, row.answer) == ("", "")
    assert (row.citations, row.rating, row.comment, row.index_version) == ("P3", -1, "too short", "v1")
    assert b"Mapping information" not in (tmp_path / "feedback.sqlite3").read_bytes()


def _age(store: FeedbackStore, row_id: int, days: int) -> None:
    """Backdate one row, as if it had been given ``days`` ago."""
    created = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE feedback SET created = ? WHERE id = ?", (created, row_id))
    conn.close()


def test_old_feedback_is_deleted_when_the_store_opens(tmp_path):
    store = FeedbackStore(tmp_path, days=30)
    old, new = store.add("q", "a", ["P1"], 1), store.add("q", "a", ["P2"], 1)
    _age(store, old, 31)
    assert [r.id for r in FeedbackStore(tmp_path, days=30).rows()] == [new]


def test_old_feedback_is_deleted_daily_by_a_running_store(tmp_path):
    store = FeedbackStore(tmp_path, days=30)
    old = store.add("q", "a", ["P1"], 1)
    _age(store, old, 40)
    store.add("q", "a", ["P2"], 1)
    assert len(store.rows()) == 2, "purged at most once a day"
    store._purged = datetime.now(timezone.utc) - timedelta(days=1, seconds=1)  # a day has passed
    store.add("q", "a", ["P3"], 1)
    assert [r.citations for r in store.rows()] == ["P2", "P3"]


def test_feedback_days_must_be_positive(tmp_path):
    with pytest.raises(AssistantError, match="ASSISTANT_FEEDBACK_DAYS"):
        FeedbackStore(tmp_path, days=0)


def test_cli_purge_before_a_date(tmp_path, capsys):
    store = FeedbackStore(tmp_path)
    first = store.add("q", "a", ["P1"], 1)
    store.add("q", "a", ["P2"], 1)
    _age(store, first, 10)
    before = (date.today() - timedelta(days=5)).isoformat()
    assert main(["--data-dir", str(tmp_path), "feedback", "purge", "--before", before]) == 0
    assert f"Deleted 1 feedback rows given before {before}" in capsys.readouterr().out
    assert [r.citations for r in store.rows()] == ["P2"]
    with pytest.raises(SystemExit):
        main(["--data-dir", str(tmp_path), "feedback", "purge", "--before", "last tuesday"])
    assert "is not a date" in capsys.readouterr().err


def test_add_then_rows_round_trip(tmp_path):
    store = FeedbackStore(tmp_path, keep_text=True)
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
    store = FeedbackStore(tmp_path, keep_text=True)
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
    FeedbackStore(data, keep_text=True).add("What is P3?", "Mapping information ...", ["P3"], -1, "vague", "v3")
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
