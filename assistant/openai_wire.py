"""OpenAI's chat-completions wire format: checking requests, and answers as completions, chunks and errors."""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, Iterator

from fastapi import Request
from fastapi.responses import JSONResponse

from .answer import Answer

MODEL = "framework-assistant"
ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
PERSONAL_WARNING = "**⚠️ Personal details removed from your question.**"


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


def words_in(text: str) -> int:
    """Words, as `usage` counts them."""
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
    done = words_in(content)
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
