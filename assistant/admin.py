"""The admin tab: upload documents, see the corpus, reindex with progress, check the live version, run the smoke eval.

Shown only when `Settings.admin_password` is set; every action checks the password again, so the
endpoints refuse API callers who never saw the sign-in box.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import shutil
import threading
import time
import traceback
from dataclasses import astuple
from pathlib import Path
from typing import Any, Iterator

import gradio as gr

from .config import Settings
from .errors import AssistantError, EvalFileError
from .evals import EvalRun, load_cases, run_eval
from .formats import SUPPORTED_SUFFIXES
from .index import IndexReport
from .indexing import corpus_listing, reindex
from .report import load_baseline, to_json
from .service import Assistant

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_FOLDER = "uploads"
SMOKE_CASES = Path(__file__).resolve().parent.parent / "evals" / "smoke.yaml"
SMOKE_RESULT = "smoke-last.json"  # in the data folder: the previous smoke result to compare with
WRONG_PASSWORD = "**Wrong password.** Nothing was done."
WRONG_PASSWORD_PAUSE = 1.0  # seconds; slows down guessing
CORPUS_HEADERS = ["id", "title", "file", "last change", "status"]


def password_ok(given: str | None, settings: Settings) -> bool:
    """True when the admin password is set and `given` matches it (constant-time comparison)."""
    if not settings.admin_password or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), settings.admin_password.encode("utf-8"))


def safe_name(name: str) -> str:
    """A file name that stays inside the uploads folder: no folders, no leading dots, plain characters."""
    base = re.split(r"[\\/]", name)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_")[:100] or "document"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def save_upload(source: Path, name: str, settings: Settings, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Copy an uploaded file into the corpus's uploads folder; refuses other formats and big files."""
    target_name = safe_name(name)
    suffix = Path(target_name).suffix
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise AssistantError(f"{name}: the assistant cannot read '{suffix or 'no suffix'}' files; "
                             f"upload one of {allowed}.")
    size = source.stat().st_size
    if size > max_bytes:
        raise AssistantError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit; "
                             f"split the document or remove images.")
    folder = settings.corpus_dir / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / target_name
    # Copy under a hidden name, then rename: a reindex never reads half a file.
    partial = folder / f".{target_name}.{os.getpid()}.part"
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return target


def run_smoke(assistant: Assistant, settings: Settings, cases_file: Path = SMOKE_CASES) -> tuple[EvalRun, str]:
    """Run the smoke eval, compare with the previous result in the data folder, save this one."""
    cases = load_cases([cases_file])
    saved = settings.data_dir / SMOKE_RESULT
    passed_before: set[str] | None = None
    note = ""
    if saved.exists():
        try:
            passed_before = load_baseline(saved)
        except EvalFileError as exc:
            note = f"The previous result could not be read ({exc}); this run replaces it."
    run = run_eval(assistant, cases, settings.k)
    if passed_before is not None:
        run.mark_regressions(passed_before)
    partial = saved.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(to_json(run), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, saved)
    return run, note


def smoke_markdown(run: EvalRun, note: str = "") -> str:
    """The smoke result for the page: pass rate, then any case that passed before and fails now."""
    passed = sum(r.passed for r in run.results)
    lines = [f"**Smoke eval: {passed} of {len(run.results)} cases passed ({(run.summary.pass_rate or 0):.0%})** "
             f"on index version `{run.index_version}`."]
    if note:
        lines.append(note)
    if run.regressions is None:
        lines.append("No earlier smoke result to compare with; the next run compares with this one.")
    elif not run.regressions:
        lines.append("No case that passed in the previous run fails now.")
    else:
        lines.append(f"**Passed before, fail now ({len(run.regressions)}):**")
        lines += [f"- {_code(r.case.id)}: {_md(r.case.question)} — {_md('; '.join(r.failures))}"
                  for r in run.regressions]
    newly = {r.case.id for r in run.regressions or []}
    others = [r.case.id for r in run.failed if r.case.id not in newly]
    if others:
        lines.append("Also failing: " + ", ".join(_code(i) for i in others))
    return "\n\n".join(lines)


def status_markdown(assistant: Assistant) -> str:
    """The live and previous index versions, as `assistant status` shows them."""
    try:
        manifest = assistant.store.manifest()
    except AssistantError as exc:
        return f"**Index:** {_md(str(exc))}"
    live = manifest.get("live")
    if not live:
        return "**No index yet.** Press Reindex to build one."
    v = manifest["versions"][live]
    previous = manifest.get("previous")
    return (f"**Live version:** `{live}`  \nbuilt {v['created']} with {_md(v['model'])}  \n"
            f"{v['documents']} documents, {v['chunks']} chunks, {v['sentences']} sentences; corpus hash "
            f"`{v['corpus_hash']}`  \n**Previous version** (for `assistant index --rollback`): "
            f"{f'`{previous}`' if previous else 'none'}")


def corpus_rows(settings: Settings, assistant: Assistant) -> list[list[str]]:
    """The corpus list as table rows."""
    return [list(astuple(entry)) for entry in corpus_listing(settings, assistant.store)]


def report_markdown(report: IndexReport) -> str:
    """A finished reindex for the page."""
    lines = [f"**Done.** {_md(report.summary())}"]
    for what, ids in (("Added", report.added), ("Changed", report.changed), ("Removed", report.removed)):
        if ids:
            lines.append(f"{what}: " + ", ".join(_code(i) for i in ids))
    lines += [_md(line) for line in report.scope.lines()]
    if report.problems:
        lines.append(f"**{len(report.problems)} file(s) could not be read and were left out:**")
        lines += [f"- {_md(p)}" for p in report.problems]
    return "\n\n".join(lines)


def progress_markdown(message: str, fraction: float) -> str:
    """A text progress bar."""
    filled = round(max(0.0, min(fraction, 1.0)) * 20)
    return f"`{'█' * filled}{'░' * (20 - filled)}` {fraction:.0%} — {_md(message)}"


def _md(text: str) -> str:
    # Corpus file names and messages are shown as text, never as markup.
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


class ReindexJob:
    """One reindex running in a background thread; the page polls its progress."""

    def __init__(self, assistant: Assistant, settings: Settings, full: bool = False) -> None:
        self.message = "Starting"
        self.fraction = 0.0
        self.report: IndexReport | None = None
        self.error: str | None = None
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(assistant, settings, full), name="admin-reindex",
                                        daemon=True)

    def start(self) -> "ReindexJob":
        """Start the reindex; returns the job."""
        self._thread.start()
        return self

    def _progress(self, message: str, fraction: float) -> None:
        self.message, self.fraction = message, fraction

    def _run(self, assistant: Assistant, settings: Settings, full: bool) -> None:
        try:
            self.report = reindex(settings, full=full, on_progress=self._progress, embedder=assistant.embedder)
        except AssistantError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported on the page; the live version is untouched
            log.error("Reindex failed with %s:\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            self.error = (f"The reindex failed unexpectedly ({type(exc).__name__}); the live version is unchanged. "
                          f"Details are in the server log.")
        finally:
            self.done.set()


class AdminHandlers:
    """The admin tab's event handlers; each checks the password it is given."""

    def __init__(self, assistant: Assistant, settings: Settings, smoke_cases: Path = SMOKE_CASES) -> None:
        self.assistant = assistant
        self.settings = settings
        self.smoke_cases = smoke_cases
        self.job: ReindexJob | None = None
        self._job_lock = threading.Lock()

    def _refuse(self, password: str | None) -> bool:
        if password_ok(password, self.settings):
            return False
        time.sleep(WRONG_PASSWORD_PAUSE)
        return True

    def login(self, password: str | None) -> tuple[Any, ...]:
        """Open the admin panel for the right password."""
        if self._refuse(password):
            return WRONG_PASSWORD, gr.update(visible=False), gr.update(), gr.update()
        return ("Signed in.", gr.update(visible=True), status_markdown(self.assistant),
                corpus_rows(self.settings, self.assistant))

    def refresh(self, password: str | None) -> tuple[Any, ...]:
        """The live version and the corpus list, read again."""
        if self._refuse(password):
            return WRONG_PASSWORD, gr.update()
        return status_markdown(self.assistant), corpus_rows(self.settings, self.assistant)

    def upload(self, password: str | None, files: list[str] | None) -> tuple[Any, ...]:
        """Save uploaded files into the corpus; each is reported saved or refused."""
        if self._refuse(password):
            return WRONG_PASSWORD, gr.update()
        if not files:
            return "Choose one or more files first.", gr.update()
        lines = []
        for file in files:
            path = Path(file)
            try:
                saved = save_upload(path, path.name, self.settings)
            except AssistantError as exc:
                lines.append(f"- Refused: {_md(str(exc))}")
                continue
            lines.append(f"- Saved {_code(saved.relative_to(self.settings.corpus_dir).as_posix())}")
        lines.append("Press **Reindex** to add the saved files to the index.")
        return "\n".join(lines), corpus_rows(self.settings, self.assistant)

    def reindex(self, password: str | None, full: bool, then_smoke: bool) -> Iterator[tuple[Any, ...]]:
        """Start a reindex (or watch the one running) and show its progress, then optionally the smoke eval."""
        if self._refuse(password):
            yield WRONG_PASSWORD, gr.update(), gr.update(), gr.update()
            return
        with self._job_lock:
            if self.job is None or self.job.done.is_set():
                self.job = ReindexJob(self.assistant, self.settings, full=bool(full)).start()
            job = self.job
        yield progress_markdown(job.message, job.fraction), gr.update(), gr.update(), gr.update()
        while not job.done.wait(0.5):
            yield progress_markdown(job.message, job.fraction), gr.update(), gr.update(), gr.update()
        if job.error is not None or job.report is None:
            yield (f"**The reindex did not run.** {_md(job.error or 'No report.')} The live version is unchanged.",
                   status_markdown(self.assistant), corpus_rows(self.settings, self.assistant), gr.update())
            return
        done = report_markdown(job.report)
        status, rows = status_markdown(self.assistant), corpus_rows(self.settings, self.assistant)
        if not then_smoke:
            yield done, status, rows, gr.update()
            return
        yield done, status, rows, "_Running the smoke eval…_"
        yield done, status, rows, self._smoke_text()

    def smoke(self, password: str | None) -> str:
        """Run the smoke eval on the live version."""
        if self._refuse(password):
            return WRONG_PASSWORD
        return self._smoke_text()

    def _smoke_text(self) -> str:
        try:
            run, note = run_smoke(self.assistant, self.settings, self.smoke_cases)
        except AssistantError as exc:
            return f"**The smoke eval could not run.** {_md(str(exc))}"
        return smoke_markdown(run, note)


def add_admin_tab(assistant: Assistant, settings: Settings) -> None:
    """Add the Admin tab; call inside the page's `gr.Tabs()` block, and only when a password is set."""
    h = AdminHandlers(assistant, settings)
    with gr.Tab("Admin", id="admin", elem_id="admin-tab"):
        gr.Markdown("### Admin: update the Framework content")
        with gr.Row():
            password = gr.Textbox(label="Admin password", type="password", elem_id="admin-password", scale=3)
            sign_in = gr.Button("Sign in", elem_id="admin-sign-in", scale=1, min_width=100)
        login_status = gr.Markdown(elem_id="admin-login-status")
        with gr.Column(visible=False, elem_id="admin-panel") as panel:
            gr.Markdown("#### Live index version")
            status = gr.Markdown(elem_id="admin-status")
            gr.Markdown("#### Add documents\nMarkdown with front matter, PDF, DOCX, HTML or plain text, "
                        f"up to {MAX_UPLOAD_BYTES // 2**20} MB each; they are saved in "
                        f"`{UPLOAD_FOLDER}/` in the corpus folder.")
            files = gr.File(label="Documents", file_count="multiple", type="filepath",
                            file_types=sorted(SUPPORTED_SUFFIXES), height=140, elem_id="admin-files")
            upload = gr.Button("Add to the corpus", elem_id="admin-upload")
            upload_status = gr.Markdown(elem_id="admin-upload-status")
            gr.Markdown("#### Reindex")
            with gr.Row():
                full = gr.Checkbox(label="Rebuild everything (--full)", value=False, elem_id="admin-full")
                then_smoke = gr.Checkbox(label="Run the smoke eval afterwards", value=True, elem_id="admin-then-smoke")
            with gr.Row():
                reindex_button = gr.Button("Reindex", variant="primary", elem_id="admin-reindex")
                smoke_button = gr.Button("Run the smoke eval", elem_id="admin-smoke")
            progress = gr.Markdown(elem_id="admin-progress")
            smoke = gr.Markdown(elem_id="admin-smoke-result")
            gr.Markdown("#### Corpus")
            refresh = gr.Button("Refresh", size="sm", elem_id="admin-refresh")
            corpus = gr.Dataframe(headers=CORPUS_HEADERS, interactive=False, wrap=True, elem_id="admin-corpus",
                                  column_widths=["14%", "24%", "24%", "12%", "26%"])

    sign_in.click(h.login, password, [login_status, panel, status, corpus], api_name="admin_login")
    password.submit(h.login, password, [login_status, panel, status, corpus], api_visibility="private")
    refresh.click(h.refresh, password, [status, corpus], api_name="admin_refresh")
    upload.click(h.upload, [password, files], [upload_status, corpus], api_name="admin_upload")
    reindex_button.click(h.reindex, [password, full, then_smoke], [progress, status, corpus, smoke],
                         api_name="admin_reindex")
    smoke_button.click(h.smoke, password, smoke, api_name="admin_smoke")
