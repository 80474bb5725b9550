"""The trainers' evaluation: run hand-written cases through the chat pipeline and score every answer."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from tqdm import tqdm

from .answer import Answer
from .config import Settings
from .errors import AssistantError, EvalFileError
from .lead import NaiveLead, answer_type, first_sentence, fold, lead_of
from .report import format_text, load_baseline, render_html, to_json
from .retrieve import Mode
from .service import Assistant

DEFAULT_FILES = (Path("evals/framework.yaml"),)
CASE_FIELDS = ("id", "question", "history", "category", "expect")
EXPECT_FIELDS = ("cite_any", "mention_all", "refuse", "personal_data_warning")
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
UNCATEGORISED = "uncategorised"


@dataclass(frozen=True)
class Expect:
    """What a right answer looks like; empty or None means that check does not apply."""

    cite_any: tuple[str, ...] = ()
    mention_all: tuple[tuple[str, ...], ...] = ()  # each entry is a set of alternatives
    refuse: bool | None = None
    personal_data_warning: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The expectations the case gave."""
        return {name: value for name, value in asdict(self).items() if value not in ((), None)}


@dataclass(frozen=True)
class Case:
    """One evaluation case from a YAML file."""

    id: str
    question: str
    history: tuple[str, ...] = ()
    category: str = UNCATEGORISED
    expect: Expect = Expect()
    source: str = ""


@dataclass
class CaseResult:
    """One case's answer and its checks; None means the check does not apply to the case."""

    case: Case
    answer: Answer
    hit: bool | None
    reciprocal_rank: float | None
    citation_ok: bool | None
    mentions: float | None
    missing_mentions: list[str]
    refusal_ok: bool
    personal_data_ok: bool | None
    failures: list[str]
    lead: bool | None = None  # the first sentence carries an expected mention
    naive_lead: bool | None = None  # the same for the naive baseline's sentence

    @property
    def passed(self) -> bool:
        """Every applicable check held."""
        return not self.failures

    @property
    def answer_type(self) -> str:
        """What the pipeline read the question as asking for ("unknown" before it says)."""
        return answer_type(self.answer)


@dataclass(frozen=True)
class Summary:
    """Scores over a group of cases; each metric averages over the cases it applies to (None: none do)."""

    cases: int
    hit_rate: float | None
    mrr: float | None
    citation_accuracy: float | None
    mention_coverage: float | None
    refusal_accuracy: float | None
    personal_data_accuracy: float | None
    pass_rate: float | None
    latency_ms_p50: float | None
    latency_ms_p95: float | None
    k: int
    lead: float | None = None
    naive_lead: float | None = None

    @classmethod
    def of(cls, results: list[CaseResult], k: int) -> "Summary":
        """Score a group of results."""
        ms = [r.answer.latency_ms for r in results]
        return cls(len(results), _mean(r.hit for r in results), _mean(r.reciprocal_rank for r in results),
                   _mean(r.citation_ok for r in results), _mean(r.mentions for r in results),
                   _mean(r.refusal_ok for r in results), _mean(r.personal_data_ok for r in results),
                   _mean(r.passed for r in results), _percentile(ms, 0.5), _percentile(ms, 0.95), k,
                   lead=_mean(r.lead for r in results), naive_lead=_mean(r.naive_lead for r in results))

    @classmethod
    def grouped(cls, results: list[CaseResult], key: Callable[[CaseResult], str], k: int) -> dict[str, "Summary"]:
        """Scores per group, groups in order of first appearance."""
        groups: dict[str, list[CaseResult]] = {}
        for r in results:
            groups.setdefault(key(r), []).append(r)
        return {name: cls.of(group, k) for name, group in groups.items()}


@dataclass
class EvalRun:
    """One evaluation: every result, the scores, and the optional mode comparison and regressions."""

    results: list[CaseResult]
    summary: Summary
    by_category: dict[str, Summary]
    mode: str
    index_version: str
    started_at: str
    compare: dict[str, Summary] = field(default_factory=dict)
    regressions: list[CaseResult] | None = None  # None when no baseline was given
    answerer: str = "extractive"  # or the language-model backend and model that wrote the answers
    by_answer_type: dict[str, Summary] = field(default_factory=dict)

    @property
    def failed(self) -> list[CaseResult]:
        """The failed cases, in file order."""
        return [r for r in self.results if not r.passed]

    def mark_regressions(self, passed_before: set[str]) -> None:
        """Record the cases that passed in a baseline run and fail now."""
        self.regressions = [r for r in self.failed if r.case.id in passed_before]


def load_cases(paths: Iterable[Path]) -> list[Case]:
    """Read and check evaluation files; any problem raises EvalFileError naming the file, case and field."""
    paths = list(paths)
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for case in _read_file(path):
            if case.id in seen:
                raise EvalFileError(f"{path}: case {case.id!r} is also in {seen[case.id]}: ids must be unique across "
                                    "the files of one run, because baselines and reports match cases by id.")
            seen[case.id] = path
            cases.append(case)
    if not cases:
        raise EvalFileError(f"{', '.join(map(str, paths))}: no cases to run: add cases starting '- id: ...'.")
    return cases


def _read_file(path: Path) -> list[Case]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalFileError(f"{path}: no such file: give the path of an evaluation YAML file, relative to the current folder.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"{path}: cannot read it ({exc}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise EvalFileError(f"{path}: not valid YAML{at}: {problem} (text holding : ? [ ] or # needs quotes).") from None
    if not isinstance(raw, list):
        raise EvalFileError(f"{path}: expected a list of cases (each starting '- id: ...'), found {_kind(raw)}.")
    cases: list[Case] = []
    first_at: dict[str, int] = {}
    for number, item in enumerate(raw, 1):
        case = _parse_case(item, f"{path}: case #{number}", str(path))
        if case.id in first_at:
            raise EvalFileError(f"{path}: case {case.id!r} appears twice (cases #{first_at[case.id]} and #{number}): "
                                "give each case its own id.")
        first_at[case.id] = number
        cases.append(case)
    return cases


def _parse_case(item: Any, where: str, source: str) -> Case:
    if not isinstance(item, dict):
        raise EvalFileError(f"{where}: expected a mapping with an id and a question, found {_kind(item)}.")
    if isinstance(item.get("id"), str) and item["id"].strip():
        where = f"{source}: case {item['id']!r}"
    _check_fields(item, CASE_FIELDS, where, "")
    for name in ("id", "question"):
        if name not in item:
            raise EvalFileError(f"{where}: missing field {name!r}: every case needs an id and a question.")
    expect = item.get("expect", {})
    if not isinstance(expect, dict):
        raise EvalFileError(f"{where}: field 'expect' must be a mapping of {', '.join(EXPECT_FIELDS)}, found {_kind(expect)}.")
    _check_fields(expect, EXPECT_FIELDS, where, "expect.")
    return Case(
        id=_text(item["id"], where, "id"), question=_text(item["question"], where, "question"),
        history=tuple(_text(t, where, "history") for t in _list(item, "history", where)),
        category=_text(item["category"], where, "category") if "category" in item else UNCATEGORISED,
        expect=Expect(cite_any=tuple(_text(i, where, "expect.cite_any") for i in _list(expect, "cite_any", where, "expect.")),
                      mention_all=tuple(_alternatives(m, where) for m in _list(expect, "mention_all", where, "expect.")),
                      refuse=_flag(expect, "refuse", where), personal_data_warning=_flag(expect, "personal_data_warning", where)),
        source=source)


def _check_fields(mapping: dict[Any, Any], allowed: tuple[str, ...], where: str, prefix: str) -> None:
    for name in mapping:
        if name not in allowed:
            close = difflib.get_close_matches(str(name), allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise EvalFileError(f"{where}: unknown field {prefix + str(name)!r} "
                                f"({hint}allowed{' in expect' if prefix else ''}: {', '.join(allowed)})")


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EvalFileError(f"{where}: field {name!r} must be non-empty text, found {_kind(value)}.")
    return value


def _list(mapping: dict[str, Any], name: str, where: str, prefix: str = "") -> list[Any]:
    value = mapping.get(name, [])
    if not isinstance(value, list):
        raise EvalFileError(f"{where}: field {prefix + name!r} must be a list, e.g. [a, b], found {_kind(value)}.")
    return value


def _alternatives(entry: Any, where: str) -> tuple[str, ...]:
    if isinstance(entry, list) and not entry:
        raise EvalFileError(f"{where}: field 'expect.mention_all' has an empty list of alternatives: remove it.")
    return tuple(_text(alt, where, "expect.mention_all") for alt in (entry if isinstance(entry, list) else [entry]))


def _flag(expect: dict[str, Any], name: str, where: str) -> bool | None:
    value = expect.get(name)
    if name in expect and not isinstance(value, bool):
        raise EvalFileError(f"{where}: field 'expect.{name}' must be true or false, found {_kind(value)}.")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value} (put it in quotes if it is text)"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__


def score_case(case: Case, answer: Answer, k: int, naive: NaiveLead | None = None) -> CaseResult:
    """Check one answer against its case's expectations; each failed check adds a reason; lead is reported, not a check."""
    expect, top, cited = case.expect, answer.retrieved_ids[:k], answer.cited_ids
    failures: list[str] = []
    hit = rank = citation_ok = personal_ok = None
    if expect.cite_any:
        ranks = [n for n, doc_id in enumerate(top, 1) if doc_id in expect.cite_any]
        hit, rank = bool(ranks), (1 / ranks[0] if ranks else 0.0)
        if not hit:
            failures.append(f"retrieval: none of {', '.join(expect.cite_any)} in the top {k} (got {', '.join(top) or 'nothing'})")
    if expect.refuse:
        citation_ok = not cited
        if cited:
            failures.append(f"citations: a refusal cites nothing, but it cited {', '.join(cited)}")
    elif expect.cite_any:
        citation_ok = any(doc_id in expect.cite_any for doc_id in cited)
        if not citation_ok:
            failures.append(f"citations: expected one of {', '.join(expect.cite_any)}, cited {', '.join(cited) or 'nothing'}")
    text = fold(answer.text)
    missing = [" / ".join(alts) for alts in expect.mention_all if not any(fold(a) in text for a in alts)]
    mentions = 1 - len(missing) / len(expect.mention_all) if expect.mention_all else None
    if missing:
        failures.append(f"mentions: the answer does not mention {'; '.join(repr(m) for m in missing)}")
    refusal_ok = answer.refused == bool(expect.refuse)
    if not refusal_ok:
        failures.append("refusal: expected a refusal, but it answered" if expect.refuse
                        else "refusal: expected an answer, but it declined")
    if expect.personal_data_warning is not None:
        personal_ok = bool(answer.personal_data) == expect.personal_data_warning
        if not personal_ok and expect.personal_data_warning:
            failures.append("personal data: expected the personal-data warning, but none was shown")
        elif not personal_ok:
            failures.append(f"personal data: the warning was shown ({', '.join(answer.personal_data)}) but none was expected")
    lead = lead_of(expect, first_sentence(answer.text))
    naive_lead = (lead_of(expect, naive.sentence(case.question, answer.passages[:k]))
                  if naive is not None and lead is not None else None)
    return CaseResult(case, answer, hit, rank, citation_ok, mentions, missing, refusal_ok, personal_ok, failures,
                      lead, naive_lead)


def run_eval(assistant: Assistant, cases: list[Case], k: int, compare: bool = False, progress: bool = False) -> EvalRun:
    """Run every case through the assistant, and with compare through the other retrieval modes too."""
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    naive = NaiveLead(assistant.embedder)
    results = _run_mode(assistant, cases, k, progress, naive)
    run = EvalRun(results, Summary.of(results, k), Summary.grouped(results, lambda r: r.case.category, k),
                  mode=assistant.mode, index_version=assistant.snapshot().version, started_at=started,
                  answerer=assistant.generator.name if assistant.generator else "extractive",
                  by_answer_type=Summary.grouped(results, lambda r: r.answer_type, k))
    if compare:
        run.compare[assistant.mode] = run.summary
        for mode in MODES:
            if mode != assistant.mode:
                other = Assistant(assistant.settings, embedder=assistant.embedder, store=assistant.store,
                                  mode=mode, judge=assistant.judge)
                run.compare[mode] = Summary.of(_run_mode(other, cases, k, progress, naive), k)
    return run


def _run_mode(assistant: Assistant, cases: list[Case], k: int, progress: bool, naive: NaiveLead) -> list[CaseResult]:
    bar = tqdm(cases, desc=f"eval {assistant.mode}", unit="case", disable=not progress, file=sys.stderr)
    return [score_case(case, assistant.ask(case.question, list(case.history)), k, naive) for case in bar]


def run_cli(args: argparse.Namespace, settings: Settings) -> int:
    """The `assistant eval` command: 1 when the pass rate is below --fail-under, else 0."""
    if args.k < 1:
        raise AssistantError(f"--k {args.k} is not a retrieval depth: give 1 or more (default 5).")
    if args.fail_under is not None and not 0 <= args.fail_under <= 1:
        raise AssistantError(f"--fail-under {args.fail_under} is not a pass rate: give a number from 0 to 1, e.g. 0.9.")
    cases = load_cases(args.files or DEFAULT_FILES)
    passed_before = load_baseline(args.baseline) if args.baseline else None
    assistant = Assistant(replace(settings, k=args.k))
    run = run_eval(assistant, cases, args.k, compare=args.compare, progress=not args.quiet)
    if passed_before is not None:
        run.mark_regressions(passed_before)
    print(format_text(run))
    if args.json_out:
        _write(args.json_out, json.dumps(to_json(run), indent=2, ensure_ascii=False))
    if args.report:
        _write(args.report, render_html(run))
    if args.fail_under is not None and (run.summary.pass_rate or 0.0) < args.fail_under:
        print(f"Pass rate {run.summary.pass_rate:.3f} is below --fail-under {args.fail_under}.", file=sys.stderr)
        return 1
    return 0


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AssistantError(f"Cannot write {path} ({exc.strerror}): check the folder exists and is writable.") from None
    print(f"Wrote {path}")


def _mean(values: Iterable[bool | float | None]) -> float | None:
    scored = [float(v) for v in values if v is not None]
    return round(sum(scored) / len(scored), 4) if scored else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 1)
