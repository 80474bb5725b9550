"""Settings from the environment, tried as a user would: the real `assistant` command in a process of its own.

The quick checks run the installed script itself; the nine commands of a whole session below, and `serve`, each run
in a process of its own forked from one that imported the libraries once (tests/services.py), which runs the
script's `main` the same way, with only the given environment and working folder."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, get_args, get_origin, get_type_hints

import pytest

from assistant.config import SECRETS, Settings

from .conftest import CORPUS, ROOT
from .services import CommandServer

ASSISTANT = str(Path(sys.executable).with_name("assistant"))
DOCS = ("practices/P3-mapping-information.md", "practices/P4-mapping-systems.md", "approaches/A1-integrating-voice.md")
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
           "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}


def run(env: dict[str, str], *args: str, cwd: Path, stdin: str | None = None,
        server: CommandServer | None = None) -> subprocess.CompletedProcess[str]:
    """Run `assistant ARGS` with only ``env`` and the offline switches set, from ``cwd``: the installed script,
    or with ``server`` a process of its own forked by the command server, running the same `main` the same way."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    if server is not None:
        return server.run(list(args), {**clean, **OFFLINE, **env}, cwd=cwd, input=stdin or "", timeout=300)
    return subprocess.run([ASSISTANT, *args], env={**clean, **OFFLINE, **env}, cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=300)


def example_value(kind: object) -> tuple[str, object]:
    """A value to set for a field of this declared type, and what `settings --json` should show for it."""
    if get_origin(kind) is Literal:
        choice = get_args(kind)[-1]
        return choice.upper(), choice
    if get_origin(kind) is not None:  # X | None
        kind = next(a for a in get_args(kind) if a is not type(None))
    return {Path: ("~/elsewhere", str(Path("~/elsewhere").expanduser())), int: ("1_234", 1234), float: ("2.5", 2.5),
            bool: ("yes", True)}.get(kind, ("http://127.0.0.1:9", "http://127.0.0.1:9"))  # type: ignore[arg-type]


def test_every_setting_is_read_from_its_variable_with_its_declared_type(tmp_path):
    hints = get_type_hints(Settings)
    env, expected = {}, {}
    for f in fields(Settings):
        raw, shown = example_value(hints[f.name])
        env[f"ASSISTANT_{f.name.upper()}"] = raw
        expected[f.name] = "(set)" if f.name in SECRETS else shown
    result = run(env, "settings", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
    assert "http://127.0.0.1:9" not in result.stdout.split('"database_url"')[1].split(",")[0], "secrets stay hidden"


@pytest.mark.parametrize(("name", "raw"), [("K", "five"), ("LLM_TIMEOUT", "soon"), ("LOG_QUESTIONS", "raw"),
                                          ("FEEDBACK_DAYS", "1.5")])
def test_a_bad_value_is_one_line_naming_the_variable(tmp_path, name, raw):
    result = run({f"ASSISTANT_{name}": raw}, "status", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: Setting ASSISTANT_{name}=")


def test_an_unexpected_error_is_one_line_and_the_traceback_needs_debug(tmp_path):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be")
    env = {"ASSISTANT_DATA_DIR": str(not_a_folder), "ASSISTANT_CORPUS_DIR": str(tmp_path)}
    plain = run(env, "status", cwd=tmp_path)
    assert plain.returncode == 1 and plain.stderr.count("\n") == 1
    assert plain.stderr.startswith("error: unexpected ") and "--debug" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = run(env, "--debug", "status", cwd=tmp_path)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


def test_help_documents_the_global_folder_options(tmp_path):
    result = run({}, "--help", cwd=tmp_path)
    for option in ("--data-dir", "--corpus-dir", "ASSISTANT_DATA_DIR", "ASSISTANT_CORPUS_DIR", "--debug", "settings"):
        assert option in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A small corpus and an empty data folder elsewhere, named only by ASSISTANT_CORPUS_DIR and ASSISTANT_DATA_DIR;
    the commands run from a third folder, so no relative default could be what works."""
    root = tmp_path_factory.mktemp("srv")
    for doc in DOCS:
        (root / "corpus" / doc).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / doc, root / "corpus" / doc)
    (root / "cwd").mkdir()
    return root, {"ASSISTANT_DATA_DIR": str(root / "data"), "ASSISTANT_CORPUS_DIR": str(root / "corpus")}


def test_every_command_works_with_the_folders_from_the_environment(folders, commands):
    root, env = folders
    cwd = root / "cwd"
    index = run(env, "index", "--quiet", cwd=cwd, server=commands)
    assert index.returncode == 0, index.stderr
    assert "3 documents" in index.stdout or "added: A1, P3, P4" in index.stdout
    assert (root / "data" / "manifest.json").exists()

    status = run(env, "status", cwd=cwd, server=commands)
    assert status.returncode == 0 and "3 documents" in status.stdout, status.stderr

    (root / "corpus" / DOCS[0]).write_text((CORPUS / DOCS[0]).read_text(encoding="utf-8") + "\nA new line.\n",
                                           encoding="utf-8")
    assert run(env, "index", "--quiet", cwd=cwd, server=commands).returncode == 0
    rollback = run(env, "index", "--rollback", cwd=cwd, server=commands)
    assert rollback.returncode == 0 and "Rolled back" in rollback.stdout, rollback.stderr

    k_and_cut = {**env, "ASSISTANT_K": "1", "ASSISTANT_MAX_QUESTION_CHARS": "60", "ASSISTANT_LOG_QUESTIONS": "redacted"}
    ask = run(k_and_cut, "ask", "--json", "What does mapping information involve? " * 3, cwd=cwd, server=commands)
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert len(answer["retrieved_ids"]) == 1, "ASSISTANT_K"
    assert any("first 60 characters" in n for n in answer["notices"]), "ASSISTANT_MAX_QUESTION_CHARS"
    logged = (root / "data" / "logs" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(logged[-1])["question"] == answer["question"], "ASSISTANT_LOG_QUESTIONS=redacted"

    chat = run(env, "chat", cwd=cwd, stdin="What does mapping systems involve?\nquit\n", server=commands)
    assert chat.returncode == 0 and "[P4 Mapping systems]" in chat.stdout, chat.stderr
    assert "question" not in json.loads((root / "data" / "logs" / "questions.jsonl").read_text(
        encoding="utf-8").splitlines()[-1]), "by default the log keeps no question text"

    cases = root / "cases.yaml"
    cases.write_text("- id: p4\n  question: What does mapping systems involve?\n  expect: {cite_any: [P4]}\n",
                     encoding="utf-8")
    evaluated = run(env, "eval", str(cases), "--quiet", "--json", str(root / "eval.json"), cwd=cwd, server=commands)
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads((root / "eval.json").read_text(encoding="utf-8"))["summary"]["pass_rate"] == 1.0

    export = run(env, "feedback", "export", "--csv", str(root / "feedback.csv"), cwd=cwd, server=commands)
    assert export.returncode == 0 and "Wrote 0 feedback rows" in export.stdout, export.stderr
    purge = run({**env, "ASSISTANT_FEEDBACK_DAYS": "30"}, "feedback", "purge", cwd=cwd, server=commands)
    cutoff = (date.today() - timedelta(days=30)).isoformat()
    assert purge.returncode == 0 and cutoff in purge.stdout, "ASSISTANT_FEEDBACK_DAYS sets the default cut-off"


def test_serve_uses_the_folders_host_and_port_from_the_environment(folders, commands):
    root, env = folders
    if not (root / "data" / "manifest.json").exists():
        assert run(env, "index", "--quiet", cwd=root / "cwd", server=commands).returncode == 0
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    # `assistant serve`, a process of its own forked by the command server, as the nine commands above.
    server = commands.popen(["serve"], {**clean, **OFFLINE, **env, "ASSISTANT_HOST": "127.0.0.1",
                                        "ASSISTANT_PORT": str(port)}, cwd=root / "cwd", stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        lines = []
        while time.monotonic() < deadline:
            line = server.stdout.readline() if server.stdout else ""
            if not line and server.poll() is not None:
                break
            lines.append(line)
            if "Chat page ready" in line:
                break
        assert f"127.0.0.1:{port}" in "".join(lines), "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200
    finally:
        server.terminate()
        server.communicate(timeout=30)
