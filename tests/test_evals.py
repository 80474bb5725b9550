"""The evaluation command: file validation, scores on a small hand-checked set, JSON, CLI exit codes, HTML report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import EvalFileError
from assistant.answer import Answer
from assistant.evals import Case, EvalRun, Expect, Summary, load_cases, run_eval, score_case
from assistant.lead import NaiveLead, carries_mention, first_sentence, lead_of
from assistant.report import format_text, load_baseline, render_html, to_json

SMALL = Path(__file__).resolve().parent / "data" / "eval_small.yaml"
PASSING, FAILING, REFUSAL = "p4-mapping-systems", "approaches-wrong-on-purpose", "out-of-scope-capital"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
CASE_KEYS = {"id", "passed", "retrieved_ids", "cited_ids", "refused", "answer", "latency_ms"}
SUMMARY_KEYS = {"hit_rate", "mrr", "citation_accuracy", "mention_coverage", "refusal_accuracy",
                "personal_data_accuracy", "pass_rate", "latency_ms_p50", "latency_ms_p95", "k", "lead"}


@pytest.fixture(scope="module")
def small_run(assistant) -> EvalRun:
    """The small set, run once through the shared assistant with the dense and BM25 comparison."""
    return run_eval(assistant, load_cases([SMALL]), k=assistant.settings.k, compare=True)


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(EvalFileError) as info:
        load_cases([path])
    return str(info.value)


def test_unknown_field_names_the_field_the_case_and_the_file(tmp_path):
    path = write(tmp_path, "- id: p3-start\n  question: Where do we start?\n  expects:\n    cite_any: [P3]\n")
    message = load_error(path)
    assert message.startswith(f"{path}: case 'p3-start': unknown field 'expects'")
    assert "allowed: id, question, history, category, expect" in message


def test_unknown_field_inside_expect_is_named_with_its_parent(tmp_path):
    path = write(tmp_path, "- id: p3-start\n  question: Where do we start?\n  expect:\n    cite: [P3]\n")
    message = load_error(path)
    assert "case 'p3-start': unknown field 'expect.cite'" in message
    assert "cite_any" in message


def test_missing_question_is_an_error(tmp_path):
    path = write(tmp_path, "- id: ok\n  question: What is voice?\n- id: no-question\n  category: report\n")
    assert load_error(path) == (f"{path}: case 'no-question': missing field 'question': "
                                "every case needs an id and a question.")


def test_refuse_must_be_true_or_false(tmp_path):
    path = write(tmp_path, "- id: capital\n  question: What is the capital of France?\n  expect:\n    refuse: maybe\n")
    message = load_error(path)
    assert "case 'capital': field 'expect.refuse' must be true or false" in message
    assert "'maybe'" in message


def test_duplicate_ids_in_a_file_are_an_error(tmp_path):
    path = write(tmp_path, "- id: twice\n  question: What is voice?\n- id: other\n  question: What is P3?\n"
                           "- id: twice\n  question: What is P4?\n")
    assert load_error(path) == f"{path}: case 'twice' appears twice (cases #1 and #3): give each case its own id."


def test_a_file_that_is_not_a_list_is_an_error(tmp_path):
    path = write(tmp_path, "id: lonely\nquestion: What is voice?\n")
    assert load_error(path) == (f"{path}: expected a list of cases (each starting '- id: ...'), found a mapping.")


def test_a_case_without_a_usable_id_is_named_by_its_position(tmp_path):
    path = write(tmp_path, "- id: fine\n  question: What is voice?\n- id: 7\n  question: What is P3?\n")
    assert "case #2: field 'id' must be non-empty text, found the number 7" in load_error(path)


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "- id: q\n  question: What is voice?\n  history: [What are the practices?]\n")
    assert load_error(path).startswith(f"{path}: not valid YAML at line 3")


def test_valid_file_loads_every_optional_field(tmp_path):
    path = write(tmp_path, "- id: p3\n  question: Where do we start?\n  history: [Tell me about the practices]\n"
                           "  category: practice\n  expect:\n    cite_any: [P3, site-oldham]\n"
                           "    mention_all: [pregnancy, [second birthday, age two]]\n"
                           "    refuse: false\n    personal_data_warning: false\n")
    (case,) = load_cases([path])
    assert case.history == ("Tell me about the practices",)
    assert case.expect.cite_any == ("P3", "site-oldham")
    assert case.expect.mention_all == (("pregnancy",), ("second birthday", "age two"))
    assert case.expect.refuse is False and case.expect.personal_data_warning is False


def test_small_set_passes_and_fails_the_expected_cases(small_run):
    passed = {r.case.id: r.passed for r in small_run.results}
    assert passed == {PASSING: True, FAILING: False, REFUSAL: True}
    failing = next(r for r in small_run.results if r.case.id == FAILING)
    assert failing.missing_mentions == ["lasagne"]
    assert any(f.startswith("citations: expected one of P8") for f in failing.failures)
    refusal = next(r for r in small_run.results if r.case.id == REFUSAL)
    assert refusal.answer.refused and refusal.citation_ok is True and refusal.hit is None


def test_small_set_hit_rate_and_mrr_match_a_hand_computation(small_run):
    k = small_run.summary.k
    by_id = {r.case.id: r.answer.retrieved_ids[:k] for r in small_run.results}
    rr_passing = 1 / (by_id[PASSING].index("P4") + 1)
    assert "P8" not in by_id[FAILING]
    assert small_run.summary.hit_rate == pytest.approx(0.5)  # 1 of the 2 cases with cite_any
    assert small_run.summary.mrr == pytest.approx((rr_passing + 0.0) / 2, abs=1e-4)
    assert small_run.summary.pass_rate == pytest.approx(2 / 3, abs=1e-4)
    assert small_run.summary.refusal_accuracy == 1.0
    assert small_run.summary.mention_coverage == 0.0  # only the failing case has mention_all
    assert small_run.summary.personal_data_accuracy is None  # no case asks about it
    assert small_run.by_category["practice"].pass_rate == 1.0
    assert small_run.by_category["approach"].pass_rate == 0.0


def test_json_has_the_contract_keys(small_run):
    data = json.loads(json.dumps(to_json(small_run)))
    assert {"cases", "summary"} <= data.keys()
    assert [c["id"] for c in data["cases"]] == [PASSING, FAILING, REFUSAL]
    for case in data["cases"]:
        assert CASE_KEYS <= case.keys()
        assert {"category", "question", "history", "expected", "checks", "citations", "passages", "failures"} <= case.keys()
    assert SUMMARY_KEYS <= data["summary"].keys()
    assert SUMMARY_KEYS <= data["summary"]["by_category"]["practice"].keys()
    assert data["cases"][1]["expected"] == {"cite_any": ["P8"], "mention_all": [["lasagne"]]}


def test_compare_runs_three_modes(small_run):
    data = to_json(small_run)
    assert set(data["compare"]) == {"hybrid", "dense", "bm25"}
    assert all(SUMMARY_KEYS <= scores.keys() for scores in data["compare"].values())
    assert "Retrieval modes compared:" in format_text(small_run)


def test_history_mention_alternatives_and_personal_data_are_scored(assistant, tmp_path):
    path = write(tmp_path, """
- id: third-one
  question: Tell me more about the third one
  history: ["What are the eight practices?"]
  expect: {cite_any: [P3], mention_all: [[lasagne, mapping information]], personal_data_warning: false}
- id: named-child
  question: My son Jack Smith born 3/4/2019 needs help, what does P3 say?
  expect: {personal_data_warning: true}
- id: "<script>alert(1)</script>"
  question: What does mapping information involve?
  expect: {personal_data_warning: true}
""")
    run = run_eval(assistant, load_cases([path]), k=5)
    results = {r.case.id: r for r in run.results}
    assert results["third-one"].passed, results["third-one"].failures
    assert results["named-child"].passed and results["named-child"].answer.personal_data
    assert results["<script>alert(1)</script>"].failures == [
        "personal data: expected the personal-data warning, but none was shown"]
    assert run.summary.personal_data_accuracy == pytest.approx(2 / 3, abs=1e-4)
    html = render_html(run)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_regressions_are_cases_that_passed_in_the_baseline_and_fail_now(small_run, tmp_path):
    baseline = tmp_path / "before.json"
    before = to_json(small_run)
    for case in before["cases"]:
        case["passed"] = True
    baseline.write_text(json.dumps(before), encoding="utf-8")
    small_run.mark_regressions(load_baseline(baseline))
    try:
        assert [r.case.id for r in small_run.regressions or []] == [FAILING]
        assert to_json(small_run)["regressions"][0]["id"] == FAILING
        assert f"  {FAILING}: What are the four approaches?" in format_text(small_run)
    finally:
        small_run.regressions = None


def test_a_baseline_that_is_not_an_eval_result_is_an_error(tmp_path):
    path = write(tmp_path, '{"results": []}', "before.json")
    with pytest.raises(EvalFileError, match="not an evaluation result"):
        load_baseline(path)


def cli(settings, *args: str) -> int:
    return main(["--data-dir", str(settings.data_dir), "--corpus-dir", str(settings.corpus_dir), "eval", "--quiet", *args])


def test_cli_exits_0_and_writes_json_and_report(settings, built_index, tmp_path, capsys):
    out, report = tmp_path / "run.json", tmp_path / "report.html"
    assert cli(settings, str(SMALL), "--json", str(out), "--report", str(report)) == 0
    printed = capsys.readouterr().out
    assert "overall" in printed and "Failed cases: 1 of 3" in printed and FAILING in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["pass_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_exits_1_when_the_pass_rate_is_under_fail_under(settings, built_index, capsys):
    assert cli(settings, str(SMALL), "--fail-under", "0.99") == 1
    assert "below --fail-under 0.99" in capsys.readouterr().err


def test_cli_exits_1_with_one_line_on_a_malformed_file(settings, tmp_path, capsys):
    path = write(tmp_path, "- id: p3-start\n  question: Where?\n  expects: {}\n")
    assert cli(settings, str(path)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: case 'p3-start': unknown field 'expects'")


def test_report_shows_summary_and_expands_the_failed_case_in_chromium(small_run, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: run `make browser` (apt-get install -y chromium)")
    path = tmp_path / "report.html"
    path.write_text(render_html(small_run), encoding="utf-8")
    failing = next(r for r in small_run.results if r.case.id == FAILING)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(path.as_uri())
            summary = page.locator("table.summary")
            assert summary.is_visible()
            assert "pass" in summary.inner_text() and "0.667" in summary.inner_text()
            case = page.locator(f"details[data-case='{FAILING}']")
            assert case.locator("summary").is_visible() and FAILING in case.locator("summary").inner_text()
            assert page.locator("details.case").first.get_attribute("data-case") == FAILING  # failed first
            answer = case.locator(".answer")
            assert not answer.is_visible()
            case.locator("summary").click()
            assert answer.is_visible()
            assert answer.inner_text().strip().startswith(failing.answer.text.splitlines()[0])
        finally:
            browser.close()


# --- the lead metric and the answer-type breakdown


def answer(text: str, refused: bool = False, answer_type: str | None = None) -> Answer:
    made = Answer(text=text, citations=[], refused=refused, confidence="high", retrieved_ids=[])
    if answer_type is not None:
        made.answer_type = answer_type  # type: ignore[attr-defined]  # what the question reader will set
    return made


def test_first_sentence_ends_at_a_full_stop_question_or_exclamation_mark_followed_by_space():
    assert first_sentence("Practice 5 is about local information. Then more.") == "Practice 5 is about local information"
    assert first_sentence("Is it P5? Yes it is.") == "Is it P5"
    assert first_sentence("It is! Really.") == "It is"
    assert first_sentence("The grant is £2.8 million. It runs five years.") == "The grant is £2.8 million"


def test_first_sentence_ends_at_a_new_line_and_ignores_leading_space():
    assert first_sentence("\n  The four Approaches are:\n1. Integrating voice") == "The four Approaches are:"


def test_first_sentence_drops_citation_labels_even_ones_with_full_stops_inside():
    text = "Hampshire rings parents [Hampshire]. The call is used [P7 Improving voice. In operation]."
    assert first_sentence(text) == "Hampshire rings parents"
    assert first_sentence("[Project overview] The Nuffield Foundation funds it. More.") == "The Nuffield Foundation funds it"
    assert first_sentence("Mapping information [P3 Mapping information] is the third Practice.") == (
        "Mapping information is the third Practice")


def test_a_mention_counts_in_any_entry_and_any_alternative_case_insensitively():
    mentions = (("pregnancy",), ("second birthday", "age two"))
    assert carries_mention("Oldham looked from birth to AGE TWO", mentions)
    assert carries_mention("It started in Pregnancy", mentions)
    assert not carries_mention("Oldham looked at early language", mentions)
    assert carries_mention("the second\n birthday", mentions)  # white space is folded like the mention check


def test_lead_is_none_for_refusals_and_cases_without_mentions():
    assert lead_of(Expect(refuse=True, mention_all=(("x",),)), "x") is None
    assert lead_of(Expect(cite_any=("P3",)), "anything") is None
    assert lead_of(Expect(mention_all=(("x",),)), "x marks it") is True


def test_score_case_sets_lead_from_the_first_sentence_only():
    case = Case(id="roundtable", question="When was the roundtable?", expect=Expect(mention_all=(("8 November 2023",),)))
    late = score_case(case, answer("The roundtable looked at consent [Voice]. It met on 8 November 2023."), k=5)
    assert late.mentions == 1.0 and late.lead is False and late.passed  # reported, not a pass check
    early = score_case(case, answer("It met on 8 November 2023 [Voice]. It looked at consent."), k=5)
    assert early.lead is True
    refused = score_case(Case(id="s47", question="s47?", expect=Expect(refuse=True)), answer("Not covered.", True), k=5)
    assert refused.lead is None


def test_summary_averages_lead_over_the_cases_it_applies_to_and_groups_by_answer_type():
    mention = Expect(mention_all=(("nuffield",),))
    results = [score_case(Case(id=f"c{n}", question="Who pays?", expect=e), answer(text, answer_type=kind), k=5)
               for n, (e, text, kind) in enumerate([(mention, "Nuffield pays. Yes.", "person"),
                                                     (mention, "It is funded. By Nuffield.", "person"),
                                                     (Expect(refuse=True), "No.", ""),
                                                     (mention, "Nuffield. Funds.", None)])]
    assert Summary.of(results, 5).lead == pytest.approx(2 / 3, abs=1e-4)
    groups = Summary.grouped(results, lambda r: r.answer_type, 5)
    assert list(groups) == ["person", "unknown"]  # an empty answer_type and a missing one both read "unknown"
    assert groups["person"].lead == 0.5 and groups["person"].cases == 2
    assert groups["unknown"].lead == 1.0 and groups["unknown"].cases == 2


def test_naive_baseline_picks_the_retrieved_sentence_closest_to_the_question(embedder):
    naive = NaiveLead(embedder)
    passages = [{"text": "Rochdale works with the Local Government Association on its early years strategy."},
                {"text": "The project has two principles. On 8 November 2023 a Nuffield Foundation roundtable "
                         "considered consent to data use."}]
    assert naive.sentence("When did the Nuffield roundtable take place?", passages).startswith("On 8 November 2023")
    assert naive.sentence("Which organisations does Rochdale work with?", passages).startswith("Rochdale works")
    assert naive.sentence("anything", []) == ""


def test_small_run_reports_lead_per_case_category_overall_and_by_answer_type(small_run):
    results = {r.case.id: r for r in small_run.results}
    assert results[FAILING].lead is False and results[FAILING].naive_lead is False  # nothing says lasagne
    assert results[PASSING].lead is None and results[REFUSAL].lead is None
    assert small_run.summary.lead == 0.0 and small_run.summary.naive_lead == 0.0
    assert small_run.by_category["approach"].lead == 0.0 and small_run.by_category["practice"].lead is None
    types = {r.answer_type for r in small_run.results}
    assert set(small_run.by_answer_type) == types
    assert sum(s.cases for s in small_run.by_answer_type.values()) == 3


def test_lead_and_answer_types_appear_in_text_json_and_html(small_run):
    text = format_text(small_run)
    header = next(line for line in text.splitlines() if line.startswith("group"))
    assert header.split()[6:9] == ["mention", "lead", "naive"]
    assert "By the expected answer type" in text
    assert "first sentence lacks an expected mention (lead)" in text
    data = json.loads(json.dumps(to_json(small_run)))
    assert data["summary"]["lead"] == 0.0 and data["summary"]["by_category"]["approach"]["lead"] == 0.0
    assert set(data["summary"]["by_answer_type"]) == {r.answer_type for r in small_run.results}
    assert all({"lead", "naive_lead"} <= s.keys() for s in data["summary"]["by_answer_type"].values())
    assert [c["lead"] for c in data["cases"]] == [None, False, None]
    assert all(c["answer_type"] and isinstance(c["first_sentence"], str) for c in data["cases"])
    assert all("lead" in scores for scores in data["compare"].values())
    html = render_html(small_run)
    assert "<th>lead</th>" in html and "<th>naive</th>" in html
    assert "<h2>By expected answer type</h2>" in html and "table class='answer-types'" in html
    assert "First sentence:" in html
