"""Reindex timings on a copy of the corpus: full build, one-document incremental update, swap.

Run from the repository root: `.venv/bin/python benchmarks/bench_reindex.py [--corpus corpus]`.
Prints figures; it asserts nothing. Model loading is done once before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import Embedder  # noqa: E402
from assistant.index import IndexReport  # noqa: E402
from assistant.indexing import reindex  # noqa: E402
from assistant.service import Assistant  # noqa: E402

EDITED = "practices/P3-mapping-information.md"
ADDED = "\n\nKirklees drew a one-page wall chart of every form that records early language.\n"


def line(label: str, report: IndexReport) -> str:
    return (f"{label:<34} {report.seconds:7.2f} s   swap {report.swap_seconds * 1000:6.2f} ms   "
            f"embedded {report.embedded:4d}   reused {report.reused:4d}   ({report.documents} documents, "
            f"{report.chunks} chunks)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder to copy (default corpus/)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reindex-") as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(args.corpus, corpus)
        settings = replace(Settings.from_env(), data_dir=Path(tmp) / "data", corpus_dir=corpus)
        started = time.perf_counter()
        embedder = Embedder(settings.batch_size)
        embedder.embed_query("warm up")
        print(f"model load and warm-up              {time.perf_counter() - started:7.2f} s (not counted below)")

        full = reindex(settings, embedder=embedder)
        assert full is not None
        print(line("full index (empty data folder)", full))
        same = reindex(settings, embedder=embedder)
        assert same is not None
        print(f"{'no change (check only)':<34} {same.seconds:7.2f} s   live version kept: {not same.swapped}")

        path = corpus / EDITED
        path.write_text(path.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
        one = reindex(settings, embedder=embedder)
        assert one is not None
        print(line(f"one document changed ({', '.join(one.changed)})", one))

        assistant = Assistant(settings, embedder=embedder)
        assistant.snapshot()
        path.write_text(path.read_text(encoding="utf-8").replace(ADDED, ""), encoding="utf-8")
        back = reindex(settings, embedder=embedder)
        assert back is not None
        started = time.perf_counter()
        assistant.snapshot()
        reload_seconds = time.perf_counter() - started
        print(line("one document changed back", back))
        print(f"{'server picks up the new version':<34} {reload_seconds:7.2f} s (Snapshot reload on the next question)")

        rebuilt = reindex(settings, embedder=embedder, full=True)
        assert rebuilt is not None
        print(line("--full over an existing index", rebuilt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
