"""Check that ``spindetect scan`` gives byte-identical output at two revisions.

A refactoring must not change what the scan writes.  This script builds the
base revision in a temporary git worktree with a venv of its own, runs
``spindetect scan INPUT -o OUT.jsonl`` (default settings) with the base and with
the working tree this script belongs to, and compares the output files byte for
byte on:

- ``data/`` (the bundled sample pages);
- ``../shared/data/licenses-dev`` (skipped when ``../shared`` is absent), and
  any other set named with ``--sets``;
- a generated corpus (``benchmarks/generate.py --n-families 30 --seed 0``).

Usage::

    python benchmarks/same_output.py --base 0540715
    python benchmarks/same_output.py --base main --sets licenses-dev,templated-dev

Exit code 0 when every output is identical, 1 otherwise (the first differing
line of each file is printed).  Commits that change outputs on purpose (a new
decision rule, a refitted model) are expected to differ.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
_RUN = "import sys; from spindetect.cli import main; sys.exit(main(sys.argv[1:]))"


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", required=True, help="git revision to compare against (e.g. 0540715, main)")
    p.add_argument("--sets", default="licenses-dev", help="comma-separated sets of ../shared/data (default: licenses-dev)")
    p.add_argument("--n-families", type=int, default=30, help="families of the generated corpus (default: 30)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    return p.parse_args(argv)


def _build_base(rev: str, tmp: Path) -> Path:
    """Check out ``rev`` in a worktree under ``tmp``, install it in a venv; return the venv's python."""
    tree = tmp / "base"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(tree)], check=True)
    return python


def _inputs(sets: Sequence[str], n_families: int, tmp: Path) -> list[tuple[str, Path]]:
    """The corpora to scan, by name; shared sets are skipped with a note when absent."""
    out = [("data", ROOT / "data")]
    for name in sets:
        path = SHARED / name / "docs.jsonl"
        if path.exists():
            out.append((name, path))
        else:
            print(f"skip {name}: {path} is absent")
    generated = tmp / "generated.jsonl"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--n-families", str(n_families),
         "--seed", "0", "-o", str(generated)],
        check=True,
    )
    out.append(("generated", generated))
    return out


def _scan(python: Path | str, src: Path | None, corpus: Path, out: Path) -> None:
    """Run the scan with ``python``; ``src`` (a source tree) is put first on the path when given."""
    env = None
    if src is not None:
        import os

        env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [str(python), "-c", _RUN, "scan", str(corpus), "-o", str(out), "--no-progress", "-q"]
    done = subprocess.run(cmd, env=env, cwd=str(out.parent), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"scan of {corpus} with {python} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def _first_difference(a: Path, b: Path) -> str:
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        for k, (la, lb) in enumerate(zip(fa, fb), 1):
            if la != lb:
                return f"line {k}:\n  base: {la.strip()[:300]}\n  head: {lb.strip()[:300]}"
    return "one file is a prefix of the other"


def main(argv: Sequence[str] | None = None) -> int:
    """Compare the scan outputs of ``--base`` and of this working tree; 0 when all identical."""
    args = _parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="same_output_"))
    try:
        base_python = _build_base(args.base, tmp)
        different = 0
        for name, corpus in _inputs([s for s in args.sets.split(",") if s], args.n_families, tmp):
            base_out, head_out = tmp / f"{name}.base.jsonl", tmp / f"{name}.head.jsonl"
            _scan(base_python, None, corpus, base_out)
            _scan(sys.executable, ROOT, corpus, head_out)
            same = filecmp.cmp(base_out, head_out, shallow=False)
            lines = sum(1 for _ in open(head_out, encoding="utf-8"))
            print(f"{name:>14}: {lines:6d} records  {'identical' if same else 'DIFFERENT'}")
            if not same:
                different += 1
                print(_first_difference(base_out, head_out))
        return 1 if different else 0
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "base")], check=False)
        if args.keep:
            print(f"kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
