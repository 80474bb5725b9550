"""An OpenAI-compatible API beside the chat page: a thin front end over `Assistant.answer`."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import threading
import time
import traceback
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio
import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .answer import Answer
from .chat import Turn
from .config import Settings
from .errors import AssistantError
from .index import IndexVersion
from .openai_wire import MODEL, PERSONAL_WARNING, ApiError, ChatRequest, chunks, completion, parse_chat, read_body, words_in
from .service import Assistant

__all__ = ["MODEL", "PERSONAL_WARNING", "ApiLimits", "Running", "create_api", "startup_notice"]

log = logging.getLogger(__name__)

GENERIC_ERROR = "Something went wrong while answering. Please try again; if it keeps happening, tell the service's owner."


@dataclass(frozen=True)
class ApiLimits:
    """The API's fixed limits (the per-key rate and body size are Settings)."""

    window_seconds: float = 60.0  # the rate limit counts requests in this sliding window
    concurrent_answers: int = 4  # as many as the page answers at once
    history_turns: int = 6  # earlier user messages replayed into the conversation, newest kept
    turn_cache_size: int = 4096  # conversation prefixes whose turns are remembered
    stream_words: int = 8  # words per streamed chunk
    tracked_clients: int = 10_000  # rate-limit entries kept before idle ones are dropped


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
        self.rate, self.window, self.tracked = settings.api_rate, limits.window_seconds, limits.tracked_clients
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
            self.hit(f"address:{host}")  # wrong keys count against the address: guessing meets the rate limit too
            raise ApiError(401, "Missing or wrong API key: send `Authorization: Bearer <key>`.",
                           "invalid_request_error", "invalid_api_key")
        return "key:" + hashlib.sha256(key).hexdigest()[:16]

    def hit(self, who: str) -> None:
        """Count one request; over the rate, raise a 429 saying when to retry."""
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > self.tracked:  # forget whoever has sent nothing for a whole window
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window}
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
        return answer, sum(words_in(q) for q in earlier + [request.question])

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

    def live() -> IndexVersion:
        try:
            version = assistant.store.live_version()
        except AssistantError as exc:
            raise ApiError(503, str(exc), "server_error", "unavailable") from None
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
                self.server.should_exit = True
                raise AssistantError(f"Could not listen on {host}:{port}: is another server using that port? "
                                     "Stop it or choose another with --port.")
            time.sleep(0.01)
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.url = f"http://{shown}:{port}/"

    def close(self) -> None:
        """Stop serving and wait for the thread (open page streams get a moment to finish)."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
