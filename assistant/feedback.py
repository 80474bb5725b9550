"""Thumbs up or down on an answer, kept in SQLite for trainers to export as CSV, and deleted when old."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .errors import AssistantError
from .guard import clean_question

if TYPE_CHECKING:
    from .config import Settings

DB_NAME = "feedback.sqlite3"
MAX_COMMENT_CHARS = 2000
PURGE_EVERY = timedelta(days=1)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (1, -1)),
    comment TEXT NOT NULL,
    index_version TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class FeedbackRow:
    """One stored rating; `citations` holds the cited ids, comma-separated."""

    id: int
    created: str
    question: str
    answer: str
    citations: str
    rating: int
    comment: str
    index_version: str


COLUMNS = tuple(f.name for f in fields(FeedbackRow))


class FeedbackStore:
    """Ratings of answers in `data_dir/feedback.sqlite3`: what the user sent (rating, redacted comment), and expiry.

    >>> store = FeedbackStore(Path("data"), days=180)
    >>> store.add("What is P3?", "Mapping information is ...", ["P3"], rating=1)
    >>> store.export_csv(Path("feedback.csv"))
    1

    The question and answer texts are stored (as given: the redacted question) only with ``keep_text=True``
    (``ASSISTANT_LOG_QUESTIONS=redacted``); by default those columns are empty and the cited ids and index
    version say what was rated. Rows older than ``days`` are deleted when the store opens and once a day on ``add``.
    """

    def __init__(self, data_dir: Path, keep_text: bool = False, days: int = 180, purge: bool = True) -> None:
        if days < 1:
            raise AssistantError(f"Feedback must be kept at least 1 day, got ASSISTANT_FEEDBACK_DAYS={days}: fix it.")
        self.path = Path(data_dir) / DB_NAME
        self.keep_text = keep_text
        self.days = days
        self._purged: datetime | None = None
        if purge and self.path.exists():
            self.purge(self.cutoff())

    @classmethod
    def from_settings(cls, settings: Settings, purge: bool = True) -> FeedbackStore:
        """The store in the settings' data folder, with their text and expiry rules."""
        return cls(settings.data_dir, keep_text=settings.log_questions == "redacted", days=settings.feedback_days,
                   purge=purge)

    def cutoff(self) -> date:
        """The first day whose feedback is still kept."""
        return (datetime.now(timezone.utc) - timedelta(days=self.days)).date()

    def purge(self, before: date) -> int:
        """Delete feedback given before ``before`` (a UTC day); returns how many rows went."""
        self._purged = datetime.now(timezone.utc)
        if not self.path.exists():
            return 0
        start = datetime.combine(before, time(), tzinfo=timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as conn, conn:
            return conn.execute("DELETE FROM feedback WHERE created < ?", (start,)).rowcount

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise AssistantError(f"Cannot open the feedback database {self.path} ({exc}): "
                                 "check the data folder exists and is writable.") from exc
        return conn

    def add(self, question: str, answer: str, citations: Sequence[str], rating: int, comment: str = "",
            index_version: str = "") -> int:
        """Store one rating (+1 or -1) and return its id; personal details in the comment are redacted.

        `question` must already be the redacted question the assistant answered (`Turn.question`); it and the
        answer are kept only when the store keeps text.
        """
        if rating not in (1, -1):
            raise ValueError(f"rating must be 1 or -1, got {rating}")
        if self._purged is None or datetime.now(timezone.utc) - self._purged >= PURGE_EVERY:
            self.purge(self.cutoff())
        if not self.keep_text:
            question = answer = ""
        note = clean_question(comment, MAX_COMMENT_CHARS).text if comment.strip() else ""
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as conn, conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created, question, answer, citations, rating, comment, index_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (created, question, answer, ",".join(dict.fromkeys(citations)), rating, note, index_version))
            return int(cursor.lastrowid or 0)

    def rows(self) -> list[FeedbackRow]:
        """Every stored rating, oldest first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as conn:
            found = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [FeedbackRow(*row) for row in found]

    def export_csv(self, path: Path) -> int:
        """Write every rating to a CSV file with a header row; returns the number of rows.

        Text cells starting with = + - @ get a leading apostrophe so a spreadsheet shows them as text
        instead of running them as formulas (a comment is typed by anyone who opens the page).
        """
        rows = self.rows()
        try:
            with Path(path).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS)
                writer.writerows(_safe_cells(astuple(r)) for r in rows)
        except OSError as exc:
            raise AssistantError(f"Cannot write {path} ({exc.strerror}): choose a folder you can write to.") from exc
        return len(rows)


def _safe_cells(row: tuple[object, ...]) -> list[object]:
    return [f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in row]
