"""Tests for spindetect.report.template: the common skeleton of a family, with slots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spindetect.signals.layout import skeleton
from spindetect.report.template import SLOT, Template, template

DATA = Path(__file__).resolve().parents[1] / "data"

SECTIONS = {
    "sourdough": (
        ("Feeding the Starter", "Shaping the Loaf"),
        "A lively starter doubles within six hours after a feed of equal flour and water by weight.",
        "Tension on the surface of the dough is what makes the loaf rise tall in the oven.",
    ),
    "espresso": (
        ("Grinding the Beans", "Steaming the Milk"),
        "Burr grinders give an even particle size, which is what a nine bar extraction needs.",
        "Silky microfoam comes from stretching the milk briefly and then spinning it into a vortex.",
    ),
    "compost": (
        ("Balancing Greens and Browns", "Turning the Heap"),
        "Kitchen scraps bring nitrogen while dry leaves and cardboard bring the carbon microbes need.",
        "Oxygen keeps the heap hot, so fork it over every week during the warm months.",
    ),
}


def farm(keyword: str) -> str:
    (h1, h2), s1, s2 = SECTIONS[keyword]
    return (
        f"Welcome to the only guide about {keyword} you will ever need, written for busy people who want clear answers fast.\n"
        f"- {h1}\n- {h2}\n"
        f"{h1}\n\n{s1} Our experts tested every option so that you do not have to.\n"
        f"{h2}\n\n{s2} Keep reading to find out which details really matter in everyday use.\n"
        f"We hope this guide helps you make a confident decision about {keyword} for many years to come."
    )


FAMILY = [farm(k) for k in SECTIONS]


def test_template_keeps_stock_text_and_slots_the_rest():
    t = template(FAMILY)
    assert isinstance(t, Template)
    assert t.n_members == 3
    assert [b.type for b in t.blocks] == ["paragraph", "list_item", "list_item", "heading", "paragraph", "heading", "paragraph", "paragraph"]
    text = t.render()
    assert "Our experts tested every option so that you do not have to." in text
    assert "Keep reading to find out which details really matter in everyday use." in text
    assert "We hope this guide helps you make a confident decision about {slot}" in text
    assert "- {slot}" in text
    # headings echo the list items
    assert [b.echo_of for b in t.blocks if b.type == "heading"] == [1, 2]
    assert "[repeats block 1]" in text
    assert t.n_slots >= 6
    for b in t.blocks:
        assert b.support == 1.0
    for k in SECTIONS:
        assert k not in text  # the keywords are slots


def test_echo_of_has_one_base_in_to_dict_and_render():
    t = template(FAMILY)
    lines = t.render().splitlines()
    for k, block in enumerate(t.to_dict()["blocks"]):
        if block["echo_of"] is not None:
            assert lines[k].endswith(f"[repeats block {block['echo_of']}]")
            assert t.blocks[block["echo_of"]].type != "heading"  # it points at the list item it repeats


def test_render_caps_the_blocks_it_shows():
    t = template(FAMILY)
    text = t.render(max_blocks=3)
    assert len(text.splitlines()) == 4
    assert text.splitlines()[-1] == f"… +{len(t.blocks) - 3} more blocks"
    assert t.render(max_blocks=len(t.blocks)) == t.render()


def test_single_member_is_its_own_template():
    t = template([FAMILY[0]])
    assert t.n_slots == 0
    assert t.pivot == 0
    assert "sourdough" in t.render()


def test_to_dict_is_json_serialisable():
    d = template(FAMILY).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["n_members"] == 3 and len(d["blocks"]) == 8
    assert set(d["blocks"][0]) == {"type", "text", "support", "echo_of"}


def test_blocks_only_some_members_have_are_dropped_or_kept_by_support():
    extra = FAMILY[0] + "\nA Bonus Section Only One Page Has"
    t = template([extra, FAMILY[1], FAMILY[2]])
    assert not any("Bonus" in b.text for b in t.blocks)
    t_loose = template([extra, FAMILY[1], FAMILY[2]], min_support=0.01)
    assert len(t_loose.blocks) >= len(t.blocks)


def test_deterministic_and_order_independent():
    a = template(FAMILY).render()
    assert a == template(list(FAMILY)).render()
    assert a == template(FAMILY[::-1]).render()
    assert a == template(FAMILY[1:] + FAMILY[:1]).render()


def test_max_compare_bounds_the_pivot_search():
    t = template(FAMILY, max_compare=1)
    assert "Our experts tested every option" in t.render()
    with pytest.raises(ValueError):
        template(FAMILY, max_compare=0)


def test_bad_input():
    with pytest.raises(TypeError, match="single str"):
        template("one text")
    with pytest.raises(ValueError, match="at least one"):
        template([])
    with pytest.raises(TypeError, match="document 1"):
        template(["ok", 5])
    with pytest.raises(ValueError):
        template(FAMILY, min_support=0)


def test_seed_family_template():
    paths = sorted(DATA.glob("*.txt"))
    if not paths:
        pytest.skip("seed pages missing")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    t = template(texts)
    pivot_skeleton = skeleton(texts[t.pivot])
    n_list = sum(1 for c in pivot_skeleton.codes if c == "L")
    assert sum(1 for b in t.blocks if b.type == "list_item") == n_list
    echoes = [b for b in t.blocks if b.echo_of is not None]
    assert len(echoes) == n_list
    assert all(t.blocks[b.echo_of].type == "list_item" for b in echoes)
    # members differ in their section titles: every list item is a slot
    assert all(b.text == SLOT for b in t.blocks if b.type == "list_item")
    assert template(texts[::-1]).render() == t.render()
