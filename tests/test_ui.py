"""The chat page, driven through gradio_client and headless Chromium against a real server and index."""

from __future__ import annotations

import logging
import shutil
import socket
import threading
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest
from gradio_client import Client

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from assistant.ui import THANKS, build_app, launch

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
SCRIPT = "<script>alert(1)</script>"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def chat_page(assistant: Assistant, settings: Settings) -> Iterator[str]:
    """Serve the real page in a background thread (launch never blocks); yields its URL, then stops it."""
    app = build_app(assistant, settings)
    page_url = launch(app, "127.0.0.1", free_port())
    try:
        yield page_url
    finally:
        app.close()


@pytest.fixture(scope="module")
def url(assistant, settings):
    """The chat page over the shared real index."""
    with chat_page(assistant, settings) as page_url:
        yield page_url


def ask(client: Client, question: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ask through the page's /ask endpoint; returns the chat messages and the answer summary."""
    messages, _box, _chips, _confidence, _panel, _status, summary = client.predict(question, api_name="/ask")
    return messages, summary


def text_of(message: dict[str, Any]) -> str:
    """A chat message's text, whichever content shape Gradio returns."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def test_question_cites_mapping_information_and_follow_up_stays_on_it(url):
    client = Client(url, verbose=False)
    messages, first = ask(client, "What does mapping information involve?")
    assert "P3" in first["cited_ids"] and not first["refused"]
    assert first["confidence"] in ("strong match", "partial match")
    assert "[P3 Mapping information]" in text_of(messages[-1])

    messages, follow = ask(client, "Which site gave an example of it?")
    assert {"P3", "site-hampshire", "site-north-yorkshire", "site-oldham", "site-rochdale"} & set(follow["cited_ids"])
    assert len(messages) == 4, "the conversation keeps both exchanges"


def test_answer_arrives_progressively_and_chips_open_the_passage(url):
    client = Client(url, verbose=False)
    job = client.submit("What does mapping information involve?", api_name="/ask")
    final = job.result()
    assert len(job.outputs()) >= 3, "a placeholder, then the answer growing line by line"
    assert "Searching" in text_of(job.outputs()[0][0][-1])
    chips = final[2]
    assert chips["visible"] and chips["choices"][0][0].startswith("[P3 Mapping information]")
    panel = client.predict(chips["choices"][0][1], api_name="/passage")
    assert "Mapping information" in panel and "<mark>" in panel
    assert "https://" in panel


def test_out_of_scope_question_is_refused_with_the_topics_it_can_help_with(url):
    client = Client(url, verbose=False)
    messages, _box, chips, confidence, _panel, _status, summary = client.predict(
        "What is the capital of France?", api_name="/ask")
    assert summary["refused"] and summary["cited_ids"] == []
    assert "I can help with" in text_of(messages[-1]) and "Approaches" in text_of(messages[-1])
    assert "No match" in confidence and chips["visible"] is False


def test_new_conversation_forgets_the_earlier_turns(url):
    client = Client(url, verbose=False)
    ask(client, "What are the four Approaches?")
    messages, _box, chips, confidence, *_ = client.predict(api_name="/new_conversation")
    assert messages == [] and chips["visible"] is False and confidence == ""
    messages, summary = ask(client, "what about the third one?")
    assert len(messages) == 2
    assert summary["cited_ids"][:1] != ["A3"], "the ordinal no longer points into the cleared list"


def test_two_users_in_parallel_each_get_their_own_follow_up(url):
    conversations = {
        "enablers": ("What are the System Enablers?", "tell me more about the second one"),
        "approaches": ("What are the four Approaches?", "what about the third one?"),
    }
    results: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def converse(name: str) -> None:
        try:
            client = Client(url, verbose=False)
            first, second = conversations[name]
            ask(client, first)
            _, summary = ask(client, second)
            results[name] = summary["cited_ids"]
        except BaseException as exc:  # noqa: BLE001 - reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=converse, args=(n,)) for n in conversations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert results["enablers"][0] == "E2"
    assert results["approaches"][0] == "A3"


def test_missing_index_shows_a_friendly_message_and_the_page_keeps_working(settings, embedder, tmp_path, url):
    empty = replace(settings, data_dir=tmp_path / "no-index")
    with chat_page(Assistant(empty, embedder=embedder), empty) as broken_url:
        client = Client(broken_url, verbose=False)
        for _ in range(2):
            messages, summary = ask(client, "What are the four Approaches?")
            shown = text_of(messages[-1])
            assert "assistant index" in shown and "Traceback" not in shown
            assert summary["error"] and not summary["cited_ids"]
    _, summary = ask(Client(url, verbose=False), "What are the four Approaches?")
    assert summary["cited_ids"][:5] == ["framework", "A1", "A2", "A3", "A4"]


def test_unexpected_error_is_logged_without_the_question(settings, embedder, built_index, caplog):
    # A real misconfiguration: the question guard refuses a maximum length below 1 with a ValueError.
    broken = replace(settings, max_question_chars=0)
    with caplog.at_level(logging.ERROR, logger="assistant.ui"):
        with chat_page(Assistant(broken, embedder=embedder), broken) as broken_url:
            messages, summary = ask(Client(broken_url, verbose=False), "Secret question about Kylie")
    assert "something went wrong" in text_of(messages[-1])
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "assistant.ui")
    assert "ValueError" in logged and "Kylie" not in logged


def test_script_in_question_comes_back_as_text(url):
    messages, summary = ask(Client(url, verbose=False), SCRIPT)
    user = text_of(messages[-2])
    assert "<script>" not in user and "&lt;script&gt;" in user


def test_feedback_stores_the_redacted_question(url, settings):
    client = Client(url, verbose=False)
    messages, summary = ask(client, "My name is Jane Smith. What does mapping information involve?")
    assert summary["personal_data"] and "Jane" not in text_of(messages[-2])
    assert "Personal details removed" in text_of(messages[-1])
    status, comment_box = client.predict("Helpful, thanks Jane", api_name="/thumbs_up")
    assert status == THANKS and comment_box == ""
    row = FeedbackStore(settings.data_dir).rows()[-1]
    assert row.rating == 1 and "P3" in row.citations.split(",")
    assert (row.question, row.answer) == ("", ""), "feedback keeps only what the user sent (issue 12)"
    assert "Jane" not in row.comment and row.index_version


def test_feedback_before_any_answer_asks_for_a_question_first(url):
    status, _ = Client(url, verbose=False).predict("", api_name="/thumbs_down")
    assert "Ask a question first" in status


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_browser_chat_citation_feedback_and_narrow_screen(browser, url, settings):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="domcontentloaded")
    box = page.get_by_label("Your question")
    box.wait_for(timeout=30_000)

    box.fill("What does mapping information involve?")
    box.press("Enter")
    page.wait_for_selector("#confidence :text('Match with the Framework material')", timeout=60_000)
    assert "Mapping information is" in page.inner_text("#chatbot")

    page.locator("#citations label").first.click()
    page.wait_for_selector("#passage mark", timeout=20_000)
    passage = page.inner_text("#passage")
    assert "Mapping information" in passage and "Read the public source" in passage
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    comment = "browser test: wanted more detail"
    page.get_by_label("Comment on the latest answer (optional)").fill(comment)
    page.locator("#thumbs-down").click()
    page.wait_for_selector(f"#feedback-status :text('{THANKS}')", timeout=20_000)
    rows = [r for r in FeedbackStore(settings.data_dir).rows() if r.comment == comment]
    assert len(rows) == 1 and rows[0].rating == -1 and "P3" in rows[0].citations
    assert rows[0].question == ""  # nothing of the question is kept unless ASSISTANT_LOG_QUESTIONS=redacted

    box.fill(SCRIPT)
    box.press("Enter")
    page.locator("#chatbot").get_by_text(SCRIPT).wait_for(timeout=60_000)
    page.wait_for_selector("#confidence :text('No match')", timeout=60_000)
    assert dialogs == []

    page.set_viewport_size({"width": 320, "height": 800})
    box.scroll_into_view_if_needed()
    assert box.is_visible()
    bounds = box.bounding_box()
    assert bounds is not None and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 320
    page.screenshot(path=str(ARTIFACTS / "chat-320.png"), full_page=True)
    page.close()


def test_browser_framework_map_asks_about_the_chosen_element(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#starter-0").wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "start.png"), full_page=True)
    page.get_by_role("tab", name="Framework browser").click()
    page.locator("#element-P3").click()
    page.wait_for_selector("#element-text :text('Examples from partner sites')", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "browser.png"), full_page=True)
    page.locator("#ask-about").click()
    page.wait_for_selector("#chatbot :text('What is Mapping information?')", timeout=30_000)
    page.wait_for_selector("#confidence :text('Match with the Framework material')", timeout=60_000)
    assert page.locator("#question").is_visible()
    page.close()


def test_passage_panel_escapes_corpus_text_and_refuses_script_links():
    from assistant.ui import passage_html

    citation = {"id": "P3", "title": "Mapping <b>information</b>", "heading": "What it is", "page": 4,
                "passage": "First sentence <script>x()</script>.  Second   sentence here.",
                "sentences": ["Second sentence here."], "source_url": "javascript:alert(1)"}
    shown = passage_html(citation)
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "<b>" not in shown
    assert "<mark>Second   sentence here.</mark>" in shown and "Page 4" in shown
    assert "javascript:" not in shown
