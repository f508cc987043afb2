"""Single-page evidence of page chrome in plain text with newline-separated blocks.

jusText and Boilerpipe decide whether an HTML block is content from a handful
of shallow signals: how long the block is, how many of its words are stopwords,
whether its neighbours look like content, how many links it carries.  Extracted
web text has lost the markup, so this module measures the plain-text versions
of those signals on every *line* (a block) of a batch of documents:

* length in words and whether the line ends like a sentence;
* stopword density of the line and of its neighbourhood (a window of lines);
* the share of capitalised words (menus and headings are Title Case), of
  numbers, and of words typical of navigation, sharing widgets, log-in boxes
  and copyright lines;
* separator symbols (``|``, ``»``, ``©``, bullets) that survive from menus;
* whether the line sits in a run of short lines (a menu) and where it sits in
  the page (chrome gathers at the top and the bottom).

All functions are vectorised over a whole batch: they take per-token and
per-line arrays produced by :mod:`spindetect.boilerplate` and return one row of
features per line.  Nothing here looks at other documents.
"""

from __future__ import annotations

import numpy as np

from .._constants import FUNCTION_WORDS as STOPWORDS

__all__ = ["STOPWORDS", "CHROME_WORDS", "CHROME_SYMBOLS", "PAGE_FEATURES", "page_features"]

#: Words typical of menus, sharing widgets, log-in boxes, comment furniture and footers.
CHROME_WORDS: frozenset[str] = frozenset(
    """
    home menu navigation skip content main search login log logout sign signin register subscribe
    subscription newsletter account password username email e mail share shares tweet twitter
    facebook linkedin pinterest reddit digg stumbleupon google whatsapp instagram youtube rss feed
    print printer friendly permalink comment comments reply replies posted post posts tags tag
    categories category archives archive related popular trending recent latest previous next
    prev older newer page pages more read view click here contact about privacy policy terms
    conditions use cookie cookies copyright rights reserved advertisement advertise ads sponsored
    sitemap faq help feedback follow like likes join top back jobs careers store shop cart
    download app apps mobile edition editions sections
    """.split()
)

#: Characters that survive from menus, breadcrumbs, bullets and footers.
CHROME_SYMBOLS: str = "|»«›‹©®™•·→←↑↓▶►◄"

#: Names of the columns returned by :func:`page_features`, in order.
PAGE_FEATURES: tuple[str, ...] = (
    "log_tokens",
    "stop_density",
    "ends_sentence",
    "title_case",
    "digit_share",
    "chrome_words",
    "has_symbols",
    "short_run",
    "prev_log_tokens",
    "next_log_tokens",
    "window_stop_density",
    "window_log_tokens",
    "position",
    "edge_distance",
    "doc_log_tokens",
)

# A line with at most this many words counts as short (menu item, button, heading).
_SHORT = 4
# Lines on each side that make up the neighbourhood window.
_WINDOW = 3


def _neighbour(values: np.ndarray, doc: np.ndarray, step: int, fill: float) -> np.ndarray:
    """Value of the line ``step`` lines away in the same document (``fill`` outside)."""
    out = np.full(len(values), fill, dtype=np.float64)
    n = len(values)
    if abs(step) >= n:
        return out
    if step > 0:
        same = doc[step:] == doc[:-step]
        out[:-step][same] = values[step:][same]
    else:
        k = -step
        same = doc[:-k] == doc[k:]
        out[k:][same] = values[:-k][same]
    return out


def _run_lengths(flag: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Length of the run of consecutive ``flag`` lines (same document) each line is in."""
    n = len(flag)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # A new run starts wherever the flag or the document changes.
    change = np.ones(n, dtype=bool)
    change[1:] = (flag[1:] != flag[:-1]) | (doc[1:] != doc[:-1])
    run_id = np.cumsum(change) - 1
    sizes = np.bincount(run_id)
    return np.where(flag, sizes[run_id], 0)


def page_features(
    *,
    n_tokens: np.ndarray,
    n_stop: np.ndarray,
    n_title: np.ndarray,
    n_digit: np.ndarray,
    n_chrome: np.ndarray,
    n_symbols: np.ndarray,
    ends_sentence: np.ndarray,
    doc: np.ndarray,
) -> np.ndarray:
    """Single-page features of every non-empty line of a batch.

    Parameters
    ----------
    n_tokens, n_stop, n_title, n_digit, n_chrome, n_symbols : numpy.ndarray
        Per line: words, stopwords, capitalised words, words starting with a
        digit, chrome words, chrome symbols.
    ends_sentence : numpy.ndarray of bool
        Whether the line ends with sentence punctuation.
    doc : numpy.ndarray of int
        Document index of each line; lines of one document are consecutive
        and in reading order.

    Returns
    -------
    numpy.ndarray of float64, shape (n_lines, len(PAGE_FEATURES))
    """
    n = len(n_tokens)
    ntok = n_tokens.astype(np.float64)
    safe = np.maximum(ntok, 1.0)
    window_stop, window_log = _window_features(ntok, n_stop.astype(np.float64), doc)
    position, edge, doc_log = _position_features(ntok, doc)
    cols = [
        np.log1p(ntok),
        n_stop / safe,
        ends_sentence.astype(np.float64),
        n_title / safe,
        n_digit / safe,
        n_chrome / safe,
        (n_symbols > 0).astype(np.float64),
        np.log1p(_run_lengths(n_tokens <= _SHORT, doc)),
        np.log1p(np.nan_to_num(_neighbour(ntok, doc, -1, 0.0))),
        np.log1p(np.nan_to_num(_neighbour(ntok, doc, 1, 0.0))),
        window_stop,
        window_log,
        position,
        edge,
        doc_log,
    ]
    return np.column_stack(cols) if n else np.zeros((0, len(PAGE_FEATURES)))


def _window_features(ntok: np.ndarray, n_stop: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stopword density and mean log length over the window of ``_WINDOW`` lines either side of each line."""
    win_tok = ntok.copy()
    win_stop = n_stop.copy()
    win_log = np.log1p(ntok)
    win_n = np.ones(len(ntok))
    for step in range(1, _WINDOW + 1):
        for s in (step, -step):
            t = _neighbour(ntok, doc, s, np.nan)
            ok = ~np.isnan(t)
            win_tok[ok] += t[ok]
            win_stop[ok] += _neighbour(n_stop, doc, s, 0.0)[ok]
            win_log[ok] += np.log1p(t[ok])
            win_n[ok] += 1
    return win_stop / np.maximum(win_tok, 1.0), win_log / win_n


def _position_features(ntok: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Position of each line in its document, its distance from the nearer end, the page's size.

    Returns the position (0 to 1), the words between the line and the nearer
    end of the page over the page's words, and the page's log word count.
    """
    n = len(ntok)
    if n == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    first = np.r_[True, doc[1:] != doc[:-1]]
    start_idx = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    doc_id = doc - doc.min()
    n_in_doc = np.bincount(doc_id)[doc_id]
    position = (np.arange(n) - start_idx) / np.maximum(n_in_doc - 1, 1)
    words_before_all = np.cumsum(ntok) - ntok
    before = words_before_all - words_before_all[start_idx]
    doc_tok = np.bincount(doc_id, weights=ntok)[doc_id]
    after = doc_tok - before - ntok
    edge = np.minimum(before, after) / np.maximum(doc_tok, 1.0)
    return position, edge, np.log1p(doc_tok)
