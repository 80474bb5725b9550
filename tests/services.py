"""Real servers on loopback for the replica tests (Debian's PostgreSQL and `chroma run`), and a fork server that
runs `assistant` commands each in a process of its own without paying the library imports every time."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterator

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


# The fork server: one process starts Python and imports the assistant's libraries once (most of the ~10 s of CPU
# a cold `assistant` command spends before doing anything), then forks a fresh child for each command. The child is
# a process of its own (own pid, own session and process group, its stdin, stdout and stderr the pipes the test gave)
# that runs exactly what the `assistant` script runs: the command's environment and working folder in place of the
# server's, then `sys.exit(main(args))` with the interpreter's ordinary exit. The server itself never runs a command,
# starts no thread of its own and opens no index, so every child starts from the state a cold process reaches after
# its imports.
_FORK_SERVER = r"""
import gc, json, os, select, signal, socket, sys
sys.path = [p for p in sys.path if p not in ("", os.getcwd())]  # `assistant` comes from the install, as for the script
import assistant.cli, assistant.evals, assistant.indexing, assistant.report, assistant.service, assistant.ui
import sentence_transformers
# The libraries' objects live as long as any command; frozen, the garbage collector of a child leaves them alone
# (a cold process spends ~2 s going through them at exit), as Python's documentation advises before forking.
gc.freeze()

control = socket.socket(fileno=int(sys.argv[1]))
wake_r, wake_w = os.pipe()
os.set_blocking(wake_r, False)
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda *_: None)


def tell(message):
    control.send(json.dumps(message).encode())


def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        tell({"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def child(command, fds):
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    control.close()
    os.close(wake_r)
    os.close(wake_w)
    os.setsid()
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(command["env"])
    os.chdir(command["cwd"])
    sys.argv = ["assistant", *command["args"]]
    sys.exit(assistant.cli.main(command["args"]))


tell({"ready": os.getpid()})
while True:
    readable, _, _ = select.select([control, wake_r], [], [])
    if wake_r in readable:
        try:
            os.read(wake_r, 4096)
        except BlockingIOError:
            pass
    if control in readable:
        message, fds, _, _ = socket.recv_fds(control, 1 << 20, 3)
        if not message:
            break  # the tests are done
        pid = os.fork()
        if pid == 0:
            child(json.loads(message), fds)  # never returns: the child exits through sys.exit
        for fd in fds:
            os.close(fd)
        tell({"started": pid})
    reap()
"""


class ForkedCommand:
    """One command forked by `CommandServer`, with what the tests use of `subprocess.Popen`."""

    def __init__(self, args: list[str], pid: int, exited: threading.Event, codes: dict[int, int],
                 stdin: int, stdout: int | None, stderr: int | None) -> None:
        self.args, self.pid, self._exited, self._codes = args, pid, exited, codes
        self.stdin = open(stdin, "w", encoding="utf-8")
        self.stdout = open(stdout, encoding="utf-8") if stdout is not None else None
        self.stderr = open(stderr, encoding="utf-8") if stderr is not None else None
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self._exited.is_set():
            self.returncode = self._codes[self.pid]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._exited.wait(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self.poll()  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:  # it ended just now
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, input: str = "", timeout: float | None = None) -> tuple[str, str]:
        """Send ``input`` and close stdin, read stdout and stderr to their end, wait for the exit."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self.stdin.closed:
            try:
                if input:
                    self.stdin.write(input)
                self.stdin.close()
            except BrokenPipeError:
                pass
        read: dict[str, str] = {"out": "", "err": ""}

        def drain(name: str, stream: Any) -> None:
            read[name] = "" if stream.closed else stream.read()

        readers = [threading.Thread(target=drain, args=(name, stream), daemon=True)
                   for name, stream in (("out", self.stdout), ("err", self.stderr)) if stream is not None]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if reader.is_alive():
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return read["out"], read["err"]

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class CommandServer:
    """Runs `assistant` commands each in a fresh process of its own, forked from one that imported the libraries
    once, instead of paying the imports again for every command (see _FORK_SERVER)."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        # -u: unbuffered output, so a progress bar on stderr can be read as it is drawn.
        self.log = tempfile.TemporaryFile()  # the server's own output, shown if it ever fails
        self.server = subprocess.Popen([sys.executable, "-u", "-c", _FORK_SERVER, str(theirs.fileno())],
                                       pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                                       stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        theirs.close()
        self.control = ours
        self._lock = threading.Lock()  # one command started at a time
        self._started: queue.Queue[int | None] = queue.Queue()
        self._exited: dict[int, threading.Event] = {}
        self._codes: dict[int, int] = {}
        self._ready = threading.Event()
        threading.Thread(target=self._listen, name="command-server", daemon=True).start()

    def _listen(self) -> None:
        while True:
            try:
                message = self.control.recv(1 << 16)
            except OSError:
                message = b""
            if not message:  # the server is gone
                self._started.put(None)
                return
            event = json.loads(message)
            if "ready" in event:
                self._ready.set()
            elif "started" in event:
                self._exited[event["started"]] = threading.Event()
                self._started.put(event["started"])
            else:
                self._codes[event["exited"]] = event["code"]
                self._exited[event["exited"]].set()

    def popen(self, args: list[str], env: dict[str, str], cwd: Path | str | None = None, stdout: Any = subprocess.PIPE,
              stderr: Any = subprocess.PIPE) -> ForkedCommand:
        """Start `assistant ARGS` with exactly ``env`` in ``cwd``; stdin is a pipe, stdout and stderr pipes unless
        given as an open file (or stderr as ``subprocess.STDOUT``), and the command leads its own process group
        (``os.killpg`` stops it)."""
        ours: list[int | None] = []
        theirs: list[int] = []
        stdin_read, stdin_write = os.pipe()
        theirs.append(stdin_read)
        for stream in (stdout, stderr):
            if stream is subprocess.PIPE:
                read, write = os.pipe()
                ours.append(read)
                theirs.append(write)
            elif stream is subprocess.STDOUT:
                ours.append(None)
                theirs.append(os.dup(theirs[1]))
            else:
                ours.append(None)
                theirs.append(os.dup(stream.fileno()))
        command = {"args": list(args), "env": dict(env), "cwd": str(cwd or os.getcwd())}
        with self._lock:
            if self.server.poll() is None:
                socket.send_fds(self.control, [json.dumps(command).encode()], theirs)
            for fd in theirs:
                os.close(fd)
            pid = self._started.get(timeout=120) if self.server.poll() is None else None
        if pid is None:
            self.log.seek(0)
            raise RuntimeError(f"the command server exited:\n{self.log.read().decode(errors='replace')}")
        return ForkedCommand(["assistant", *args], pid, self._exited[pid], self._codes, stdin_write, *ours)

    def run(self, args: list[str], env: dict[str, str], cwd: Path | str | None = None, input: str = "",
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """`subprocess.run(["assistant", *args], env=env, cwd=cwd, input=input, capture_output=True, text=True)`."""
        proc = self.popen(args, env, cwd)
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        return subprocess.CompletedProcess(["assistant", *args], proc.returncode, out, err)

    @staticmethod
    def yield_cpu(proc: ForkedCommand) -> None:
        """Lower a running command's priority (every thread of it) to the least, so that its work, still going on,
        takes only CPU time nothing else wants."""
        for task in Path(f"/proc/{proc.pid}/task").iterdir():
            try:
                os.setpriority(os.PRIO_PROCESS, int(task.name), 19)
            except ProcessLookupError:  # a thread that just ended
                pass

    def close(self) -> None:
        """Stop any command still running, then the server (again: nothing)."""
        if self.log.closed:
            return
        for pid, exited in list(self._exited.items()):
            if not exited.is_set():
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            self.control.shutdown(socket.SHUT_RDWR)  # the server reads the end of its commands and exits
        except OSError:
            pass
        self.control.close()
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.log.close()
