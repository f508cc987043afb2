"""Text normalisation as a frozen, hashable configuration.

The order of the steps is fixed and documented, so that two runs with equal
configurations always see the same text:

0. invisible characters are removed (:func:`strip_invisible`: Unicode format
   characters, category ``Cf``, such as zero-width spaces and joiners, soft
   hyphens, byte-order marks and bidi controls), so a copy with invisible
   characters inside its words reads as the original;
1. Unicode NFKC (compatibility forms such as ligatures and full-width letters
   become their plain equivalents);
2. case folding (``str.casefold``, stronger than ``lower`` for ``ß`` and friends),
   followed by NFKC again because folding can leave non-normalised sequences;
3. optional punctuation folding: every character that is neither a word
   character nor white space becomes a space;
4. optional digit folding: every decimal digit becomes ``0``;
5. white space collapsing: runs of white space become one space, ends stripped.

``normalize`` is idempotent: ``normalize(normalize(t, c), c) == normalize(t, c)``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

__all__ = ["NormConfig", "normalize", "strip_invisible", "unicode_fold"]

# Every Unicode format character (category Cf) of Unicode 14.0 (Python 3.11's
# unicodedata), as ranges; written out because scanning unicodedata at import
# takes 0.2 s.  tests/test_normalize.py checks it against the running Python.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


def strip_invisible(text: str) -> str:
    """``text`` without its invisible format characters (Unicode ``Cf``).

    Zero-width space, zero-width (non-)joiner, word joiner, soft hyphen,
    byte-order mark, bidi marks and overrides, and the rest of category Cf.
    Offsets into the original text are kept by the tokenisers, which strip
    these characters piece by piece (:func:`spindetect.text.tokens.word_tokens`).

    Examples
    --------
    >>> strip_invisible("gar\u200bden so\u00adil")
    'garden soil'
    """
    return text if text.isascii() else _INVISIBLE_RE.sub("", text)

_PUNCT_RE = re.compile(r"[^\w\s]+")
_DIGIT_RE = re.compile(r"\d")
_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class NormConfig:
    """How text is normalised before it is tokenised.

    Parameters
    ----------
    nfkc : bool, default=True
        Apply Unicode NFKC normalisation.
    casefold : bool, default=True
        Fold case with :meth:`str.casefold`.
    fold_punctuation : bool, default=False
        Replace punctuation and symbols with spaces.
    fold_digits : bool, default=False
        Replace every decimal digit with ``0`` (so that "page 12" and "page 47"
        produce the same tokens).
    collapse_whitespace : bool, default=True
        Collapse runs of white space into one space and strip both ends.
    """

    nfkc: bool = True
    casefold: bool = True
    fold_punctuation: bool = False
    fold_digits: bool = False
    collapse_whitespace: bool = True

    def to_dict(self) -> dict[str, bool]:
        """Return the configuration as a plain JSON-serialisable dict."""
        return asdict(self)


def unicode_fold(text: str, config: NormConfig) -> str:
    """Invisible characters removed, then NFKC and case folding as ``config`` says.

    NFKC runs again after case folding, which can produce characters NFKC
    would change.  The first steps of :func:`normalize` and of the tokenisers.
    """
    text = strip_invisible(text)
    if config.nfkc:
        text = unicodedata.normalize("NFKC", text)
    if config.casefold:
        text = text.casefold()
        if config.nfkc:
            text = unicodedata.normalize("NFKC", text)
    return text


def normalize(text: str, config: NormConfig | None = None) -> str:
    """Normalise ``text`` according to ``config``.

    Parameters
    ----------
    text : str
        The text to normalise.
    config : NormConfig, optional
        The normalisation steps to apply; the default configuration when omitted.

    Returns
    -------
    str
        The normalised text.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize expects a str, got {type(text).__name__}")
    cfg = config or NormConfig()
    text = unicode_fold(text, cfg)
    if cfg.fold_punctuation:
        text = _PUNCT_RE.sub(" ", text)
    if cfg.fold_digits:
        text = _DIGIT_RE.sub("0", text)
    if cfg.collapse_whitespace:
        text = _WS_RE.sub(" ", text).strip()
    return text
