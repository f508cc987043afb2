"""Text made safe to print on a terminal.

Ids, file names and texts come from the input: printed raw, a control
character could move the cursor, send ANSI escapes or forge an output line.
"""

from __future__ import annotations

__all__ = ["printable"]


def printable(text: str) -> str:
    """``text`` with every non-printable character written as its Python escape.

    Control characters (``\\n``, ``\\x1b``, ...), format characters (bidi
    overrides, zero-width spaces) and separators other than the plain space
    become ``\\n``, ``\\x1b``, ``\\u202e``...; printable text is unchanged.

    Examples
    --------
    >>> printable("a\\x1b[31mb\\nc")
    'a\\\\x1b[31mb\\\\nc'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
