"""The `assistant` command: index, ask, chat, status, serve, eval, feedback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from .config import Settings
from .errors import AssistantError

EXAMPLES = """examples:
  assistant index                       build or update the index from corpus/
  assistant ask "What does mapping systems involve?"
  assistant ask --json "What are the four approaches?"
  assistant chat                        a conversation in the terminal
  assistant serve --port 7860           the chat page, and the OpenAI-compatible API at /v1
  assistant eval evals/framework.yaml --report report.html
  assistant eval --llm openai           the same cases answered by a language model (see docs/llm.md)
"""


def _offline_environment() -> None:
    # Set before any library that might phone home is imported.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


LLM_HELP = ("answer with a language model: none (default, no model), openai (any OpenAI-compatible server) or "
            "ollama; env ASSISTANT_LLM, with ASSISTANT_LLM_BASE_URL, ASSISTANT_LLM_MODEL, ASSISTANT_LLM_API_KEY")
LLM_CHOICES = ("none", "openai", "ollama")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="assistant", description="Answers questions about the CIP Framework for ethical and effective "
        "information use, citing the Approach, Practice or System Enabler each answer rests on.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="data folder (index, logs, feedback); env ASSISTANT_DATA_DIR, default data/")
    parser.add_argument("--corpus-dir", type=Path, help="corpus folder; env ASSISTANT_CORPUS_DIR, default corpus/")
    parser.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000; env ASSISTANT_CHROMA_URL")
    parser.add_argument("--debug", action="store_true", help="print the full traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("index", help="build or update the index from the corpus folder")
    p.add_argument("--full", action="store_true", help="re-embed everything instead of only what changed")
    p.add_argument("--if-missing", action="store_true", help="do nothing when an index already exists")
    p.add_argument("--rollback", action="store_true", help="make the previous index version live again")
    p.add_argument("--prune", action="store_true",
                   help="delete every index version but the live and previous now, even one a replica served lately")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another reindex to finish instead of refusing at once")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("ask", help="ask one question and print the answer")
    p.add_argument("question", help="the question, in quotes; only its first 2000 characters are used "
                   "(env ASSISTANT_MAX_QUESTION_CHARS) and personal details are removed before use")
    p.add_argument("--history", action="append", default=[], metavar="QUESTION",
                   help="an earlier question of the same conversation (repeat, oldest first)")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    p.add_argument("--k", type=int, help="passages to retrieve (default 5)")
    p.add_argument("--llm", choices=LLM_CHOICES, help=LLM_HELP)

    p = sub.add_parser("chat", help="a conversation in the terminal (Ctrl-D or 'quit' to leave)")
    p.add_argument("--llm", choices=LLM_CHOICES, help=LLM_HELP)
    sub.add_parser("status", help="show the live index version")
    p = sub.add_parser("settings", help="show every setting in effect (from ASSISTANT_* variables and options)")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p = sub.add_parser("db", help="the shared database named by ASSISTANT_DATABASE_URL")
    p.add_argument("db_command", choices=["upgrade"], help="upgrade: create or migrate the schema")

    p = sub.add_parser("serve", help="start the chat page, with an OpenAI-compatible API at /v1 on the same port")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--llm", choices=LLM_CHOICES, help=LLM_HELP)

    p = sub.add_parser("eval", help="run evaluation cases and report scores")
    p.add_argument("files", nargs="*", type=Path, help="evaluation YAML files (default evals/framework.yaml)")
    p.add_argument("--k", type=int, default=5, help="retrieval depth for hit rate and MRR (default 5)")
    p.add_argument("--json", dest="json_out", type=Path, metavar="FILE", help="write every result as JSON")
    p.add_argument("--report", type=Path, metavar="FILE", help="write a self-contained HTML report")
    p.add_argument("--fail-under", type=float, metavar="SCORE", help="exit 1 when the pass rate is below this (0-1)")
    p.add_argument("--compare", action="store_true", help="also run dense-only and BM25-only baselines")
    p.add_argument("--baseline", type=Path, metavar="JSON", help="an earlier --json output: mark new failures")
    p.add_argument("--llm", choices=LLM_CHOICES, help=LLM_HELP + "; compare backends on the same cases")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("feedback", help="trainers' access to the feedback users gave")
    fsub = p.add_subparsers(dest="feedback_command", metavar="ACTION", required=True)
    e = fsub.add_parser("export", help="write all feedback as CSV")
    e.add_argument("--csv", type=Path, required=True, metavar="FILE", help="where to write the CSV")
    e = fsub.add_parser("purge", help="delete old feedback (the server also does this on start and daily)")
    e.add_argument("--before", type=_date, metavar="DATE", help="delete feedback given before this date "
                   "(YYYY-MM-DD); default: older than ASSISTANT_FEEDBACK_DAYS days (180)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a sub-command and turn our errors into one line and a non-zero exit."""
    _offline_environment()
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(data_dir=args.data_dir, corpus_dir=args.corpus_dir, chroma_url=args.chroma_url,
                                     llm=getattr(args, "llm", None))
        handler: Callable[[argparse.Namespace, Settings], int] = COMMANDS[args.command]
        return handler(args, settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if exc.__class__.__name__ == "IndexBusyError" else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # anything else: one line for the person at the screen, the traceback on request
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1


def _date(text: str) -> date:
    """A YYYY-MM-DD date for argparse."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from .indexing import reindex, rollback

    if args.prune:
        from .index import IndexStore

        deleted = IndexStore(settings).prune()
        print(f"Deleted {len(deleted)} old index version(s){': ' + ', '.join(deleted) if deleted else ''}.")
        return 0
    if args.rollback:
        version = rollback(settings)
        print(f"Rolled back: live version is now {version.name} ({version.documents} documents, {version.chunks} chunks).")
        return 0
    report = reindex(settings, full=args.full, if_missing=args.if_missing, progress=not args.quiet,
                     wait_seconds=args.wait)
    if report is None:
        print("An index already exists; nothing to do (use `assistant index` to update it).")
        return 0
    print(report.summary())
    for what, ids in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if ids:
            print(f"  {what}: {', '.join(ids)}")
    for line in report.scope.lines():
        print(line)
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    if report.problems:
        print(f"{len(report.problems)} file(s) could not be read and were left out; fix them and reindex.",
              file=sys.stderr)
    return 1 if report.problems else 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from .logs import QuestionLog
    from .service import Assistant

    if args.k:
        settings = replace(settings, k=args.k)
    answer = Assistant(settings, log=QuestionLog.from_settings(settings)).ask(args.question, args.history)
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def format_answer(answer) -> str:  # type: ignore[no-untyped-def]
    """An answer as terminal text: notices, the answer, then its sources."""
    lines = [f"Note: {n}" for n in answer.notices]
    lines.append(answer.text)
    if answer.citations:
        lines.append("")
        lines.append(f"Sources ({answer.confidence}):")
        for c in answer.citations:
            where = f" > {c.heading}" if c.heading else ""
            lines.append(f"  {c.label}{where}  {c.source_url}".rstrip())
    return "\n".join(lines)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from .logs import QuestionLog
    from .service import Assistant

    session = Assistant(settings, log=QuestionLog.from_settings(settings)).session()
    print("Ask about the CIP Framework. Do not enter personal details about children or families. "
          "Type 'quit' or press Ctrl-D to leave.")
    while True:
        try:
            question = input("\nyou> ")
        except EOFError:
            print()
            return 0
        if question.strip().lower() in ("quit", "exit", ":q"):
            return 0
        print(format_answer(session.ask(question)))


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from .index import IndexStore

    store = IndexStore(settings)
    version = store.live_version()
    if version is None:
        print(f"No index in {settings.data_dir}: run `assistant index`.")
        return 1
    previous = store.manifest().get("previous")
    print(f"Live version: {version.name}\n  built {version.created} with {version.model}\n"
          f"  {version.documents} documents, {version.chunks} chunks, {version.sentences} sentences\n"
          f"  corpus hash {version.corpus_hash}\nPrevious version: {previous or 'none'}")
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    values = settings.public_values()
    if args.json:
        print(json.dumps(values, indent=2))
    else:
        print("\n".join(f"ASSISTANT_{name.upper()}={'' if value is None else value}" for name, value in values.items()))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from .ui import serve

    serve(settings, host=args.host or settings.host, port=args.port or settings.port)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .evals import run_cli

    return run_cli(args, settings)


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from .feedback import FeedbackStore

    store = FeedbackStore.from_settings(settings, purge=False)
    if args.feedback_command == "purge":
        before = args.before or store.cutoff()
        print(f"Deleted {store.purge(before)} feedback rows given before {before.isoformat()}.")
        return 0
    count = store.export_csv(args.csv)
    print(f"Wrote {count} feedback rows to {args.csv}.")
    return 0


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from .db import SCHEMA_VERSION, Database, safe_url

    if not settings.database_url:
        print("ASSISTANT_DATABASE_URL is not set: the embedded default keeps its state in the data folder, "
              "nothing to upgrade.")
        return 0
    applied = Database(settings.database_url).upgrade()
    done = f"applied {', '.join(map(str, applied))}" if applied else "already up to date"
    print(f"Database {safe_url(settings.database_url)}: schema version {SCHEMA_VERSION} ({done}).")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "index": cmd_index, "ask": cmd_ask, "chat": cmd_chat, "status": cmd_status, "settings": cmd_settings,
    "serve": cmd_serve,
    "eval": cmd_eval, "feedback": cmd_feedback, "db": cmd_db,
}

if __name__ == "__main__":
    sys.exit(main())
