"""Language-model backends: the real langchain-openai client against a scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.cli import main
from assistant.config import Settings
from assistant.errors import BackendError
from assistant.generate import LLM_UNAVAILABLE, LLM_UNGROUNDED
from assistant.llm import build_chat_model
from assistant.service import Assistant

from .scripted_llm import Reply, ScriptedLLM

QUESTION = "What does mapping information involve?"
GROUNDED = ("Mapping information is the third of the Framework's eight Practices [P3].\n"
            "- It sits next to Practice 4, Mapping systems, in the Framework's list [P3][P4].")
INVENTED = "Mapping information requires every council to finish a data audit within six months [P3]."
SECRET = "sk-test-0123456789abcdef"
SMALL = Path(__file__).resolve().parent / "data" / "eval_small.yaml"


def llm_assistant(assistant: Assistant, url: str, **settings: object) -> Assistant:
    """An assistant on the shared index whose answers come from the server at `url` via langchain-openai."""
    own = replace(assistant.settings, llm="openai", llm_base_url=url, llm_model="scripted", **settings)
    return Assistant(own, embedder=assistant.embedder, store=assistant.store)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_grounded_answer_streams_over_sse_with_citations(assistant, monkeypatch, caplog):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    with ScriptedLLM([Reply(GROUNDED, chunk_words=2)]) as server:
        llm = llm_assistant(assistant, server.url)
        items = list(llm.stream(QUESTION))
    partial, (answer, turn) = items[:-1], items[-1]
    assert len(partial) > 5 and partial[0] in GROUNDED, "the page sees the answer grow token by token"
    assert answer.text.splitlines() == [
        "Mapping information is the third of the Framework's eight Practices. [P3 Mapping information]",
        "- It sits next to Practice 4, Mapping systems, in the Framework's list. [P3 Mapping information] "
        "[P4 Mapping systems]"]
    assert answer.cited_ids == ["P3", "P4"] and turn.cited == ["P3", "P4"] and not answer.notices
    assert [g["kept"] for g in answer.grounding] == [True, True]
    request = server.requests[0]
    assert request["stream"] is True and request["model"] == "scripted" and request["temperature"] == 0
    system, user = request["messages"]
    assert "only from the passages" in system["content"] and "[P3] Mapping information" in user["content"]
    assert server.headers[0]["authorization"] == f"Bearer {SECRET}", "the key is read when the client is built"
    assert SECRET not in caplog.text and SECRET not in repr(llm.generator.model)


def test_ollama_backend_streams_the_same_grounded_answer(assistant, monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", SECRET)
    with ScriptedLLM([GROUNDED]) as server:
        own = replace(assistant.settings, llm="ollama", llm_base_url=server.url.removesuffix("/v1"),
                      llm_model="llama3.1")
        items = list(Assistant(own, embedder=assistant.embedder, store=assistant.store).stream(QUESTION))
    answer, _turn = items[-1]
    assert len(items) > 5 and answer.cited_ids == ["P3", "P4"] and not answer.notices
    assert server.requests[0]["model"] == "llama3.1" and server.requests[0]["messages"][0]["role"] == "system"
    assert server.headers[0]["authorization"] == f"Bearer {SECRET}"


def test_invented_claim_is_removed_by_the_grounding_check(assistant):
    with ScriptedLLM([f"{GROUNDED} {INVENTED}"]) as server:
        answer = llm_assistant(assistant, server.url).ask(QUESTION)
    assert "six months" not in answer.text and answer.text.startswith("Mapping information is the third")
    removed = [g for g in answer.grounding if not g["kept"]]
    assert [g["sentence"] for g in removed] == [INVENTED.replace(" [P3]", "")]
    assert answer.notices == ["Left out 1 sentence(s) of the language model's answer that the passages they cite "
                              "do not support."]


def test_citation_of_an_id_that_was_not_retrieved_is_dropped(assistant):
    retrieved = assistant.ask(QUESTION).retrieved_ids
    assert "P8" not in retrieved
    reply = ("Mapping information is the third of the Framework's eight Practices [P3][P8]. "
             "National datasets can be compared with local information [P8].")
    with ScriptedLLM([reply]) as server:
        answer = llm_assistant(assistant, server.url).ask(QUESTION)
    assert answer.cited_ids == ["P3"] and "P8" not in answer.text
    first, second = answer.grounding
    assert first["kept"] and first["dropped_ids"] == ["P8"]
    assert not second["kept"] and second["reason"] == "cites no retrieved passage"


def test_follow_up_is_condensed_into_a_standalone_question_for_retrieval(assistant):
    standalone = "How does Mapping information relate to Mapping systems?"
    with ScriptedLLM([GROUNDED, standalone]) as server:
        session = llm_assistant(assistant, server.url).session()
        session.ask(QUESTION)
        answer = session.ask("How does it relate to the next one?")
    condense, follow_up = server.requests[1], server.requests[2]
    assert condense.get("stream") is not True
    assert "standalone question" in condense["messages"][0]["content"]
    assert "User: What does mapping information involve? (answered from Mapping information" in \
        condense["messages"][1]["content"]
    assert "Latest message: How does it relate to the next one?" in condense["messages"][1]["content"]
    assert answer.query == standalone
    assert follow_up["messages"][1]["content"].rstrip().endswith(f"Question: {standalone}")
    assert not answer.refused and "P4" in answer.retrieved_ids


def test_server_down_gives_the_extractive_answer_with_a_notice(assistant):
    started = time.perf_counter()
    answer = llm_assistant(assistant, f"http://127.0.0.1:{closed_port()}/v1").ask(QUESTION)
    assert time.perf_counter() - started < 5, "no retries against a server that is down"
    assert answer.text == assistant.ask(QUESTION).text
    assert answer.notices == [LLM_UNAVAILABLE] and not answer.grounding


def test_server_timing_out_gives_the_extractive_answer_with_a_notice(assistant):
    with ScriptedLLM([Reply(GROUNDED, delay=3.0)]) as server:
        started = time.perf_counter()
        answer = llm_assistant(assistant, server.url, llm_timeout=0.5).ask(QUESTION)
        elapsed = time.perf_counter() - started
    assert elapsed < 2.5, f"waited {elapsed:.1f} s for a 0.5 s timeout"
    assert answer.text == assistant.ask(QUESTION).text and answer.notices == [LLM_UNAVAILABLE]


def test_a_down_server_is_not_waited_for_twice_on_a_follow_up(assistant):
    with ScriptedLLM([GROUNDED, Reply("unused", delay=3.0)]) as server:
        session = llm_assistant(assistant, server.url, llm_timeout=0.5).session()
        session.ask(QUESTION)
        started = time.perf_counter()
        answer = session.ask("Tell me more about it")
        elapsed = time.perf_counter() - started
    assert answer.notices == [LLM_UNAVAILABLE] and elapsed < 2.5
    assert len(server.requests) == 2, "no answer request after the condense request timed out"


@pytest.mark.parametrize("reply, notice", [
    (Reply(raw=b"<html>502 Bad Gateway</html>"), LLM_UNAVAILABLE),
    (Reply(status=500), LLM_UNAVAILABLE),
    (Reply("asdf qwer zxcv uiop"), LLM_UNGROUNDED),
])
def test_garbage_from_the_server_gives_the_extractive_answer_with_a_notice(assistant, reply, notice):
    with ScriptedLLM([reply]) as server:
        answer = llm_assistant(assistant, server.url).ask(QUESTION)
    assert answer.text == assistant.ask(QUESTION).text and answer.notices == [notice]


def test_out_of_scope_question_never_reaches_the_model(assistant):
    with ScriptedLLM() as server:
        answer = llm_assistant(assistant, server.url).ask("What is the capital of France?")
    assert answer.refused and server.requests == []


def test_backends_are_chosen_by_settings_and_misconfiguration_is_explained(monkeypatch):
    monkeypatch.delenv("ASSISTANT_LLM_API_KEY", raising=False)
    assert build_chat_model(Settings()) is None
    with pytest.raises(BackendError, match="not a backend: use one of none, openai, ollama"):
        build_chat_model(Settings(llm="gpt"))
    with pytest.raises(BackendError, match="set ASSISTANT_LLM_MODEL"):
        build_chat_model(Settings(llm="openai", llm_base_url="http://127.0.0.1:1/v1"))
    with pytest.raises(BackendError, match="needs a key: set ASSISTANT_LLM_API_KEY"):
        build_chat_model(Settings(llm="openai", llm_model="gpt-4o-mini"))
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", SECRET)
    ollama = build_chat_model(Settings(llm="ollama", llm_model="llama3.1", llm_timeout=7))
    assert type(ollama).__name__ == "ChatOllama" and ollama.base_url == "http://127.0.0.1:11434"
    assert SECRET not in repr(ollama) and SECRET not in str(ollama.model_dump())
    settings = Settings.from_env({"ASSISTANT_LLM": "openai", "ASSISTANT_LLM_MODEL": "m", "ASSISTANT_LLM_TIMEOUT": "2.5",
                                  "ASSISTANT_LLM_BASE_URL": "http://127.0.0.1:1/v1"})
    openai = build_chat_model(settings)
    assert openai.request_timeout == 2.5 and openai.max_retries == 0
    assert SECRET not in repr(openai) and SECRET not in str(openai.model_dump())


def test_ask_and_eval_commands_take_llm_and_the_report_shows_removals(settings, built_index, tmp_path, monkeypatch,
                                                                     capsys):
    reply = ("Mapping systems is the fourth of the Framework's eight Practices [P4]. "
             "Mapping systems means buying new software every year [P4].")
    with ScriptedLLM([reply, reply]) as server:
        monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", server.url)
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "scripted")
        base = ["--data-dir", str(settings.data_dir), "--corpus-dir", str(settings.corpus_dir)]
        assert main([*base, "ask", "--llm", "openai", "What does mapping systems involve?"]) == 0
        asked = capsys.readouterr().out
        out, report = tmp_path / "run.json", tmp_path / "report.html"
        assert main([*base, "eval", "--quiet", "--llm", "openai", str(SMALL), "--json", str(out),
                     "--report", str(report)]) == 0
        printed = capsys.readouterr().out
    assert asked.startswith("Note: Left out 1 sentence(s)") and "[P4 Mapping systems]" in asked
    assert "buying new software" not in asked
    assert len(server.requests) == 2, "the structure question and the refusal never reach the model"
    assert "Answers by openai scripted. Grounding check: 2 sentences in 1 answers, 1 kept, 1 removed" in printed
    assert "removed from p4-mapping-systems: Mapping systems means buying new software every year." in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["answerer"] == "openai scripted" and data["grounding"]["removed"] == 1
    html = report.read_text(encoding="utf-8")
    assert "<h2>Grounding check</h2>" in html and "<tr class='removed'><td>removed</td>" in html


def test_chat_page_streams_the_model_answer(assistant):
    from assistant.ui import build_app, launch

    with ScriptedLLM([Reply(GROUNDED, delay=0.0)]) as server:
        llm = llm_assistant(assistant, server.url)
        app = build_app(llm, llm.settings)
        url = launch(app, "127.0.0.1", closed_port())
        try:
            job = Client(url, verbose=False).submit(QUESTION, api_name="/ask")
            final = job.result()
            outputs = job.outputs()
        finally:
            app.close()
    texts = [o[0][-1]["content"] for o in outputs]
    assert len(texts) > 5, "a placeholder, then the answer token by token"
    assert "It sits next to Practice 4" in str(final[0][-1]["content"])
    assert final[-1]["cited_ids"] == ["P3", "P4"]
