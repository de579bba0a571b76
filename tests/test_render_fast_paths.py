"""The shortcuts that make rendering fast give exactly what the plain way gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader
from markupsafe import Markup

from generator.pages import markup, passthrough
from generator.pages.render import _PageEnvironment, make_environment
from generator.portfolio.model import (
    Budget,
    ChangeRequest,
    Customer,
    CustomerFile,
    Impact,
    Person,
    Project,
    ProjectFile,
    StatusUpdate,
    TeamMember,
)
from generator.portfolio.visibility import for_audience

THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


def _render(source: str, **context: object) -> str:
    env = _PageEnvironment(loader=DictLoader({"t": source}), autoescape=True, finalize=markup.escape_text)
    return env.get_template("t").render(context)


def test_page_output_is_finalized_without_a_second_escape() -> None:
    env = make_environment(THEME)
    source, _, _ = env.loader.get_source(env, "status.md.j2")  # type: ignore[union-attr]
    code = env.compile(source, raw=True)
    assert "environment.finalize(" in code and "escape(environment.finalize(" not in code


def test_values_are_still_escaped_and_macros_are_not() -> None:
    source = "{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}{{ v }} {{ b(v) }} {{ n }}"
    page = _render(source, v="<i>[x](y)", n=1.5)
    assert page == "&#60;i&#62;&#91;x&#93;&#40;y&#41; <b>&#60;i&#62;&#91;x&#93;&#40;y&#41;</b> 1.5"


def test_another_finalize_keeps_jinjas_escaping() -> None:
    env = _PageEnvironment(loader=DictLoader({"t": "{{ v }}"}), autoescape=True, finalize=str)
    assert env.get_template("t").render(v="<i>") == "&lt;i&gt;"


def test_numbers_and_dates_escape_as_their_text_whatever_came_first() -> None:
    values = [0.0, -0.0, 1, True, 1.0, -2, -2.0, 12.5, date(2026, 1, 2), 0, False]
    expected = [markup._escape_str(str(v) if not isinstance(v, date) else v.isoformat()) for v in values]
    assert [markup.escape_text(v) for v in values] == expected
    assert [markup.escape_text(v) for v in reversed(values)] == expected[::-1]
    assert markup.escape_text(-0.0) == "&#45;0.0" and markup.escape_text(1.0) == "1.0"
    assert markup.escape_text("3.") == "3&#46;" and markup.escape_text("3. x") == "3&#46; x"


def test_join_escapes_each_item_once_and_keeps_the_separator() -> None:
    joined = markup.safe_join(["a<b", Markup("<i>c</i>"), 3], " | ")
    assert joined == Markup(" | ").join(markup.escape_text(i) for i in ["a<b", Markup("<i>c</i>"), 3])
    assert isinstance(joined, Markup)


def test_cached_markdown_and_urls_are_markup() -> None:
    for value in (markup.md_block("Done."), markup.md_inline("*x*"), markup.safe_url("plan.md")):
        assert isinstance(value, Markup)
    assert markup.md_block("") == markup.md_inline(None) == markup.safe_url("") == ""


def _customer(project: ProjectFile, updates: tuple[StatusUpdate, ...] = (),
              changes: tuple[ChangeRequest, ...] = ()) -> Customer:
    info = CustomerFile(name="Acme", contacts=[Person(name="Ann"), Person(name="Bob", visibility="internal")])
    return Customer("acme", info, (Project("web", project, updates=updates, changes=changes),))


def test_internal_items_and_notes_go_at_every_depth() -> None:
    project = ProjectFile(
        name="Web", internal="note", budget=Budget(visibility="internal"),
        team=[TeamMember(name="Cy", internal="pay"), TeamMember(name="Di", visibility="internal")],
    )
    change = ChangeRequest(id="CR-1", requested=date(2026, 1, 1), title="T",
                           impact=Impact(days=3, internal="guess"))
    update = StatusUpdate(date=date(2026, 1, 5), health="green", summary="Fine.", internal="hm")
    public = for_audience(_customer(project, (update,), (change,)), "customer")
    [p] = public.projects
    assert [c.name for c in public.info.contacts] == ["Ann"]
    assert p.info.internal is None and p.info.budget is None
    assert [(m.name, m.internal) for m in p.info.team] == [("Cy", None)]
    assert p.changes[0].impact is not None and p.changes[0].impact.internal is None
    assert p.changes[0].impact.days == 3 and p.updates[0].internal is None


def test_records_with_nothing_internal_are_passed_on_as_they_are() -> None:
    project = ProjectFile(name="Web", team=[TeamMember(name="Cy")], budget=Budget(approved=5))
    update = StatusUpdate(date=date(2026, 1, 5), health="green", summary="Fine.", done=["a"])
    customer = _customer(project, (update,))
    [p] = for_audience(customer, "customer").projects
    assert p.info is project and p.updates[0] is update


@given(st.text(st.sampled_from("-!>&amp;#45<x/\n "), max_size=80))
def test_nothing_inside_a_hidden_chart_can_end_its_comment(html: str) -> None:
    hidden = passthrough.hide(html)
    assert hidden.count("--") == 2 and "--!" not in hidden
    assert passthrough.restore(f"a{hidden}b") == f"a{html.strip(chr(10))}b"


def test_a_chart_passes_through_markdown_as_it_was() -> None:
    """Markdown (and so the search index) sees one comment; the finished page has the chart back."""
    chart = ('<figure class="portal-health-trend" id="t-1">\n<svg viewBox="-7 -7 14 14"><!-- a note -->'
             '<g class="portal-shape--green" transform="translate(75.0 15&#46;0)"><circle r="5.5"/></g>'
             '<text>A &amp; B --> C &#45;1</text></svg>\n<figcaption>Green</figcaption>\n</figure>')
    page = "# Status\n\nBefore\n\n{}\n\nAfter\n"
    hidden = passthrough.hide(chart)
    converted = markdown.markdown(page.format(hidden), extensions=["md_in_html"])
    assert hidden in converted and "<svg" not in converted.replace(hidden, "")
    assert passthrough.restore(converted) == markdown.markdown(page.format(chart), extensions=["md_in_html"])


_PROSE = st.lists(st.sampled_from(["Good", " ", "a b", ".", ",", "(", ")", "'", "é", "1.", "#", ":", "-",
                                   "|"]), max_size=3).map("".join)
_STRONG = st.lists(st.sampled_from(["x", "two words", " ", "é", "(", "1"]), min_size=1, max_size=2) \
    .map("".join)
_STRONG_TEXT = st.tuples(_PROSE, st.lists(st.tuples(_STRONG, _PROSE), min_size=1, max_size=3)).map(
    lambda t: t[0] + "".join(f"**{strong}**{prose}" for strong, prose in t[1]))


@settings(max_examples=1500, deadline=None)
@given(_STRONG_TEXT)
def test_strong_words_skip_markdown_with_the_same_output(text: str) -> None:
    """`**strong**` in a sentence skips Markdown and the sanitizer only where the full path gives the same."""
    if markup._strong_prose(text) is None:
        return
    for inline in (True, False):
        full = markup._markdown_html(text, inline=inline)
        expected = full if inline else f'<div class="md">{full}</div>'
        assert markup._sanitize.__wrapped__(text, inline=inline) == expected


def test_the_usual_strong_words_take_the_fast_path() -> None:
    for text in ["**Good progress** on the checkout.", "Pages load in under **2 seconds** on a phone.",
                 "**A** then **B**, done."]:
        assert markup._strong_prose(text) is not None, text
    for text in ["**a** **b**", " **a**", "**a** ", "* a **b**", "a ** b **", "**a**\u00a0"]:
        assert markup._strong_prose(text) is None, text
