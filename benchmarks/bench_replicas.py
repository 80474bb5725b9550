"""Answers per second and p95 latency for 1 and 2 `assistant serve` replicas sharing Chroma and PostgreSQL.

Starts a real PostgreSQL and `chroma run` on loopback, copies the live index of `data/` into the Chroma
server (or builds one there when `data/` has none), starts two replicas with their own data folders, then
sends the same questions from 20 concurrent simulated users through the OpenAI-compatible API: first all
to replica one, then spread over both. One run; quote ratios, not absolutes.

    .venv/bin/python benchmarks/bench_replicas.py [--users 20] [--questions 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("GRADIO_ANALYTICS_ENABLED", "False"),
                    ("ANONYMIZED_TELEMETRY", "False"), ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(name, value)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.services import free_port, start_chroma, start_postgres  # noqa: E402

QUESTIONS = [
    "What does mapping systems involve?", "What are the four Approaches?", "What is Practice 3 about?",
    "How can we bring children's voice into co-design?", "What did Oldham do?", "What are the system enablers?",
    "How do we use national datasets?", "What is a theory of change for?",
]


def seed(settings, local_data: Path) -> str:
    """Put a live version into the shared services: a copy of `data/`'s index, or a fresh build."""
    from assistant.embeddings import PackagedMiniLM
    from assistant.index import ADD_BATCH, IndexStore, make_client
    from assistant.indexing import reindex

    local = IndexStore(replace(settings, data_dir=local_data, chroma_url=None, database_url=None))
    live = local.live_version()
    if live is None:
        report = reindex(settings)
        assert report is not None
        return report.version
    got = local.open(live.name).get(include=["documents", "metadatas", "embeddings"])
    target = make_client(settings).create_collection(live.name, embedding_function=PackagedMiniLM(),
                                                     metadata={"hnsw:space": "cosine"})
    for start in range(0, len(got["ids"]), ADD_BATCH):
        end = start + ADD_BATCH
        target.add(ids=got["ids"][start:end], embeddings=got["embeddings"][start:end],
                   documents=got["documents"][start:end], metadatas=got["metadatas"][start:end])
    store = IndexStore(settings)
    with store.lock():
        store.state.write({"live": live.name, "previous": None, "versions": {live.name: asdict(live)}})
    return live.name


def start_replica(env: dict[str, str], data: Path) -> tuple[subprocess.Popen, str]:
    """One `assistant serve` with its own data folder; returns the process and its base URL once ready."""
    port = free_port()
    out = data / "serve.log"
    data.mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
                            env={**env, "ASSISTANT_DATA_DIR": str(data)}, stdout=out.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    while "Chat page ready" not in out.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"replica did not start:\n{out.read_text()}")
        time.sleep(0.3)
    return proc, f"http://127.0.0.1:{port}"


def load(urls: list[str], users: int, questions: int) -> tuple[float, list[float]]:
    """`questions` answers from `users` concurrent users spread over `urls`; (answers per second, latencies)."""
    from assistant.openai_wire import MODEL

    clients = [httpx.Client(base_url=u, timeout=120) for u in urls]

    def one(i: int) -> float:
        client = clients[i % len(clients)]
        started = time.perf_counter()
        reply = client.post("/v1/chat/completions", json={
            "model": MODEL, "messages": [{"role": "user", "content": QUESTIONS[i % len(QUESTIONS)]}]})
        reply.raise_for_status()
        return time.perf_counter() - started

    for url_index in range(len(urls)):  # warm each replica
        one(url_index)
    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        latencies = list(pool.map(one, range(questions)))
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return questions / elapsed, latencies


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    """Start the services and two replicas, measure, print one line per configuration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    from assistant.config import Settings

    work = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    pg = start_postgres()
    chroma = start_chroma(work / "chroma")
    database_url, chroma_url = next(pg), next(chroma)
    settings = replace(Settings.from_env({}), data_dir=work / "seed", corpus_dir=ROOT / "corpus",
                       database_url=database_url, chroma_url=chroma_url)
    version = seed(settings, ROOT / "data")
    env = {**os.environ, "ASSISTANT_DATABASE_URL": database_url, "ASSISTANT_CHROMA_URL": chroma_url,
           "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"), "ASSISTANT_API_RATE": "1000000"}
    procs = []
    try:
        for name in ("one", "two"):
            procs.append(start_replica(env, work / name))
        urls = [url for _, url in procs]
        print(f"index version {version}; {args.users} concurrent users, {args.questions} questions per configuration; "
              f"{os.cpu_count()} cores shared by the services, the replicas and the load")
        for count in (1, 2):
            rate, latencies = load(urls[:count], args.users, args.questions)
            print(f"{count} replica{'s' if count > 1 else ''}: {rate:.1f} answers/s, "
                  f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95(latencies) * 1000:.0f} ms")
    finally:
        for proc, _ in procs:
            proc.terminate()
        for proc, _ in procs:
            proc.wait(timeout=20)
        for service in (chroma, pg):
            service.close()


if __name__ == "__main__":
    main()
