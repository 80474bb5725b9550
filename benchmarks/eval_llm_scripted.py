"""The eval with the default answerer, then with `--llm openai` against a scripted 'echo' server on loopback.

    .venv/bin/python benchmarks/eval_llm_scripted.py [--data-dir DIR] [EVAL.yaml ...]

Needs a built index (`assistant index`). The scripted server (tests/scripted_llm.py) answers every
question by quoting the first sentence of the top passage with its id, and condenses a follow-up
as the earlier question plus the follow-up: a fair stand-in that shows what the LLM path costs
and what the grounding check does, not how good any real model is. Both runs go through
`assistant eval`, so the figures are the ones trainers would see.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.cli import main as assistant  # noqa: E402
from assistant.report import COLUMNS  # noqa: E402
from tests.scripted_llm import ScriptedLLM  # noqa: E402


def run(argv: list[str], out: Path) -> dict:
    """One `assistant eval` run, its terminal output swallowed, its JSON read back."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = assistant([*argv, "--json", str(out)])
    if code not in (0, 1) or not out.exists():
        sys.stdout.write(printed.getvalue())
        raise SystemExit(f"assistant eval exited with {code}")
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(ROOT / "evals" / "framework.yaml")])
    parser.add_argument("--data-dir", default=str(ROOT / "data"), help="data folder holding the index")
    args = parser.parse_args()
    common = ["--data-dir", args.data_dir, "--corpus-dir", str(ROOT / "corpus"), "eval", "--quiet", *args.files]
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLM() as server:
        default = run([*common, "--llm", "none"], Path(tmp) / "default.json")
        os.environ["ASSISTANT_LLM_BASE_URL"] = server.url
        os.environ["ASSISTANT_LLM_MODEL"] = "echo"
        scripted = run([*common, "--llm", "openai"], Path(tmp) / "scripted.json")
        requests = len(server.requests)
    width = 24
    print(f"{'answerer':<{width}}" + "".join(f"{label:>9}" for _, label in COLUMNS))
    for name, data in (("default (extractive)", default), ("--llm openai (echo)", scripted)):
        s = data["summary"]
        cells = "".join(f"{'-' if s[key] is None else s[key] if key == 'cases' else round(s[key], 3):>9}"
                        for key, _ in COLUMNS)
        print(f"{name:<{width}}{cells}")
    g = scripted["grounding"]
    print(f"\nScripted server: {requests} requests. Grounding check: {g['sentences']} sentences in "
          f"{g['answers_checked']} answers, {g['kept']} kept, {g['removed']} removed, {g['dropped_ids']} citations "
          f"of passages not retrieved dropped; extractive answer instead: {g['fallback_unavailable']} (model not "
          f"available), {g['fallback_unsupported']} (nothing supported).")
    for case in scripted["cases"]:
        for check in case["grounding"]:
            if not check["kept"]:
                print(f"  removed from {case['id']}: {check['sentence'][:90]} ({check['reason']})")
    changed = [c["id"] for c, d in zip(scripted["cases"], default["cases"]) if c["passed"] != d["passed"]]
    print(f"Cases whose pass/fail differs between the two: {', '.join(changed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
