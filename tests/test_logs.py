"""The question log: one JSON line per question, rotated; no question text unless opted in, never the raw input."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from assistant.logs import LOG_DIR, LOG_NAME, QuestionLog
from assistant.service import Assistant

FIELDS = {"time", "personal_data", "latency_ms", "cited_ids", "refused", "confidence", "index_version", "notices"}
RAW = "My client Kayleigh Brandreth, born 12/03/2015, phone 07700 900123. What does mapping information involve?"


def lines_of(path: Path) -> list[dict]:
    """Every JSON line of one log file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def an_answer(question: str = "What is [NAME]'s plan?") -> Answer:
    citation = Citation(id="P3", title="Mapping information", heading="", passage="...", source_url="", chunk_id="P3#0")
    return Answer(text="Mapping information is ...", citations=[citation, citation], refused=False,
                  confidence="strong match", retrieved_ids=["P3", "A1"], personal_data=["name"],
                  notices=["Personal details were removed ..."], question=question, index_version="v1",
                  latency_ms=12.5)


@pytest.fixture
def question_log(tmp_path):
    log = QuestionLog(tmp_path, max_bytes=1_000_000)
    yield log
    log.close()


def test_record_writes_one_json_line_with_every_field_and_no_text(question_log):
    question_log.record(an_answer())
    [line] = lines_of(question_log.path)
    assert set(line) == FIELDS
    assert "[NAME]" not in question_log.path.read_text(encoding="utf-8")
    assert line["personal_data"] == ["name"]
    assert line["cited_ids"] == ["P3"] and line["refused"] is False and line["confidence"] == "strong match"
    assert (line["latency_ms"], line["index_version"], line["notices"]) == (12.5, "v1", 1)
    assert line["time"].endswith("+00:00")
    assert question_log.path == (question_log.path.parents[1] / LOG_DIR / LOG_NAME)


def test_redacted_text_is_kept_only_when_opted_in(tmp_path):
    log = QuestionLog(tmp_path, max_bytes=10_000, questions="redacted")
    log.record(an_answer())
    log.close()
    [line] = lines_of(log.path)
    assert set(line) == FIELDS | {"question"} and line["question"] == "What is [NAME]'s plan?"
    with pytest.raises(ValueError, match="questions"):
        QuestionLog(tmp_path, max_bytes=10_000, questions="raw")


def test_from_settings_follows_log_questions(settings, tmp_path):
    assert QuestionLog.from_settings(replace(settings, data_dir=tmp_path)).questions == "off"
    opted = QuestionLog.from_settings(replace(settings, data_dir=tmp_path, log_questions="redacted"))
    assert opted.questions == "redacted" and opted.path.parent.parent == tmp_path.absolute()


def test_log_rotates_at_max_bytes_and_keeps_only_the_backups(tmp_path):
    log = QuestionLog(tmp_path, max_bytes=800, backups=2, questions="redacted")
    try:
        for n in range(40):
            log.record(an_answer(f"Question number {n} about mapping information?"))
    finally:
        log.close()
    folder = tmp_path / LOG_DIR
    # The lock file is how several processes take turns; it stays empty.
    assert sorted(p.name for p in folder.iterdir()) == [LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2", f"{LOG_NAME}.lock"]
    kept = [line for name in (f"{LOG_NAME}.2", f"{LOG_NAME}.1", LOG_NAME) for line in lines_of(folder / name)]
    assert all(p.stat().st_size <= 800 for p in folder.iterdir())
    assert kept[-1]["question"] == "Question number 39 about mapping information?"
    numbers = [int(line["question"].split()[2]) for line in kept]
    assert numbers == list(range(numbers[0], 40)) and numbers[0] > 0, "the oldest lines rotated away, in order"


def test_threads_and_two_logs_on_one_path_never_interleave_lines(tmp_path):
    logs = [QuestionLog(tmp_path, max_bytes=10_000_000, questions="redacted"),
            QuestionLog(tmp_path, max_bytes=10_000_000, questions="redacted")]

    def write(log: QuestionLog, n: int) -> None:
        for i in range(100):
            log.record(an_answer(f"thread {n} line {i} " + "x" * 200))

    threads = [threading.Thread(target=write, args=(logs[n % 2], n)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    logs[0].close()
    assert len(lines_of(logs[0].path)) == 600


def test_failure_is_logged_by_type_without_the_question(tmp_path):
    log = QuestionLog(tmp_path, max_bytes=10_000)
    log.failure("ValueError", 3.2)
    log.close()
    [line] = lines_of(log.path)
    assert "question" not in line and line["error"] == "ValueError" and line["latency_ms"] == 3.2


def test_unwritable_log_folder_does_not_stop_the_answer(tmp_path):
    (tmp_path / LOG_DIR).write_text("a file where the log folder should be")
    QuestionLog(tmp_path, max_bytes=10_000).record(an_answer())  # no exception


def test_assistant_logs_no_question_text_by_default(assistant, settings, tmp_path):
    log = QuestionLog(tmp_path, max_bytes=100_000)
    own = Assistant(settings, embedder=assistant.embedder, store=assistant.store, log=log)
    answer, _ = own.answer(RAW)
    log.close()
    text = log.path.read_text(encoding="utf-8")
    assert "mapping" not in text.lower() and "[NAME]" not in text and "Kayleigh" not in text
    [line] = lines_of(log.path)
    assert line["personal_data"] == ["name", "phone", "date_of_birth"] and "P3" in line["cited_ids"]
    assert line["index_version"] == answer.index_version and line["latency_ms"] == answer.latency_ms > 0


def test_assistant_logs_the_redacted_question_never_the_raw_text(assistant, settings, tmp_path):
    log = QuestionLog(tmp_path, max_bytes=100_000, questions="redacted")
    own = Assistant(settings, embedder=assistant.embedder, store=assistant.store, log=log)
    answer, _ = own.answer(RAW)
    log.close()
    text = log.path.read_text(encoding="utf-8")
    for detail in ("Kayleigh", "Brandreth", "12/03/2015", "07700", "900123"):
        assert detail not in text
    [line] = lines_of(log.path)
    assert line["question"] == answer.question and "[NAME]" in line["question"]
    assert line["personal_data"] == ["name", "phone", "date_of_birth"]
    assert "P3" in line["cited_ids"] and line["refused"] is False and line["index_version"] == answer.index_version
    assert line["latency_ms"] == answer.latency_ms > 0


def test_default_log_is_in_the_data_folder(assistant, settings):
    assistant.answer("What are the four approaches?")
    last = lines_of(settings.data_dir / LOG_DIR / LOG_NAME)[-1]
    assert "question" not in last and last["cited_ids"][:5] == ["framework", "A1", "A2", "A3", "A4"]


def test_an_exception_while_answering_is_logged_without_the_question(assistant, settings, tmp_path):
    log = QuestionLog(tmp_path, max_bytes=10_000)
    # A real misconfiguration: the guard refuses a maximum length below 1 with a ValueError.
    broken = Assistant(replace(settings, max_question_chars=0), embedder=assistant.embedder, store=assistant.store,
                       log=log)
    with pytest.raises(ValueError):
        broken.answer(RAW)
    log.close()
    [line] = lines_of(log.path)
    assert line["error"] == "ValueError" and "question" not in line
    assert "Kayleigh" not in log.path.read_text(encoding="utf-8")


_WRITER = """
import sys
from pathlib import Path
from assistant.logs import QuestionLog
log = QuestionLog(Path(sys.argv[1]), max_bytes=600, backups=2000)
for i in range(int(sys.argv[2])):
    log.failure(f"Writer{sys.argv[3]}Error{i}", latency_ms=1.0)
"""


def test_several_processes_on_one_log_rotate_without_errors_or_lost_lines(tmp_path):
    # A chat server and a trainer's `assistant eval` on the same data folder are two processes on one file.
    import subprocess
    import sys

    runs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), "300", str(n)],
                             stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
            for n in range(8)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert not any("Logging error" in e or "Traceback" in e for e in errors), errors
    lines = [line for f in (tmp_path / LOG_DIR).glob(LOG_NAME + "*") if not f.name.endswith(".lock")
             for line in f.read_text(encoding="utf-8").splitlines()]
    got = sorted(json.loads(line)["error"] for line in lines)  # every line whole JSON
    assert got == sorted(f"Writer{n}Error{i}" for n in range(8) for i in range(300))
