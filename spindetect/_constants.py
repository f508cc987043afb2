"""Constants shared by several stages, each with the reason for its value.

Changing one changes hashes or tokens, hence outputs: every value here is part
of what ``benchmarks/same_output.py`` keeps byte-identical.
"""

from __future__ import annotations

__all__ = ["CJK_RANGES", "CJK_CLASS", "FUNCTION_WORDS", "HASH_MULT", "SENTENCE_END", "STOPWORDS"]

#: Scripts written without spaces between words (one character, one token), as
#: code point ranges: hiragana and katakana, CJK extension A, CJK unified
#: ideographs, hangul syllables, CJK compatibility ideographs.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
)

#: The same ranges as the body of a regular-expression character class.
CJK_CLASS: str = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES)

#: Odd 64-bit multiplier (the golden-ratio constant 2**64 / phi) of the
#: polynomial rolling hashes over token sequences; odd, hence invertible mod 2**64.
HASH_MULT: int = 0x9E3779B97F4A7C15

#: Characters that end a sentence in every stage; stages that also cut at
#: other characters (colons, closing quotes, CJK full stops) add theirs to it.
SENTENCE_END: str = ".!?"

#: A compact English stopword list (function words only), for the stopword
#: signatures (SpotSigs, masked shingles).  The boilerplate model and the style
#: profiles read the longer :data:`FUNCTION_WORDS`: their weights were fitted with it.
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers herself him himself his how i if in into
    is it its itself just may me might more most must my myself no nor not now of off on once
    only or other our ours ourselves out over own same shall she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up upon very was we were what when where which while who whom why will with within
    without would you your yours yourself yourselves s t don can't won't isn't aren't
    """.split()
)

#: A longer English list of function words, written for this project: the
#: stopword density of the boilerplate model (boilerplate/chrome.py, as its
#: ``STOPWORDS``) and the function-word profile of the style signals
#: (signals/style.py).  Both were fitted or calibrated with exactly these words.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either even
    ever every few for from further had has have having he her here hers herself him himself his
    how however i if in into is it its itself just least less many may me might more most much
    must my myself neither no nor not now of off often on once one only or other others our ours
    ourselves out over own perhaps quite rather same she should since so some still such than
    that the their theirs them themselves then there these they this those though through thus
    to too under until up upon us very was we were what whatever when where whether which while
    who whom whose why will with within without would yet you your yours yourself yourselves
    s t d ll m re ve don doesn didn isn aren wasn weren won wouldn shouldn couldn
    """.split()
)
