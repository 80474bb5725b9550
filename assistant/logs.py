"""A rotating JSON-lines log of every question answered: what happened, not what was asked (unless opted in)."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .db import QuestionTable

try:
    import fcntl
except ImportError:  # not POSIX: one process per log file
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .answer import Answer
    from .config import Settings

LOG_DIR = "logs"
LOG_NAME = "questions.jsonl"
_warn = logging.getLogger(__name__)
_loggers: dict[Path, logging.Logger] = {}
_registry_lock = threading.Lock()


class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that several processes can write (a chat server and a trainer's `assistant eval` on one data
    folder): each write holds an exclusive lock on `<log>.lock` across the size check, the rotation and the write,
    and first reopens the log if another process has rotated it away. Without this, two processes rotate the same
    file at once ("FileNotFoundError: questions.jsonl.2") and lines land in a file already rotated."""

    def __init__(self, filename: Path, **kwargs: Any) -> None:
        super().__init__(filename, delay=True, **kwargs)
        self.lock_path = self.baseFilename + ".lock"

    def emit(self, record: logging.LogRecord) -> None:
        if fcntl is None:
            super().emit(record)
            return
        try:
            with open(self.lock_path, "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the lock file closes
                self._reopen_if_rotated()
                super().emit(record)
        except OSError:
            self.handleError(record)

    def _reopen_if_rotated(self) -> None:
        if self.stream is None:
            return
        try:
            same = os.fstat(self.stream.fileno()).st_ino == os.stat(self.baseFilename).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]  # the next write opens the current file


class QuestionLog:
    """One line per question in `data_dir/logs/questions.jsonl`, rotated at `max_bytes` with `backups` old files.

    >>> log = QuestionLog(Path("data"), max_bytes=1_000_000)
    >>> log.record(answer)  # time, index version, latency, cited ids, refused, kinds removed: no text
    >>> log.failure("ValueError", latency_ms=12.5)

    The question's text is kept only with ``questions="redacted"`` (``ASSISTANT_LOG_QUESTIONS``), and then only
    as the guard left it: whatever the guard missed would be on disk, so the default keeps none of it.

    Every QuestionLog on the same path shares one logger and file handler, so threads and several
    assistants never interleave half lines or rotate under each other; the first one's limits apply. Several
    processes on one file take turns through a lock file (`SharedRotatingFileHandler`).
    Writing never raises: a log that cannot be written must not stop an answer.
    """

    def __init__(self, data_dir: Path, max_bytes: int, backups: int = 3, questions: str = "off",
                 database_url: str | None = None) -> None:
        if questions not in ("off", "redacted"):
            raise ValueError(f"questions must be 'off' or 'redacted', got {questions!r}")
        self.path = (Path(data_dir) / LOG_DIR / LOG_NAME).absolute()
        self.max_bytes = max_bytes
        self.backups = backups
        self.questions = questions
        # With a shared database the records of every replica go to one table instead of this machine's file.
        self.table = QuestionTable.open(database_url) if database_url else None

    @classmethod
    def from_settings(cls, settings: Settings) -> QuestionLog:
        """The log in the settings' data folder, keeping question text only if `log_questions` says so."""
        return cls(settings.data_dir, settings.log_max_bytes, questions=settings.log_questions,
                   database_url=settings.database_url)

    def record(self, answer: Answer) -> None:
        """Log one answered question from its Answer; its (redacted) text only when opted in."""
        fields: dict[str, Any] = {
            "index_version": answer.index_version, "latency_ms": answer.latency_ms, "cited_ids": answer.cited_ids,
            "refused": answer.refused, "personal_data": list(answer.personal_data), "confidence": answer.confidence,
            "notices": len(answer.notices),
        }
        if self.questions == "redacted":
            fields["question"] = answer.question
        self._write(fields)

    def failure(self, error: str, latency_ms: float) -> None:
        """Log a question that failed, by the error's type name only: its message could quote the question."""
        self._write({"error": error, "latency_ms": latency_ms})

    def close(self) -> None:
        """Close this path's file; a later write reopens it."""
        with _registry_lock:
            logger = _loggers.pop(self.path, None)
        if logger is not None:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                handler.close()

    def _write(self, fields: dict[str, Any]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        line = json.dumps({"time": now, **fields}, ensure_ascii=False)
        if self.table is not None:
            self.table.put(now, line)
            return
        logger = self._logger()
        if logger is not None:
            logger.info(line)

    def _logger(self) -> logging.Logger | None:
        with _registry_lock:
            logger = _loggers.get(self.path)
            if logger is None:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    handler = SharedRotatingFileHandler(
                        self.path, maxBytes=self.max_bytes, backupCount=self.backups, encoding="utf-8",
                        errors="backslashreplace")
                except OSError as exc:
                    _warn.warning("Cannot write the question log %s (%s): questions are not logged.",
                                  self.path, exc.strerror)
                    return None
                handler.setFormatter(logging.Formatter("%(message)s"))
                # A logger outside logging's registry: nothing reaches the root logger or its handlers.
                logger = logging.Logger(f"assistant.questions:{self.path}", logging.INFO)
                logger.propagate = False
                logger.addHandler(handler)
                _loggers[self.path] = logger
            return logger
