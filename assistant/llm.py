"""Language-model backends through LangChain, and the prompt files they are given."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from .config import Settings
from .errors import BackendError

BACKENDS = ("none", "openai", "ollama")
KEY_VARIABLE = "ASSISTANT_LLM_API_KEY"
OLLAMA_URL = "http://127.0.0.1:11434"
# Local OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) ignore the key, but the client insists on one.
UNUSED_KEY = "not-needed"


class _Bearer(httpx.Auth):
    """Adds the key to each request without it appearing in the model's repr or settings dump."""

    def __init__(self, key: str) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers["Authorization"] = f"Bearer {self._key}"
        yield request


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model `settings.llm` names, or None for `none`; the key is read from the environment now.

    >>> build_chat_model(Settings(llm="ollama", llm_model="llama3.1")).model
    'llama3.1'
    """
    backend = settings.llm.strip().lower()
    if backend not in BACKENDS:
        raise BackendError(f"ASSISTANT_LLM={settings.llm!r} is not a backend: use one of {', '.join(BACKENDS)}.")
    if backend == "none":
        return None
    if not settings.llm_model:
        example = "llama3.1" if backend == "ollama" else "gpt-4o-mini, or the deployment name on Azure"
        raise BackendError(f"ASSISTANT_LLM={backend} needs a model: set ASSISTANT_LLM_MODEL (e.g. {example}).")
    if settings.llm_timeout <= 0:
        raise BackendError(f"ASSISTANT_LLM_TIMEOUT={settings.llm_timeout} must be a number of seconds above 0.")
    key = os.environ.get(KEY_VARIABLE) or None
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        client: dict[str, object] = {"timeout": settings.llm_timeout}
        if key:
            client["auth"] = _Bearer(key)
        return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url or OLLAMA_URL, temperature=0,
                          client_kwargs=client)
    from langchain_openai import ChatOpenAI

    if key is None and not settings.llm_base_url:
        raise BackendError(f"ASSISTANT_LLM=openai without ASSISTANT_LLM_BASE_URL talks to api.openai.com, which "
                           f"needs a key: set {KEY_VARIABLE}, or set ASSISTANT_LLM_BASE_URL to your own server.")
    # No retries: a server that is down should fail in milliseconds and let the extractive answer stand in.
    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=key or UNUSED_KEY,
                      timeout=settings.llm_timeout, max_retries=0, temperature=0)


def load_prompt(prompts_dir: Path, name: str, variables: tuple[str, ...]) -> ChatPromptTemplate:
    """`<name>.system.txt` and `<name>.human.txt` as one chat template that fills exactly `variables`."""
    parts = []
    for role in ("system", "human"):
        path = prompts_dir / f"{name}.{role}.txt"
        try:
            parts.append((role, path.read_text(encoding="utf-8").strip()))
        except OSError as exc:
            raise BackendError(f"Cannot read the prompt file {path} ({exc.strerror}): restore it from the "
                               "repository.") from None
    try:
        template = ChatPromptTemplate.from_messages(parts)
    except ValueError as exc:
        raise BackendError(f"The prompt {name} in {prompts_dir} is not a valid template ({exc}): "
                           "write literal braces as {{ and }}.") from None
    used = set(template.input_variables)
    missing, unknown = sorted(set(variables) - used), sorted(used - set(variables))
    if missing:
        raise BackendError(f"The prompt {name} in {prompts_dir} never uses {{{missing[0]}}}: put it back.")
    if unknown:
        raise BackendError(f"The prompt {name} in {prompts_dir} uses {{{unknown[0]}}}, which the assistant does not "
                           f"fill (it fills {', '.join(variables)}): remove it, or write literal braces as {{{{ }}}}.")
    return template
