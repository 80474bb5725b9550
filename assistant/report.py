"""An evaluation run written out: terminal text, JSON, a self-contained HTML report, and a JSON baseline read back."""

from __future__ import annotations

import json
from dataclasses import asdict
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EvalFileError
from .guard import redact
from .lead import first_sentence

if TYPE_CHECKING:
    from .evals import CaseResult, EvalRun, Expect, Summary

COLUMNS = (("cases", "cases"), ("pass_rate", "pass"), ("hit_rate", "hit@k"), ("mrr", "MRR"),
           ("citation_accuracy", "cite"), ("mention_coverage", "mention"), ("lead", "lead"),
           ("naive_lead", "naive"), ("refusal_accuracy", "refuse"),
           ("personal_data_accuracy", "pdata"), ("latency_ms_p50", "p50 ms"), ("latency_ms_p95", "p95 ms"))
COMPARE_COLUMNS = (("hit_rate", "hit@k"), ("mrr", "MRR"), ("citation_accuracy", "cite"), ("lead", "lead"),
                   ("naive_lead", "naive"), ("refusal_accuracy", "refuse"), ("pass_rate", "pass"))
TYPE_COLUMNS = (("cases", "cases"), ("pass_rate", "pass"), ("mention_coverage", "mention"), ("lead", "lead"),
                ("naive_lead", "naive"))
ANSWER_PREVIEW = 200
LEGEND = ("hit@{k}: an expected id among the top {k} retrieved; MRR: mean reciprocal rank; cite: citation accuracy;",
          "mention: mention coverage; lead: the first sentence carries an expected mention; naive: the same for",
          "the retrieved sentence most similar to the question (a naive baseline); refuse: refusal accuracy;",
          "pdata: personal-data warning accuracy; -: not checked")
TYPE_NOTE = "By the expected answer type the pipeline read from the question (unknown: the answer gives none):"


def to_json(run: EvalRun) -> dict[str, Any]:
    """The `--json` output: `cases` and `summary`, plus `compare` and `regressions` when asked for."""
    summary = asdict(run.summary) | {"by_category": {name: asdict(s) for name, s in run.by_category.items()},
                                     "by_answer_type": {name: asdict(s) for name, s in run.by_answer_type.items()}}
    out: dict[str, Any] = {"cases": [_case_json(r) for r in run.results], "summary": summary}
    if run.compare:
        out["compare"] = {mode: asdict(s) for mode, s in run.compare.items()}
    if run.regressions is not None:
        out["regressions"] = [{"id": r.case.id, "question": _redacted(r.case.question), "failures": r.failures}
                              for r in run.regressions]
    out["answerer"] = run.answerer
    if run.answerer != "extractive":
        out["grounding"] = grounding_totals(run)
    return out


def _case_json(r: CaseResult) -> dict[str, Any]:
    a = r.answer
    return {
        "id": r.case.id, "passed": r.passed, "retrieved_ids": a.retrieved_ids, "cited_ids": a.cited_ids,
        "refused": a.refused, "answer": a.text, "latency_ms": a.latency_ms, "category": r.case.category,
        "lead": r.lead, "naive_lead": r.naive_lead, "first_sentence": first_sentence(a.text),
        "answer_type": r.answer_type,
        "question": _redacted(r.case.question), "history": [_redacted(t) for t in r.case.history],
        "expected": r.case.expect.to_dict(),
        "checks": {"hit": r.hit, "reciprocal_rank": r.reciprocal_rank, "citation": r.citation_ok,
                   "mentions": r.mentions, "missing_mentions": r.missing_mentions, "refusal": r.refusal_ok,
                   "personal_data": r.personal_data_ok, "lead": r.lead, "naive_lead": r.naive_lead},
        "personal_data": a.personal_data, "source": r.case.source,
        "citations": [{"label": c.label, "id": c.id, "title": c.title, "heading": c.heading, "passage": c.passage,
                       "source_url": c.source_url, "chunk_id": c.chunk_id, "page": c.page} for c in a.citations],
        "passages": a.passages, "failures": r.failures, "notices": a.notices, "grounding": a.grounding,
    }


def _redacted(text: str) -> str:
    """A case's question or earlier turn as reports show it: personal details replaced by placeholders."""
    return redact(text).text


def load_baseline(path: Path) -> set[str]:
    """The ids of the cases that passed in an earlier `--json` output."""
    hint = "give a file that an earlier `assistant eval --json FILE` wrote"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalFileError(f"{path}: no such baseline file: {hint}.") from None
    except (OSError, ValueError) as exc:
        raise EvalFileError(f"{path}: cannot read it as JSON ({exc}): {hint}.") from None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "id" in c and "passed" in c for c in cases):
        raise EvalFileError(f"{path}: not an evaluation result (no 'cases' with 'id' and 'passed'): {hint}.")
    return {str(c["id"]) for c in cases if c["passed"] is True}


def expected_text(expect: Expect) -> str:
    """What the case expects, in words."""
    parts = ["a refusal citing nothing" if expect.refuse else "an answer, not a refusal"]
    if expect.cite_any and not expect.refuse:
        parts.append(f"cites one of {', '.join(expect.cite_any)}")
    if expect.mention_all:
        parts.append("mentions " + "; ".join(" or ".join(repr(a) for a in alts) for alts in expect.mention_all))
    if expect.personal_data_warning is not None:
        parts.append("the personal-data warning" if expect.personal_data_warning else "no personal-data warning")
    return "; ".join(parts)


def got_text(r: CaseResult) -> str:
    """What came back, in words."""
    a = r.answer
    parts = ["refused" if a.refused else "answered", f"cited {', '.join(a.cited_ids) or 'nothing'}",
             f"retrieved {', '.join(a.retrieved_ids) or 'nothing'}"]
    if r.missing_mentions:
        parts.append("missing mentions " + "; ".join(repr(m) for m in r.missing_mentions))
    if r.lead is not None:
        parts.append(f"first sentence {'carries' if r.lead else 'lacks'} an expected mention (lead)")
    parts.append(f"answer type {r.answer_type}")
    if a.personal_data:
        parts.append(f"personal-data warning ({', '.join(a.personal_data)})")
    return "; ".join(parts)


def _value(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name == "cases":
        return str(value)
    return f"{value:.1f}" if name.startswith("latency") else f"{value:.3f}"


def _label(label: str, k: int) -> str:
    return label.replace("@k", f"@{k}")


def _table(rows: list[tuple[str, Summary]], columns: tuple[tuple[str, str], ...], first: str, k: int) -> list[str]:
    width = max(len(first), *(len(name) for name, _ in rows))
    lines = [f"{first:<{width}}" + "".join(f"{_label(label, k):>9}" for _, label in columns)]
    for name, s in rows:
        lines.append(f"{name:<{width}}" + "".join(f"{_value(key, getattr(s, key)):>9}" for key, _ in columns))
    return lines


def format_text(run: EvalRun) -> str:
    """The terminal output: summary table, mode comparison, regressions, then every failed case."""
    lines = [(f"Evaluated {run.summary.cases} cases: {run.mode} retrieval, k={run.summary.k}, "
              f"index {run.index_version}"), ""]
    lines += _table([("overall", run.summary), *run.by_category.items()], COLUMNS, "group", run.summary.k)
    lines += [line.format(k=run.summary.k) for line in LEGEND]
    if run.by_answer_type:
        lines += ["", TYPE_NOTE, *_table(list(run.by_answer_type.items()), TYPE_COLUMNS, "type", run.summary.k)]
    if run.answerer != "extractive":
        lines += ["", grounding_sentence(run)]
        lines += [f"  removed from {r.case.id}: {g['sentence'][:ANSWER_PREVIEW]} ({g['reason']})"
                  for r in run.results for g in r.answer.grounding if not g["kept"]]
    if run.compare:
        lines += ["", "Retrieval modes compared:"]
        lines += _table(list(run.compare.items()), COMPARE_COLUMNS, "mode", run.summary.k)
    if run.regressions is not None:
        lines += ["", f"Regressions against the baseline: {len(run.regressions)}"]
        lines += [f"  {r.case.id}: {_redacted(r.case.question)}" for r in run.regressions]
    failed = run.failed
    lines += ["", f"Failed cases: {len(failed)} of {run.summary.cases}" if failed else "Every case passed."]
    for r in failed:
        answer = " ".join(r.answer.text.split())
        preview = answer[:ANSWER_PREVIEW] + ("..." if len(answer) > ANSWER_PREVIEW else "")
        lines += ["", f"  {r.case.id}  [{r.case.category}]  {r.case.source}",
                  f"    question: {_redacted(r.case.question)}"]
        if r.case.history:
            lines.append(f"    history:  {' / '.join(_redacted(t) for t in r.case.history)}")
        lines += [f"    expected: {expected_text(r.case.expect)}", f"    got:      {got_text(r)}",
                  f"    answer:   {preview}"]
        lines += [f"    failed:   {reason}" for reason in r.failures]
    return "\n".join(lines)


CSS = """
body{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;max-width:64rem;margin:2rem auto;padding:0 1rem}
h1{margin-bottom:.2rem}.meta{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child,.wide td,.wide th{text-align:left}
details.case{border:1px solid #ccc;border-left:6px solid #2e7d32;border-radius:4px;margin:.5rem 0;padding:.3rem .8rem}
details.case.failed{border-left-color:#c62828;background:#fff6f6}
summary{cursor:pointer}.badge{display:inline-block;min-width:3rem;text-align:center;border-radius:3px;color:#fff;
background:#2e7d32;font-size:.8rem;font-weight:700;margin-right:.4rem}.failed .badge{background:#c62828}
.badge.regression{background:#6a1b9a}.category{color:#666;font-size:.85rem}
.answer,.passage{white-space:pre-wrap;background:#f4f4f4;border-radius:4px;padding:.5rem}
.passages td:last-child{white-space:pre-wrap}.failures li{color:#b71c1c}h3{margin:.8rem 0 .3rem;font-size:1rem}
.grounding tr.removed td{color:#b71c1c}
"""


def render_html(run: EvalRun) -> str:
    """A self-contained HTML report: inline CSS and SVG, failed cases first, every text escaped."""
    k = run.summary.k
    rows = [("overall", run.summary), *run.by_category.items()]
    regressed = {r.case.id for r in run.regressions or []}
    ordered = sorted(run.results, key=lambda r: (r.passed, r.case.id not in regressed))
    parts = [(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Evaluation report</title>"
              f"<style>{CSS}</style></head><body><h1>Evaluation report</h1>"),
             (f"<p class='meta'>Run at {escape(run.started_at)} &middot; index version {escape(run.index_version)} "
              f"&middot; {escape(run.mode)} retrieval, k={k} &middot; {run.summary.cases} cases, "
              f"{len(run.failed)} failed</p>"),
             "<h2>Summary</h2>", _html_table(rows, COLUMNS, "group", k, "summary"),
             f"<p class='meta'>{escape(' '.join(LEGEND).format(k=k))}</p>",
             "<h2>By expected answer type</h2>", f"<p class='meta'>{escape(TYPE_NOTE)}</p>",
             _html_table(list(run.by_answer_type.items()), TYPE_COLUMNS, "type", k, "answer-types"),
             "<h2>Pass rate by category</h2>", _bar_chart(run)]
    if run.answerer != "extractive":
        parts += ["<h2>Grounding check</h2>", f"<p class='grounding'>{escape(grounding_sentence(run))}</p>"]
    if run.compare:
        parts += ["<h2>Retrieval modes compared</h2>",
                  _html_table(list(run.compare.items()), COMPARE_COLUMNS, "mode", k, "compare")]
    if run.regressions is not None:
        items = "".join(f"<li><code>{escape(r.case.id)}</code> {escape(_redacted(r.case.question))}</li>"
                        for r in run.regressions)
        parts += ["<h2>Regressions against the baseline</h2>",
                  f"<ul class='regressions'>{items}</ul>" if items else "<p>None: every case that passed still passes.</p>"]
    parts += ["<h2>Cases</h2>", *(_html_case(r, r.case.id in regressed) for r in ordered), "</body></html>"]
    return "\n".join(parts)


def _html_table(rows: list[tuple[str, Summary]], columns: tuple[tuple[str, str], ...], first: str, k: int,
                css: str) -> str:
    head = "".join(f"<th>{escape(_label(label, k))}</th>" for _, label in columns)
    body = "".join(f"<tr><td>{escape(name)}</td>" + "".join(f"<td>{_value(key, getattr(s, key))}</td>"
                                                              for key, _ in columns) + "</tr>" for name, s in rows)
    return f"<table class='{css}'><thead><tr><th>{first}</th>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bar_chart(run: EvalRun) -> str:
    label_w, bar_w, row_h = 200, 360, 28
    height = row_h * len(run.by_category) + 8
    bars = []
    for n, (name, s) in enumerate(run.by_category.items()):
        y, rate = 4 + n * row_h, s.pass_rate or 0.0
        passed = sum(r.passed for r in run.results if r.case.category == name)
        bars.append(f"<text x='{label_w - 8}' y='{y + 15}' text-anchor='end'>{escape(name[:28])}</text>"
                    f"<rect x='{label_w}' y='{y}' width='{bar_w}' height='20' fill='#eee'/>"
                    f"<rect x='{label_w}' y='{y}' width='{rate * bar_w:.1f}' height='20' fill='#2e7d32'/>"
                    f"<text x='{label_w + bar_w + 8}' y='{y + 15}'>{rate:.0%} ({passed}/{s.cases})</text>")
    return (f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{label_w + bar_w + 110}' height='{height}' "
            f"font-family='system-ui,sans-serif' font-size='13'><title>Pass rate per category</title>"
            f"{''.join(bars)}</svg>")


def _html_case(r: CaseResult, regression: bool) -> str:
    c, a = r.case, r.answer
    badges = f"<span class='badge'>{'PASS' if r.passed else 'FAIL'}</span>"
    if regression:
        badges += "<span class='badge regression'>REGRESSION</span>"
    question = escape(_redacted(c.question))
    history = "".join(f"<li>{escape(_redacted(t))}</li>" for t in c.history)
    citations = "".join(f"<li><strong>{escape(x.label)}</strong> {escape(x.heading)}"
                        f"<div class='passage'>{escape(x.passage)}</div></li>" for x in a.citations)
    passages = "".join(f"<tr><td>{'cited' if p.get('rank') is None else p['rank']}</td><td>{escape(str(p.get('id', '')))}</td>"
                       f"<td>{escape(str(p.get('heading', '')))}</td><td>{escape(str(p.get('text', '')))}</td></tr>"
                       for p in a.passages)
    failures = "".join(f"<li>{escape(f)}</li>" for f in r.failures)
    return (f"<details class='case {'passed' if r.passed else 'failed'}' data-case='{escape(c.id)}'>"
            f"<summary>{badges}<code>{escape(c.id)}</code> {question} "
            f"<span class='category'>[{escape(c.category)}]</span></summary>"
            f"<h3>Question</h3><p class='question'>{question}</p>"
            + (f"<h3>History (earlier turns)</h3><ol class='history'>{history}</ol>" if history else "")
            + f"<h3>Answer</h3><div class='answer'>{escape(a.text)}</div>"
            f"<p class='lead'>First sentence: {escape(first_sentence(a.text))}</p>"
            f"<h3>Expected vs got</h3><table class='wide'><tr><th>expected</th><td>{escape(expected_text(c.expect))}</td>"
            f"</tr><tr><th>got</th><td>{escape(got_text(r))}</td></tr></table>"
            + (f"<h3>Why it failed</h3><ul class='failures'>{failures}</ul>" if failures else "")
            + _html_grounding(a.grounding)
            + f"<h3>Citations</h3>{f'<ol class=citations>{citations}</ol>' if citations else '<p>None.</p>'}"
            f"<h3>Retrieved passages</h3><table class='wide passages'><tr><th>rank</th><th>id</th><th>heading</th>"
            f"<th>text</th></tr>{passages}</table><p class='category'>From {escape(c.source)}</p></details>")


def grounding_totals(run: EvalRun) -> dict[str, int]:
    """What the grounding check did over a run: sentences checked, kept and removed, ids dropped, fallbacks."""
    from .generate import LLM_UNAVAILABLE, LLM_UNGROUNDED

    checks = [g for r in run.results for g in r.answer.grounding]
    return {"answers_checked": sum(1 for r in run.results if r.answer.grounding), "sentences": len(checks),
            "kept": sum(1 for g in checks if g["kept"]), "removed": sum(1 for g in checks if not g["kept"]),
            "dropped_ids": sum(len(g["dropped_ids"]) for g in checks),
            "fallback_unavailable": sum(LLM_UNAVAILABLE in r.answer.notices for r in run.results),
            "fallback_unsupported": sum(LLM_UNGROUNDED in r.answer.notices for r in run.results)}


def grounding_sentence(run: EvalRun) -> str:
    """The grounding totals in words."""
    t = grounding_totals(run)
    return (f"Answers by {run.answerer}. Grounding check: {t['sentences']} sentences in {t['answers_checked']} "
            f"answers, {t['kept']} kept, {t['removed']} removed; {t['dropped_ids']} citations of passages not "
            f"retrieved dropped. Extractive answer instead: {t['fallback_unavailable']} (model not available), "
            f"{t['fallback_unsupported']} (nothing the passages support).")


def _html_grounding(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return ""
    rows = "".join(f"<tr class='{'kept' if g['kept'] else 'removed'}'><td>{'kept' if g['kept'] else 'removed'}</td>"
                   f"<td>{escape(g['sentence'])}</td><td>{escape(', '.join(g['cited'] + g['dropped_ids']))}</td>"
                   f"<td>{g['similarity']:.2f}</td><td>{g['overlap']:.2f}</td><td>{escape(g['reason'])}</td>"
                   f"<td>{escape(g['match'])}</td></tr>" for g in checks)
    return (f"<h3>Grounding check</h3><p class='category'>{escape(checks[0]['method'])}</p>"
            f"<table class='wide grounding'><tr><th>result</th><th>sentence</th><th>cited</th><th>similarity</th>"
            f"<th>overlap</th><th>why</th><th>closest passage sentence</th></tr>{rows}</table>")
