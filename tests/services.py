"""Real servers on loopback for the replica tests: Debian's PostgreSQL and `chroma run`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

# Debian installs each major version in its own folder; take the newest.
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default=Path("/nonexistent"))
_clusters: dict[str, Path] = {}


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*args: str) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def start_postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster in a temporary folder; yields its URL and stops it afterwards."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail("PostgreSQL is not installed: run `make test` (it installs Debian's postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    subprocess.run(_as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "assistant", "-A", "trust",
                                "--no-sync"), check=True, capture_output=True)
    port = free_port()
    subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                                "-o", f"-k {folder} -h 127.0.0.1 -p {port} -c fsync=off", "start"),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                                    "assistant", "assistant"), check=True, capture_output=True)
        url = f"postgresql://assistant:secret-pw@127.0.0.1:{port}/assistant"
        _clusters[url] = data
        yield url
    finally:
        subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def stop_postgres(url: str) -> None:
    """Stop a cluster started by `start_postgres` (the database going down under a running replica)."""
    subprocess.run(_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(_clusters[url]), "-m", "fast", "-w", "stop"),
                   check=True, capture_output=True)


def start_chroma(path: Path) -> Iterator[str]:
    """`chroma run` on a free loopback port; yields its URL."""
    chroma = Path(sys.executable).with_name("chroma")
    port = free_port()
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    deadline = time.monotonic() + 30
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port,
                                settings=ChromaSettings(anonymized_telemetry=False)).heartbeat()
            break
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("chroma run did not start within 30 s")
            time.sleep(0.3)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
