"""Write a fitted resource, or check that a refit rebuilds the shipped file byte for byte.

Shared by the fit scripts (``fit_pairs.py``, ``fit_linkage.py``, ``fit_boilerplate.py``), whose
``--check`` is how CI and reviewers confirm that a shipped JSON comes from its script.
"""

from __future__ import annotations

from pathlib import Path


def write_or_check(path: Path, text: str, *, check: bool) -> int:
    """Write ``text`` to ``path``, or with ``check`` compare it with the file; the exit code."""
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'rebuilt byte for byte' if same else 'DIFFERS from the refit'}")
        return 0 if same else 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0
