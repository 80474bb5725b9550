"""An OpenAI-compatible API beside the chat page: a thin front end over `Assistant.answer`."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import re
import threading
import time
import traceback
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

import anyio
import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .answer import Answer
from .chat import Turn
from .config import Settings
from .errors import AssistantError
from .service import Assistant

log = logging.getLogger(__name__)

MODEL = "framework-assistant"
ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
PERSONAL_WARNING = "**⚠️ Personal details removed from your question.**"
GENERIC_ERROR = "Something went wrong while answering. Please try again; if it keeps happening, tell the service's owner."


@dataclass(frozen=True)
class ApiLimits:
    """The API's fixed limits (the per-key rate and body size are Settings)."""

    window_seconds: float = 60.0  # the rate limit counts requests in this sliding window
    concurrent_answers: int = 4  # as many as the page answers at once
    history_turns: int = 6  # earlier user messages replayed into the conversation, newest kept
    turn_cache_size: int = 4096  # conversation prefixes whose turns are remembered
    stream_words: int = 8  # words per streamed chunk


class ApiError(Exception):
    """A request the API turns down, answered with OpenAI's error JSON."""

    def __init__(self, status: int, message: str, kind: str, code: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.code, self.headers = status, message, kind, code, headers or {}

    def response(self) -> JSONResponse:
        """The error in OpenAI's shape."""
        body = {"error": {"message": self.message, "type": self.kind, "param": None, "code": self.code}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def bad_request(message: str, code: str = "invalid_request") -> ApiError:
    """A 400 in OpenAI's shape."""
    return ApiError(400, message, "invalid_request_error", code)


@dataclass(frozen=True)
class ChatRequest:
    """What the API uses of a chat-completions body."""

    question: str
    earlier: tuple[str, ...]
    stream: bool
    include_usage: bool


def _text_of(content: Any) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        parts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise bad_request("Only text content is supported: each content part needs type 'text' and a text.")
            parts.append(part["text"])
        return "\n".join(parts)
    raise bad_request("A message's content must be a string or a list of text parts.")


def parse_chat(body: bytes) -> ChatRequest:
    """Check a chat-completions body; the last user message is the question, earlier ones its history."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise bad_request("The request body is not valid JSON.", "invalid_json") from None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.", "invalid_json")
    if data.get("model") != MODEL:
        raise bad_request(f"Unknown model: use \"{MODEL}\" (GET /v1/models lists it).", "model_not_found")
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("`messages` must be a non-empty list of {role, content} objects.")
    users = []
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise bad_request("Each message needs a role: user, assistant or system.")
        text = _text_of(message.get("content"))
        if message["role"] == "user":  # system and assistant messages are not trusted: they change nothing
            users.append(text)
    if not users:
        raise bad_request("The conversation has no user message to answer.", "no_user_message")
    stream = data.get("stream", False)
    options = data.get("stream_options")
    if not isinstance(stream, bool) or not isinstance(options, (dict, type(None))):
        raise bad_request("`stream` must be true or false and `stream_options` an object.")
    return ChatRequest(users[-1], tuple(users[:-1]), stream, bool(stream and options and options.get("include_usage")))


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Gate:
    """Bearer keys (or loopback only, with none set) and a sliding-window rate per key."""

    def __init__(self, settings: Settings, limits: ApiLimits) -> None:
        raw = (settings.api_keys or "").split(",")
        self.keys = [k.strip().encode() for k in raw if k.strip()]
        self.rate, self.window = settings.api_rate, limits.window_seconds
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        """Admit a request or raise the ApiError to answer it with."""
        self.hit(self.identify(request))

    def identify(self, request: Request) -> str:
        """Whom the rate counts: a digest of the key, or the client address when no keys are set."""
        host = request.client.host if request.client else None
        if not self.keys:
            if not _is_loopback(host):
                raise ApiError(403, "This API answers only this machine until ASSISTANT_API_KEYS is set.",
                               "permission_error", "loopback_only")
            return f"address:{host}"
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        key = given.strip().encode()
        # Compare against every key, so timing says nothing about which one nearly matched.
        matched = [hmac.compare_digest(key, k) for k in self.keys]
        if scheme.lower() != "bearer" or not any(matched):
            raise ApiError(401, "Missing or wrong API key: send `Authorization: Bearer <key>`.",
                           "invalid_request_error", "invalid_api_key")
        return "key:" + hashlib.sha256(key).hexdigest()[:16]

    def hit(self, who: str) -> None:
        """Count one request; over the rate, raise a 429 saying when to retry."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(who, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.rate:
                wait = max(1, math.ceil(seen[0] + self.window - now))
                raise ApiError(429, f"Too many requests: at most {self.rate} a minute. Retry in {wait} s.",
                               "requests", "rate_limit_exceeded", {"Retry-After": str(wait)})
            seen.append(now)


class Conversations:
    """Answers the last user message after the earlier ones, remembering turns of conversations seen before."""

    def __init__(self, assistant: Assistant, limits: ApiLimits) -> None:
        self.assistant, self.limits = assistant, limits
        self._turns: OrderedDict[str, Turn] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, request: ChatRequest) -> tuple[Answer, int]:
        """The answer to the question and the words of the user messages it used."""
        earlier = list(request.earlier[-self.limits.history_turns:]) if self.limits.history_turns else []
        history: list[Turn] = []
        for n, question in enumerate(earlier):
            key = self._key(earlier[: n + 1])
            with self._lock:
                turn = self._turns.get(key)
            if turn is None:  # an earlier question this server has not answered in this conversation
                _, turn = self.assistant.answer(question, history)
                self._remember(key, turn)
            history.append(turn)
        answer, turn = self.assistant.answer(request.question, history)
        self._remember(self._key(earlier + [request.question]), turn)
        return answer, sum(_words(q) for q in earlier + [request.question])

    @staticmethod
    def _key(questions: list[str]) -> str:
        # A digest only: the raw questions (which may hold personal details) are not kept.
        return hashlib.sha256(json.dumps(questions).encode()).hexdigest()

    def _remember(self, key: str, turn: Turn) -> None:
        with self._lock:
            self._turns[key] = turn
            self._turns.move_to_end(key)
            while len(self._turns) > self.limits.turn_cache_size:
                self._turns.popitem(last=False)


def _words(text: str) -> int:
    return len(text.split())


def content_of(answer: Answer) -> str:
    """The message content: a personal-data warning and notices first, as on the page, then the cited answer."""
    head = ([PERSONAL_WARNING] if answer.personal_data else []) + [f"> {n}" for n in answer.notices]
    return "\n\n".join(part for part in ("\n".join(head), answer.text) if part)


def extras_of(answer: Answer) -> dict[str, Any]:
    """The top-level `citations` and `assistant` objects beside OpenAI's fields."""
    citations = [{"id": c.id, "label": c.label, "title": c.title, "heading": c.heading, "source_url": c.source_url,
                  "page": c.page, "passage": c.passage, "sentences": list(c.sentences)} for c in answer.citations]
    return {"citations": citations,
            "assistant": {"refused": answer.refused, "confidence": answer.confidence,
                          "personal_data": list(answer.personal_data), "notices": list(answer.notices),
                          "question": answer.question, "index_version": answer.index_version}}


def usage_of(prompt_words: int, content: str) -> dict[str, int]:
    """Usage in words, not tokens: the user messages used and the content returned."""
    done = _words(content)
    return {"prompt_tokens": prompt_words, "completion_tokens": done, "total_tokens": prompt_words + done}


def completion(answer: Answer, prompt_words: int) -> dict[str, Any]:
    """A whole `chat.completion`."""
    content = content_of(answer)
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": MODEL, "system_fingerprint": answer.index_version,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "logprobs": None,
                         "finish_reason": "stop"}],
            "usage": usage_of(prompt_words, content), **extras_of(answer)}


def chunks(answer: Answer, prompt_words: int, include_usage: bool, words: int) -> Iterator[str]:
    """Server-sent events: the content a few words at a time, then citations in the last chunk, then [DONE]."""
    content = content_of(answer)
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": MODEL, "system_fingerprint": answer.index_version}

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return f"data: {json.dumps({**base, 'choices': [choice], **extra}, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    pieces = re.findall(r"\s*\S+", content)
    for start in range(0, len(pieces), words):
        yield event({"content": "".join(pieces[start:start + words])})
    usage = {"usage": usage_of(prompt_words, content)} if include_usage else {}
    yield event({}, "stop", **usage, **extras_of(answer))
    yield "data: [DONE]\n\n"


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused once it passes `limit` bytes (whatever Content-Length claims)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise bad_request(f"The request body is over {limit // 1024} kB.", "body_too_large")
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise bad_request(f"The request body is over {limit // 1024} kB.", "body_too_large")
    return bytes(body)


def _epoch(created: str) -> int:
    try:
        return int(datetime.fromisoformat(created).timestamp())
    except ValueError:
        return 0


def create_api(assistant: Assistant, settings: Settings, limits: ApiLimits = ApiLimits()) -> FastAPI:
    """A FastAPI app serving /v1 for one loaded assistant; mount the chat page on it at "/"."""
    gate, conversations = Gate(settings, limits), Conversations(assistant, limits)
    limiter: list[anyio.CapacityLimiter] = []  # made on first use, inside the server's event loop
    router = APIRouter(prefix="/v1", dependencies=[Depends(gate)])

    def live() -> Any:
        version = assistant.store.live_version()
        if version is None:
            raise ApiError(503, f"No index in {settings.data_dir}: run `assistant index` first.", "server_error",
                           "no_index")
        return version

    @router.get("/models")
    def models() -> dict[str, Any]:
        model = {"id": MODEL, "object": "model", "created": _epoch(live().created), "owned_by": "framework-assistant"}
        return {"object": "list", "data": [model]}

    @router.get("/health")
    def health() -> dict[str, Any]:
        version = live()
        return {"status": "ok", "index_version": version.name, "created": version.created,
                "documents": version.documents, "chunks": version.chunks}

    @router.post("/chat/completions", response_model=None)
    async def chat(request: Request) -> JSONResponse | StreamingResponse:
        parsed = parse_chat(await read_body(request, settings.api_max_body_bytes))
        if not limiter:
            limiter.append(anyio.CapacityLimiter(limits.concurrent_answers))
        try:
            answer, words = await anyio.to_thread.run_sync(conversations.answer, parsed, limiter=limiter[0])
        except AssistantError as exc:
            raise ApiError(503, str(exc), "server_error", "unavailable") from None
        except Exception as exc:  # noqa: BLE001 - the type and frames only: the message could quote the question
            log.error("Unexpected %s while answering through the API:\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            raise ApiError(500, GENERIC_ERROR, "server_error", "internal_error") from None
        if parsed.stream:
            return StreamingResponse(chunks(answer, words, parsed.include_usage, limits.stream_words),
                                     media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        return JSONResponse(completion(answer, words))

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return ApiError(exc.status_code, str(exc.detail), "invalid_request_error", "http_error").response()

    return app


def startup_notice(settings: Settings) -> str:
    """What the API admits, said once at start-up (never the keys themselves)."""
    keys = [k for k in (settings.api_keys or "").split(",") if k.strip()]
    if not keys:
        return "API at /v1 answers only clients on this machine (loopback): set ASSISTANT_API_KEYS to open it."
    return f"API at /v1 needs a bearer key ({len(keys)} configured), at most {settings.api_rate} requests a minute each."


class Running:
    """uvicorn serving an app from a background thread, so `serve` and the tests start and stop it alike."""

    def __init__(self, app: FastAPI, host: str, port: int, startup_seconds: float = 10.0) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                proxy_headers=True, forwarded_allow_ips="127.0.0.1", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="http-server", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + startup_seconds
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise AssistantError(f"Could not listen on {host}:{port}: is another server using that port? "
                                     "Stop it or choose another with --port.")
            time.sleep(0.01)
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.url = f"http://{shown}:{port}/"

    def close(self) -> None:
        """Stop serving and wait for the thread (open page streams get a moment to finish)."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
