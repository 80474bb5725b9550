"""An OpenAI-compatible chat server on loopback that replays scripted completions, streaming (SSE) included.

It also answers Ollama's /api/chat (streamed JSON lines), so both LangChain backends meet a real server.

    with ScriptedLLM([Reply("Mapping information is the third Practice [P3].")]) as server:
        settings = replace(settings, llm="openai", llm_base_url=server.url, llm_model="scripted")

Each request takes the next scripted reply; a reply may be text, a delay, an HTTP error or raw bytes.
With no script left, `echo` answers: it quotes the first sentence of the first passage with its id,
and rewrites a follow-up as the earlier question plus the follow-up. Every request body is kept.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

CONDENSE_MARK = "standalone question"


@dataclass
class Reply:
    """One scripted response."""

    text: str = ""
    delay: float = 0.0  # seconds before the first byte
    status: int = 200
    raw: bytes | None = None  # sent as the body instead of a well-formed completion
    chunk_words: int = 1  # words per streamed chunk


def echo(request: dict[str, Any]) -> Reply:
    """A fair stand-in model: quote the top passage's first sentence with its id, or condense plainly."""
    system, user = (_content(request, role) for role in ("system", "user"))
    if CONDENSE_MARK in system:
        earlier = re.findall(r"^User: (.*?)(?: \(answered from .*\))?$", user, re.M)
        latest = re.search(r"^Latest message: (.*)$", user, re.M)
        return Reply(" ".join(([earlier[-1]] if earlier else []) + ([latest.group(1)] if latest else [])))
    passage = re.search(r"^\[([^\]\s]+)\][^\n]*\n(.+)$", user, re.M)
    if passage is None:
        return Reply("The passages do not cover that question.")
    text = re.sub(r"^(?:[-*]|\d+\.)\s+|\*\*", "", passage.group(2)).strip()
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)[0].rstrip(":")
    return Reply(f"{first} [{passage.group(1)}]")


def _content(request: dict[str, Any], role: str) -> str:
    return "\n".join(str(m.get("content", "")) for m in request.get("messages", []) if m.get("role") == role)


class ScriptedLLM:
    """The server; use as a context manager. `requests` holds every request body, `headers` their headers (lower case)."""

    def __init__(self, script: list[Reply | str] | None = None,
                 fallback: Callable[[dict[str, Any]], Reply] = echo) -> None:
        self.script = [Reply(r) if isinstance(r, str) else r for r in script or []]
        self.fallback = fallback
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL a client is given (it appends /chat/completions)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "ScriptedLLM":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.pop(0)
        return self.fallback(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                reply = server.next_reply(body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self._respond(body, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _respond(self, body: dict[str, Any], reply: Reply) -> None:
                model = body.get("model", "scripted")
                if self.path == "/api/chat" and reply.raw is None and reply.status == 200:
                    self._respond_ollama(body, reply)
                    return
                if reply.raw is not None or reply.status != 200:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    payload = reply.raw if reply.raw is not None else json.dumps(
                        {"error": {"message": "scripted failure", "type": "server_error"}}).encode()
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if not body.get("stream"):
                    payload = json.dumps({
                        "id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                        "model": model, "choices": [{"index": 0, "finish_reason": "stop",
                                                     "message": {"role": "assistant", "content": reply.text}}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                words = re.split(r"(?<=\s)", reply.text)
                pieces = ["".join(words[i:i + reply.chunk_words]) for i in range(0, len(words), reply.chunk_words)]
                deltas = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces if p]
                for n, delta in enumerate(deltas + [{}]):
                    chunk = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": model, "choices": [{"index": 0, "delta": delta,
                                                          "finish_reason": "stop" if n == len(deltas) else None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _respond_ollama(self, body: dict[str, Any], reply: Reply) -> None:
                """Ollama's own /api/chat: one JSON object per line, the last one `done`."""
                words = re.split(r"(?<=\s)", reply.text) if body.get("stream", True) else [reply.text]
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                lines = [{"model": body.get("model"), "created_at": stamp, "done": False,
                          "message": {"role": "assistant", "content": w}} for w in words if w]
                lines.append({"model": body.get("model"), "created_at": stamp, "done": True, "done_reason": "stop",
                              "message": {"role": "assistant", "content": ""}})
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                for line in lines:
                    self.wfile.write(json.dumps(line).encode() + b"\n")
                    self.wfile.flush()

        return Handler
