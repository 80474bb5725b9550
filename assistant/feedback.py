"""Thumbs up or down on an answer, kept in SQLite (or the shared database) for trainers to export as CSV, deleted when old."""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from sqlalchemy import delete, insert, select

from .db import Database, feedback
from .errors import AssistantError
from .guard import clean_question

if TYPE_CHECKING:
    from .config import Settings

DB_NAME = "feedback.sqlite3"
MAX_COMMENT_CHARS = 2000
PURGE_EVERY = timedelta(days=1)


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

    def __init__(self, data_dir: Path, keep_text: bool = False, days: int = 180, purge: bool = True,
                 database_url: str | None = None) -> None:
        if days < 1:
            raise AssistantError(f"Feedback must be kept at least 1 day, got ASSISTANT_FEEDBACK_DAYS={days}: fix it.")
        self.path = Path(data_dir) / DB_NAME
        # Replicas share one table in the database; one machine keeps its own SQLite file.
        self.shared = Database.open(database_url) if database_url else None
        self._db: Database | None = self.shared
        self.keep_text = keep_text
        self.days = days
        self._purged: datetime | None = None
        if purge and self._exists():
            self.purge(self.cutoff())

    @classmethod
    def from_settings(cls, settings: Settings, purge: bool = True) -> FeedbackStore:
        """The store in the settings' data folder, with their text and expiry rules."""
        return cls(settings.data_dir, keep_text=settings.log_questions == "redacted", days=settings.feedback_days,
                   purge=purge, database_url=settings.database_url)

    def cutoff(self) -> date:
        """The first day whose feedback is still kept."""
        return (datetime.now(timezone.utc) - timedelta(days=self.days)).date()

    def purge(self, before: date) -> int:
        """Delete feedback given before ``before`` (a UTC day); returns how many rows went."""
        self._purged = datetime.now(timezone.utc)
        if not self._exists():
            return 0
        start = datetime.combine(before, time(), tzinfo=timezone.utc).isoformat(timespec="seconds")
        with self._database().begin() as conn:
            return conn.execute(delete(feedback).where(feedback.c.created < start)).rowcount

    def _exists(self) -> bool:
        return self.shared is not None or self.path.exists()

    def _database(self) -> Database:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = Database(f"sqlite:///{self.path}")
                with db.begin() as conn:
                    feedback.create(conn, checkfirst=True)
            except (OSError, AssistantError) as exc:
                raise AssistantError(f"Cannot open the feedback database {self.path} ({exc}): "
                                     "check the data folder exists and is writable.") from exc
            self._db = db
        return self._db

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
        row = {"created": created, "question": question, "answer": answer, "rating": rating, "comment": note,
               "citations": ",".join(dict.fromkeys(citations)), "index_version": index_version}
        with self._database().begin() as conn:
            return int(conn.execute(insert(feedback).values(**row).returning(feedback.c.id)).scalar_one())

    def rows(self) -> list[FeedbackRow]:
        """Every stored rating, oldest first."""
        if not self._exists():
            return []
        with self._database().begin() as conn:
            found = conn.execute(select(*(feedback.c[name] for name in COLUMNS)).order_by(feedback.c.id)).all()
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
