"""Settings: defaults in code, overridden by ASSISTANT_* environment variables."""

from __future__ import annotations

import os
import types
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal, Mapping, Union, get_args, get_origin, get_type_hints

from .errors import AssistantError


@dataclass(frozen=True)
class Settings:
    """Every tunable of the assistant; load once at the edge with `Settings.from_env()`."""

    data_dir: Path = Path("data")
    corpus_dir: Path = Path("corpus")
    prompts_dir: Path = Path(__file__).resolve().parent.parent / "prompts"
    chroma_url: str | None = None
    database_url: str | None = None  # PostgreSQL shared by replicas; unset: files and SQLite in data_dir
    collection_prefix: str = "framework"
    k: int = 5
    chunk_chars: int = 700
    chunk_overlap: int = 80
    batch_size: int = 32
    max_question_chars: int = 2000
    host: str = "127.0.0.1"
    port: int = 7860
    admin_password: str | None = None
    api_keys: str | None = None  # comma-separated bearer keys for /v1; unset: loopback clients only
    api_rate: int = 60  # /v1 requests a minute per key (per client address without keys)
    api_max_body_bytes: int = 65_536
    llm: str = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = 30.0
    log_max_bytes: int = 1_000_000
    # "off": the question log and feedback keep no question text at all; "redacted": they keep the redacted text.
    log_questions: Literal["off", "redacted"] = "off"
    feedback_days: int = 180  # feedback older than this is deleted on start and daily

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Build settings from `ASSISTANT_<FIELD>` variables, then explicit overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        hints = get_type_hints(cls)
        for f in fields(cls):
            raw = env.get(f"ASSISTANT_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw, hints[f.name])
        settings = cls(**values)
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given) if given else settings

    def public_values(self) -> dict[str, Any]:
        """Every setting as plain JSON values, secrets shown only as "(set)"."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: "(set)" if value and name in SECRETS else str(value) if isinstance(value, Path) else value
                for name, value in values.items()}

    @property
    def lock_path(self) -> Path:
        """The file two reindexes contend for."""
        return self.data_dir / "index.lock"

    @property
    def manifest_path(self) -> Path:
        """The file naming the live index version."""
        return self.data_dir / "manifest.json"


SECRETS = frozenset({"admin_password", "api_keys", "database_url"})  # never printed
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _coerce(name: str, raw: str, kind: Any) -> Any:
    """Turn one variable's text into the field's declared type (``X | None`` reads as ``X``)."""
    if get_origin(kind) in (Union, types.UnionType):
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
    if get_origin(kind) is Literal:
        choices = get_args(kind)
        if raw.strip().lower() not in choices:
            raise AssistantError(f"Setting ASSISTANT_{name.upper()}={raw!r} is not one of "
                                 f"{', '.join(choices)}: fix or unset it.")
        return raw.strip().lower()
    try:
        if kind is bool:
            if raw.strip().lower() not in _TRUE + _FALSE:
                raise ValueError(raw)
            return raw.strip().lower() in _TRUE
        if kind is Path:
            return Path(raw).expanduser()
        if kind is int:
            return int(raw.replace("_", ""))
        if kind is float:
            return float(raw)
        return raw
    except ValueError as exc:
        raise AssistantError(
            f"Setting ASSISTANT_{name.upper()}={raw!r} is not a valid {getattr(kind, '__name__', kind)}: "
            "fix or unset it."
        ) from exc
