"""The practitioners' chat page: a Gradio front end over `Assistant.answer`, holding no pipeline logic."""

from __future__ import annotations

import html
import logging
import os
import re
import sys
import time
import traceback
from dataclasses import asdict
from functools import partial
from typing import Any, Iterator

# Set before gradio is imported: it reads them at import time and would otherwise phone home.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

import gradio as gr  # noqa: E402

from .answer import Answer, Citation  # noqa: E402
from .api import Running, create_api, startup_notice  # noqa: E402
from .chat import Turn  # noqa: E402
from .config import Settings  # noqa: E402
from .elements import KIND_PLURAL, elements_of_kind, title_of  # noqa: E402
from .errors import AssistantError  # noqa: E402
from .feedback import FeedbackStore  # noqa: E402
from .logs import QuestionLog  # noqa: E402
from .service import Assistant  # noqa: E402

log = logging.getLogger(__name__)

TITLE = "CIP Framework assistant"
STARTERS = (
    "What are the four Approaches?",
    "How do we bring young people's voices into our reporting?",
    "What does mapping information involve?",
    "What are the System Enablers?",
)
NOTICE = ("This assistant answers questions about the Children's Information Project Framework for ethical "
          "and effective information use. It only knows the Framework material and cites where each point "
          "comes from. **Do not enter personal details about children or families.**")
THINKING = "_Searching the Framework material…_"
GENERIC_ERROR = ("Sorry, something went wrong while answering. Please try again, or start a new conversation. "
                 "If it keeps happening, tell the person who runs this service.")
PANEL_HINT = '<p class="panel-hint">Choose a source under an answer to read the passage it comes from.</p>'
THANKS = "Thanks, your feedback was saved."
LAYERS = ("approach", "practice", "enabler")
STREAM_PAUSE = 0.04  # seconds between answer lines, so the answer visibly arrives line by line
CSS = """
.passage mark { background: #fff0a0; color: #1b1b1b; padding: 0 .1em; }
.passage blockquote { white-space: pre-wrap; margin: .5em 0; padding-left: .8em; border-left: 4px solid #9aa4b2; }
.passage .meta { color: inherit; opacity: .85; }
#passage { overflow-wrap: anywhere; }
"""


def new_state() -> dict[str, Any]:
    """One browser session's conversation: shown messages, remembered turns, the latest answer."""
    return {"messages": [], "turns": [], "citations": [], "last": None}


def esc(text: str) -> str:
    """Text safe to place in HTML or Markdown: tags show as text."""
    return html.escape(text, quote=True)


def answer_markdown(answer: Answer, lines: int | None = None) -> str:
    """The chat bubble for an answer: a personal-data warning and notices first, then its lines."""
    head: list[str] = []
    if answer.personal_data:
        head.append("**⚠️ Personal details removed from your question.**")
    head += [f"> {esc(n)}" for n in answer.notices]
    body = [esc(line) for line in answer.text.splitlines()]
    shown = body if lines is None else body[:lines]
    return "\n\n".join(part for part in ("\n".join(head), "\n".join(shown)) if part)


def confidence_markdown(answer: Answer) -> str:
    """How well the material matched, in plain words."""
    if answer.refused:
        return "**No match in the Framework material.** The answer above lists what I can help with."
    if answer.confidence == "no question":
        return ""
    return f"**Match with the Framework material:** {esc(answer.confidence)}"


def chip_choices(citations: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Radio choices for the sources: the inline label, plus the heading when a label repeats."""
    labels = [Citation(**c).label for c in citations]
    return [(f"{lab} · {c['heading']}" if labels.count(lab) > 1 and c["heading"] else lab, str(i))
            for i, (lab, c) in enumerate(zip(labels, citations))]


def highlight(passage: str, sentences: list[str]) -> str:
    """The passage as escaped HTML with each supporting sentence wrapped in <mark>."""
    out = esc(passage)
    for sentence in sentences:
        words = [re.escape(esc(w)) for w in sentence.split()]
        if words:
            out = re.sub(r"\s+".join(words), lambda m: f"<mark>{m.group(0)}</mark>", out, count=1)
    return out


def passage_html(c: dict[str, Any]) -> str:
    """The side panel for one citation: title, heading, highlighted passage, page and public link."""
    parts = [f'<article class="passage" aria-label="Cited passage"><h3>{esc(c["title"])} '
             f'<span class="meta">({esc(c["id"])})</span></h3>']
    if c.get("heading"):
        parts.append(f'<p class="meta"><strong>Section:</strong> {esc(c["heading"])}</p>')
    parts.append(f"<blockquote>{highlight(c['passage'], c.get('sentences') or [])}</blockquote>")
    if c.get("page"):
        parts.append(f'<p class="meta">Page {int(c["page"])}</p>')
    url = c.get("source_url") or ""
    if url.startswith(("https://", "http://")):
        parts.append(f'<p><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
                     f"Read the public source (opens in a new tab)</a></p>")
    return "".join(parts) + "</article>"


def summary(answer: Answer) -> dict[str, Any]:
    """The latest answer as JSON for API clients."""
    return {"text": answer.text, "cited_ids": answer.cited_ids, "refused": answer.refused,
            "confidence": answer.confidence, "personal_data": answer.personal_data, "notices": answer.notices,
            "index_version": answer.index_version, "error": None}


class Handlers:
    """The page's event handlers; everything per-user lives in the `state` they are given."""

    def __init__(self, assistant: Assistant, feedback: FeedbackStore) -> None:
        self.assistant = assistant
        self.feedback = feedback

    def respond(self, message: str | None, state: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        """Answer a question, yielding the growing answer; errors become a friendly chat message."""
        message = message or ""
        messages = list(state["messages"])
        limit = self.assistant.settings.max_question_chars
        if message.strip():
            messages.append({"role": "user", "content": esc(message[:limit])})  # a pasted megabyte is not echoed
        messages.append({"role": "assistant", "content": THINKING})
        yield (messages, state, "", gr.update(), "", gr.update(), gr.update(visible=False), "", gr.update())
        streamed = False
        try:
            for item in self.assistant.stream(message, [Turn(**t) for t in state["turns"]]):
                if isinstance(item, str):  # a language model's answer so far, already checked sentence by sentence
                    streamed = True
                    messages[-1] = {"role": "assistant", "content": esc(item)}
                    yield (messages, state, "", gr.update(), "", gr.update(), gr.update(), "", gr.update())
                else:
                    answer, turn = item
        except AssistantError as exc:
            yield self._failed(state, messages, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the page must keep working; details go to the log
            # Only the type and frames are logged: the message could quote the user's question.
            log.error("Unexpected %s while answering:\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            yield self._failed(state, messages, GENERIC_ERROR)
            return
        if turn.question and (answer.personal_data or len(message) > limit):
            messages[-2] = {"role": "user", "content": esc(turn.question)}  # keep only what was used, redacted
        lines = len(answer.text.splitlines())
        for n in range(max(lines, 1) if streamed else 1, lines + 1):
            messages[-1] = {"role": "assistant", "content": answer_markdown(answer, n)}
            yield (messages, state, "", gr.update(), "", gr.update(), gr.update(), "", gr.update())
            time.sleep(STREAM_PAUSE)
        citations = [asdict(c) for c in answer.citations]
        new = {"messages": messages, "turns": state["turns"] + [asdict(turn)], "citations": citations,
               "last": {"question": turn.question, "answer": answer.text, "citations": answer.cited_ids,
                        "index_version": answer.index_version} if turn.question else None}
        chips = gr.update(choices=chip_choices(citations), value=None, visible=bool(citations))
        yield (messages, new, "", chips, confidence_markdown(answer), PANEL_HINT, gr.update(visible=False), "",
               summary(answer))

    @staticmethod
    def _failed(state: dict[str, Any], messages: list[dict[str, str]], text: str) -> tuple[Any, ...]:
        messages[-1] = {"role": "assistant", "content": f"**Sorry, I couldn't answer that.** {esc(text)}"}
        error = {"text": "", "cited_ids": [], "refused": True, "confidence": "", "error": text}
        return (messages, {**state, "messages": messages, "citations": [], "last": None}, "",
                gr.update(choices=[], value=None, visible=False),
                "", PANEL_HINT, gr.update(visible=False), "", error)

    @staticmethod
    def show_passage(choice: str | None, state: dict[str, Any]) -> str:
        """The side panel for the chosen source chip."""
        if choice is None or not choice.isdigit() or int(choice) >= len(state["citations"]):
            return PANEL_HINT
        return passage_html(state["citations"][int(choice)])

    @staticmethod
    def new_conversation() -> tuple[Any, ...]:
        """Forget this session's conversation and show the starter questions again."""
        return ([], new_state(), "", gr.update(choices=[], value=None, visible=False), "", PANEL_HINT,
                gr.update(visible=True), "", None, "")

    def rate(self, rating: int, comment: str, state: dict[str, Any]) -> tuple[str, str]:
        """Store a thumbs up (+1) or down (-1) on the latest answer."""
        last = state["last"]
        if last is None:
            return "Ask a question first, then rate the answer.", comment
        try:
            self.feedback.add(last["question"], last["answer"], last["citations"], rating, comment or "",
                              last["index_version"])
        except AssistantError as exc:
            return f"Sorry, your feedback could not be saved. {esc(str(exc))}", comment
        return THANKS, ""

    def show_element(self, doc_id: str) -> tuple[str, str, Any]:
        """A Framework element's text from the live index, with the button to ask about it."""
        try:
            chunks = self.assistant.snapshot().doc_chunks(doc_id)
        except AssistantError as exc:
            return f"**Sorry, the Framework text is not available.** {esc(str(exc))}", "", gr.update(visible=False)
        parts = [f"## {esc(doc_id)} {esc(title_of(doc_id))}"]
        heading = None
        for chunk in chunks:
            if chunk.heading != heading:
                heading = chunk.heading
                parts.append(f"### {esc(heading)}" if heading else "")
            elif parts[-1].endswith(("\n-", "\n*")):
                parts[-1] += " " + esc(chunk.text)  # a list item split between two chunks
                continue
            parts.append(esc(chunk.text))
        url = chunks[0].source_url if chunks else ""
        if url.startswith(("https://", "http://")):
            parts.append(f"[Read the public source]({url})")
        return "\n\n".join(parts), doc_id, gr.update(visible=True, value=f"Ask about {doc_id} in the chat")

    @staticmethod
    def ask_about(doc_id: str) -> tuple[Any, str]:
        """Switch to the chat tab with a question about the chosen element."""
        return gr.Tabs(selected="chat"), f"What is {title_of(doc_id)}?" if doc_id else ""


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    """The chat page and Framework browser for one loaded assistant."""
    h = Handlers(assistant, FeedbackStore.from_settings(settings))
    with gr.Blocks(title=TITLE) as app:
        state = gr.State(new_state())
        chosen = gr.State("")
        gr.Markdown(f"# {TITLE}")
        with gr.Tabs(selected="chat", elem_id="tabs") as tabs:
            with gr.Tab("Chat", id="chat", elem_id="chat-tab"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=240):
                        chatbot = gr.Chatbot(label="Conversation", elem_id="chatbot", sanitize_html=True,
                                             height=460, min_height=200, buttons=["copy"], feedback_options=None,
                                             placeholder="Ask a question about the Framework, or try one below.")
                        confidence = gr.Markdown(elem_id="confidence")
                        chips = gr.Radio(label="Sources: choose one to read the passage", choices=[],
                                         visible=False, elem_id="citations", min_width=200)
                        with gr.Column(elem_id="starters") as starters:
                            gr.Markdown("**Try asking:**")
                            starter_buttons = [gr.Button(q, size="sm", elem_id=f"starter-{i}")
                                               for i, q in enumerate(STARTERS)]
                        msg = gr.Textbox(label="Your question", elem_id="question", lines=1, max_length=4000,
                                         placeholder="Type a question and press Enter", autofocus=True)
                        with gr.Row():
                            send = gr.Button("Send", variant="primary", elem_id="send", min_width=100)
                            clear = gr.Button("New conversation", elem_id="new-conversation", min_width=100)
                        gr.Markdown(NOTICE, elem_id="notice")
                        gr.Markdown("**Was the latest answer helpful?**")
                        with gr.Group(elem_id="feedback"):
                            comment = gr.Textbox(label="Comment on the latest answer (optional)", lines=1,
                                                 elem_id="feedback-comment", max_length=2000)
                            with gr.Row():
                                up = gr.Button("👍 Helpful", elem_id="thumbs-up", min_width=100)
                                down = gr.Button("👎 Not helpful", elem_id="thumbs-down", min_width=100)
                        feedback_status = gr.Markdown(elem_id="feedback-status")
                    with gr.Column(scale=2, min_width=240):
                        gr.Markdown("### Source passage")
                        passage = gr.HTML(PANEL_HINT, elem_id="passage", label="Source passage")
                answer_json = gr.JSON(visible=False, label="Latest answer")
            with gr.Tab("Framework browser", id="browse", elem_id="browse-tab"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=240):
                        element_buttons = []
                        for kind in LAYERS:
                            gr.Markdown(f"### {KIND_PLURAL[kind]}")
                            for doc_id in elements_of_kind(kind):
                                button = gr.Button(f"{doc_id} {title_of(doc_id)}", size="sm",
                                                   elem_id=f"element-{doc_id}")
                                element_buttons.append((doc_id, button))
                    with gr.Column(scale=2, min_width=240):
                        element_text = gr.Markdown("Choose an Approach, Practice or System Enabler to read it.",
                                                   elem_id="element-text")
                        ask_button = gr.Button("Ask about this", visible=False, variant="primary", elem_id="ask-about")
            if settings.admin_password:
                from .admin import add_admin_tab  # only admins' pages carry the admin code

                add_admin_tab(assistant, settings)

        outputs = [chatbot, state, msg, chips, confidence, passage, starters, feedback_status, answer_json]
        ask = {"fn": h.respond, "outputs": outputs, "concurrency_limit": 4, "concurrency_id": "answer"}
        msg.submit(inputs=[msg, state], api_name="ask", **ask)
        send.click(inputs=[msg, state], api_visibility="private", **ask)
        for button in starter_buttons:
            button.click(inputs=[button, state], api_visibility="private", **ask)
        chips.input(h.show_passage, [chips, state], passage, api_name="passage")
        clear.click(h.new_conversation, None, outputs + [comment], api_name="new_conversation")
        chatbot.clear(h.new_conversation, None, outputs + [comment], api_visibility="private")
        up.click(partial(h.rate, 1), [comment, state], [feedback_status, comment], api_name="thumbs_up")
        down.click(partial(h.rate, -1), [comment, state], [feedback_status, comment], api_name="thumbs_down")
        for doc_id, button in element_buttons:
            button.click(partial(h.show_element, doc_id), None, [element_text, chosen, ask_button],
                         api_visibility="private")
        ask_button.click(h.ask_about, chosen, [tabs, msg], api_visibility="private").then(
            inputs=[msg, state], api_visibility="private", **ask)
    return app


def launch(app: gr.Blocks, host: str, port: int) -> str:
    """Start the page without blocking (no share link, no tracebacks to the browser); returns its URL."""
    _, url, _ = app.launch(server_name=host, server_port=port, share=False, show_error=False,
                           prevent_thread_lock=True, quiet=True, css=CSS, ssr_mode=False, footer_links=["api"])
    return url


def launch_with_api(app: gr.Blocks, assistant: Assistant, settings: Settings, host: str, port: int) -> Running:
    """Serve the page at "/" and the OpenAI-compatible API at /v1 on one port, without blocking."""
    api = create_api(assistant, settings)
    gr.mount_gradio_app(api, app, "/", server_name=host, server_port=port, show_error=False, css=CSS,
                        ssr_mode=False, footer_links=["api"])
    return Running(api, host, port)


def serve(settings: Settings, host: str, port: int) -> None:
    """Load the assistant, start the chat page and its API, and block until interrupted."""
    started = time.perf_counter()
    assistant = Assistant(settings, log=QuestionLog.from_settings(settings))
    try:
        assistant.snapshot()  # load the index now, so the first question is not the slow one
    except AssistantError as exc:
        print(f"warning: {exc} The page will say so until an index exists.", file=sys.stderr)
    app = build_app(assistant, settings)
    running = launch_with_api(app, assistant, settings, host, port)
    print(f"Chat page ready at {running.url} ({time.perf_counter() - started:.1f} s after start). Press Ctrl-C to stop.",
          flush=True)
    print(f"{startup_notice(settings)} OpenAI base URL: {running.url}v1", flush=True)
    try:
        while running.thread.is_alive():
            time.sleep(0.2)
    finally:
        running.close()
