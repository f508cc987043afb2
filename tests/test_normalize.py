"""Normalisation: documented steps, frozen config, idempotence."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.text.normalize import NormConfig, normalize


def test_default_steps():
    assert normalize("  Ｆｕｌｌ-width  ﬁne\tSTRASSE\n") == "full-width fine strasse"
    assert normalize("Straße") == "strasse"


def test_optional_folding():
    cfg = NormConfig(fold_punctuation=True, fold_digits=True)
    assert normalize("Page 12: 'Hello', world!", cfg) == "page 00 hello world"


def test_everything_off_keeps_the_text():
    cfg = NormConfig(nfkc=False, casefold=False, collapse_whitespace=False)
    assert normalize(" A  b ", cfg) == " A  b "


def test_config_is_frozen_and_serialisable():
    cfg = NormConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.casefold = False  # type: ignore[misc]
    assert cfg.to_dict()["nfkc"] is True
    assert hash(cfg) == hash(NormConfig())


def test_rejects_non_str():
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(
    st.text(),
    st.builds(NormConfig, nfkc=st.booleans(), casefold=st.booleans(), fold_punctuation=st.booleans(),
              fold_digits=st.booleans(), collapse_whitespace=st.booleans()),
)
def test_normalize_is_idempotent(text, cfg):
    once = normalize(text, cfg)
    assert normalize(once, cfg) == once


def test_strip_invisible_removes_every_format_character():
    import sys
    import unicodedata

    from spindetect.text.normalize import strip_invisible

    if unicodedata.unidata_version != "14.0.0":
        pytest.skip(f"the table is Unicode 14.0; this Python has {unicodedata.unidata_version}")
    cf = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    assert strip_invisible("a" + cf + "b") == "ab"
    others = "".join(chr(c) for c in range(0x3000) if unicodedata.category(chr(c)) != "Cf")
    assert strip_invisible(others) == others
