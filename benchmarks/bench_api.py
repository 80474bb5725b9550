"""Latency of the OpenAI-compatible API beside in-process answers, and answers per second under concurrency.

Run: .venv/bin/python benchmarks/bench_api.py [--questions 200] [--clients 10]
Prints figures; nothing is asserted. Builds a fresh index in a temporary folder and serves the page and
API on a free loopback port through the function `assistant serve` uses.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openai  # noqa: E402
import yaml  # noqa: E402

from assistant.api import MODEL  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.embeddings import Embedder  # noqa: E402
from assistant.indexing import reindex  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.ui import build_app, launch_with_api  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def questions(n: int) -> list[str]:
    """The evaluation files' questions (without their history), repeated to n."""
    cases: list[str] = []
    for path in sorted((ROOT / "evals").glob("*.yaml")):
        cases += [c["question"] for c in yaml.safe_load(path.read_text())]
    return [cases[i % len(cases)] for i in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


def line(name: str, ms: list[float]) -> str:
    return (f"{name:<28} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 0.95):7.1f} ms   "
            f"mean {statistics.fmean(ms):7.1f} ms   (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200, help="timed questions per measurement (default 200)")
    parser.add_argument("--clients", type=int, default=10, help="concurrent API clients (default 10)")
    args = parser.parse_args()
    asked = questions(args.questions)
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings.from_env({}), data_dir=Path(tmp), corpus_dir=ROOT / "corpus", api_rate=1_000_000)
        reindex(settings, embedder=embedder)
        assistant = Assistant(settings, embedder=embedder)
        running = launch_with_api(build_app(assistant, settings), assistant, settings, "127.0.0.1", free_port())
        try:
            client = openai.OpenAI(base_url=running.url + "v1", api_key="loopback", max_retries=0)

            def over_api(question: str) -> None:
                client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}])

            for question in asked[:10]:  # warm both paths: first calls load and compile
                assistant.answer(question, [])
                over_api(question)
            local = [timed(assistant.answer, q, []) for q in asked]
            remote = [timed(over_api, q) for q in asked]
            streamed = [timed(lambda q: list(client.chat.completions.create(
                model=MODEL, stream=True, messages=[{"role": "user", "content": q}])), q) for q in asked]
            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                concurrent = list(pool.map(lambda q: timed(over_api, q), asked))
            wall = time.perf_counter() - started
        finally:
            running.close()
    print(f"{len(asked)} questions from evals/*.yaml, one user message each; {os.cpu_count()} CPU cores")
    print(line("in-process Assistant.answer", local))
    print(line("API, whole completion", remote))
    print(line("API, streamed", streamed))
    overhead = statistics.median(remote) - statistics.median(local)
    print(f"API overhead (median difference): {overhead:.1f} ms")
    print(line(f"API, {args.clients} clients at once", concurrent))
    print(f"throughput with {args.clients} concurrent clients: {len(asked) / wall:.1f} answers/s "
          f"(serial in-process: {1000 / statistics.fmean(local):.1f} answers/s)")


if __name__ == "__main__":
    main()
