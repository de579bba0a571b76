"""Dates, money and counts in the customer's language, in pages, charts and feeds; content pages per language.

The example portfolio is built with its customers speaking German and
French: a reader sees `24.11.2026` and `148.000 €`, while what machines read
(feed timestamps, calendar dates, anchors) stays ISO. The portal's words are
not translated yet (the catalogs come later), so these tests check forms and
structure, and the pseudo-locale shows which words went through gettext.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import feedparser
import icalendar
import pytest

from generator.build.portals import BuildOptions, build_portfolio
from generator.facts.trend_chart import CHAR_WIDTH, LEFT, layout_trend
from generator.i18n import formats
from generator.i18n.translate import PSEUDO_ENV, speaking
from generator.pages.filters import days, label, money, signed_money, slip, when
from tests.conftest import DAY, EXAMPLE, write_portfolio

NBSP, NNBSP = "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}"
LANGUAGES = {"northwind": "de", "harbor-health": "fr"}


@pytest.fixture(scope="module")
def portals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example portfolio built with Northwind speaking German and Harbor Health French."""
    root = tmp_path_factory.mktemp("languages")
    projects = root / "projects"
    shutil.copytree(EXAMPLE, projects)
    for slug, language in LANGUAGES.items():
        customer = projects / slug / "customer.yml"
        text = re.sub(r"(?m)^language: .*\n", "", customer.read_text(encoding="utf-8"))
        customer.write_text(f"{text}language: {language}\n", encoding="utf-8")
    build_portfolio(projects, root / "site", BuildOptions(today=DAY))
    return {slug: root / "site" / slug for slug in LANGUAGES}


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_pages_write_dates_and_money_as_the_customer_does(portals: dict[str, Path]) -> None:
    de, fr = portals["northwind"], portals["harbor-health"]
    overview = page(de, "website-relaunch/index.html")
    assert f'<span class="portal-nowrap">148.000{NBSP}€</span>' in overview
    assert f'<span class="portal-nowrap">+8.300{NBSP}€</span>' in overview  # the forecast's overrun, signed
    shown = re.findall(r'<span class="portal-date">([^<]*)</span>', overview)
    assert shown and all(re.fullmatch(r"(\w+\. )?\d\d\.\d\d\.\d{4}", text) for text in shown), shown
    assert re.search(r'<span class="portal-date">\w\w\. \d\d\.\d\d\.\d{4}</span>', overview)  # `when`
    assert f"265{NNBSP}000" in page(fr, "patient-app/index.html")
    french = re.findall(r'<span class="portal-date">([^<]*)</span>', page(fr, "patient-app/index.html"))
    assert french and all(re.search(r"\d\d/\d\d/\d{4}$", text) for text in french), french


def test_what_machines_read_stays_iso(portals: dict[str, Path]) -> None:
    de = portals["northwind"]
    overview = page(de, "website-relaunch/index.html")
    assert 'status.html#update-2026-11-24"' in overview and 'portal-date">24.11.2026<' in overview
    feed = feedparser.parse((de / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "de"
    entry = next(e for e in feed.entries if "24.11.2026" in e.title)
    assert entry.updated == "2026-11-24T00:00:00Z" and entry.link.endswith("status.html#update-2026-11-24")
    ics = (de / "calendar.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(ics)
    m3 = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("M3 "))
    assert b"DTSTART;VALUE=DATE:20" in ics and isinstance(m3.decoded("DTSTART"), date)
    assert m3["SUMMARY"].params["LANGUAGE"] == "de"
    words = str(m3["DESCRIPTION"])
    assert re.search(r"\w \d\d\.\d\d\.\d{4}", words) and not re.search(r"\d{4}-\d\d-\d\d", words)


def test_charts_name_months_in_the_customers_language(portals: dict[str, Path]) -> None:
    de, fr = portals["northwind"], portals["harbor-health"]
    months = re.findall(r'class="portal-tl__month"[^>]*>([^<]*)<', page(de, "website-relaunch/plan.html"))
    assert "Okt" in months and "Dez" in months and "Oct" not in months
    dates = re.findall(r'class="portal-hs__date"[^>]*>([^<]*)<', page(de, "website-relaunch/status.html"))
    assert dates[0] == "6&#46; Okt. 2026" and dates[1] == "13&#46; Okt."
    french = re.findall(r'class="portal-tl__month"[^>]*>([^<]*)<', page(fr, "patient-app/plan.html"))
    assert french and all(m[0].islower() for m in french), french


def test_english_keeps_the_portals_own_forms() -> None:
    with speaking("en"):
        assert money(-4800, "EUR") == '<span class="portal-nowrap">EUR −4,800</span>'
        assert signed_money(-3000, "EUR") == '<span class="portal-nowrap">−EUR 3,000</span>'
        assert str(when(date(2026, 12, 4), date(2026, 12, 1))) == (
            '<span class="portal-date">Fri 2026-12-04</span>, in 3 days')
    with speaking("de"):
        assert money(-4800, "EUR") == f'<span class="portal-nowrap">−4.800{NBSP}€</span>'
        assert str(when(date(2026, 12, 4), date(2026, 12, 1))).startswith(
            '<span class="portal-date">Fr. 04.12.2026</span>')


def test_counts_and_codes_go_through_gettext(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (days(1), days(2), slip(1), slip(-2, "")) == ("1 day", "2 days", "+1 calendar day", "−2 days")
    assert str(when(date(2026, 11, 25), DAY)).endswith(", 1 day ago")
    monkeypatch.setenv(PSEUDO_ENV, "1")
    assert days(1).startswith("⟦1 day ") and days(2).startswith("⟦2 days ")
    assert str(when(DAY, DAY)).startswith('⟦<span class="portal-date">')
    assert label("in-progress").startswith("⟦In progress ") and label("amber").startswith("⟦Amber ")
    assert label("something-else") == "Something else"  # not a contract value: no word to translate


def test_calendar_counts_a_single_day_in_the_singular(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, {"acme/web/plan.yml": """\
        milestones:
          - {id: M1, title: Launch, baseline: 2026-12-01, forecast: 2026-12-02}
        """})
    build_portfolio(projects, tmp_path / "site", BuildOptions(today=DAY))
    calendar = icalendar.Calendar.from_ical((tmp_path / "site/acme/calendar.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert "expected 2026-12-02 (+1 day)." in str(event["DESCRIPTION"])


CONTENT = {
    "../content/how-we-work.md": "# How we work\n",
    "../content/how-we-work.de.md": "# So arbeiten wir\n",
    "../content/glossary.fr.md": "# Glossaire\n",
    "../content/plan.2027.md": "# Plan 2027\n",
    "acme/customer.yml": "name: Acme Corp\nlanguage: de\n",
    "acme/content/faq.md": "# FAQ\n",
    "acme/content/faq.de.md": "# Häufige Fragen\n",
    "beta/customer.yml": "name: Beta\n",
    "beta/web/project.yml": "name: Shop\n",
}


def test_content_pages_come_in_the_customers_language(tmp_path: Path) -> None:
    projects = write_portfolio(tmp_path, CONTENT)
    build_portfolio(projects, tmp_path / "site", BuildOptions(today=DAY))
    acme, beta = tmp_path / "site/acme/about", tmp_path / "site/beta/about"
    assert sorted(p.name for p in acme.glob("*.html")) == ["faq.html", "how-we-work.html", "plan.2027.html"]
    assert "So arbeiten wir" in page(acme, "how-we-work.html") and "Häufige Fragen" in page(acme, "faq.html")
    assert sorted(p.name for p in beta.glob("*.html")) == ["how-we-work.html", "plan.2027.html"]
    assert "How we work" in page(beta, "how-we-work.html")
    assert "So arbeiten wir" in page(tmp_path / "site/acme", "index.html")  # the home page lists it so


def test_trend_chart_makes_room_for_longer_month_names() -> None:
    trend = {"M1": [(date(2026, 3, 1), date(2026, 6, 1)), (date(2026, 5, 1), date(2027, 2, 1))]}
    with speaking("en"):
        english = layout_trend("t", trend, {}, DAY)
    with speaking("pt-BR"):
        portuguese = layout_trend("t", trend, {}, DAY)
    assert english is not None and portuguese is not None
    assert english.left == LEFT and any(t.label == "Jan 2027" for t in english.y_ticks)
    assert any(t.label == "jan. de 2027" for t in portuguese.y_ticks)
    assert all(t.x - len(t.label) * CHAR_WIDTH >= 0 for t in portuguese.y_ticks)
    assert portuguese.left > LEFT and portuguese.x_ticks[0].x == portuguese.left


def test_feed_and_calendar_words_are_all_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the pseudo-locale every word the portal wrote into its feeds is inside ⟦…⟧."""
    projects = write_portfolio(tmp_path, {
        "acme/web/plan.yml": """\
            milestones:
              - {id: M1, title: Launch, baseline: 2026-12-01, forecast: 2026-12-09, owner: vendor}
              - {id: M2, title: Pilot, baseline: 2026-10-01, actual: 2026-10-02, status: done}
            """,
        "acme/web/questions.yml": """\
            - {id: Q-1, question: Which logo?, owner: customer, asked: 2026-11-01, due: 2026-12-01,
               blocks: [M1]}
            """,
        "acme/web/status.yml": "- {date: 2026-11-20, health: amber, summary: Fine.}\n",
    })
    monkeypatch.setenv(PSEUDO_ENV, "1")
    build_portfolio(projects, tmp_path / "site", BuildOptions(today=DAY))
    site = tmp_path / "site/acme"
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    titles = [feed.feed.title, *(e.title for e in feed.entries)]
    assert len(titles) == 2 and all(t.startswith("⟦") and t.endswith("⟧") for t in titles), titles
    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    lines = [str(calendar["X-WR-CALNAME"])]
    for event in calendar.walk("VEVENT"):
        lines += [str(event["SUMMARY"]), *str(event["DESCRIPTION"]).split("\n")]
    written = [line for line in lines if line not in ("Which logo?", "M1 Launch (Website relaunch)")]
    assert len(written) == 14, written
    assert all(line.startswith("⟦") and line.endswith("⟧") for line in written), written


def test_a_gain_carries_its_plus_where_the_language_writes_its_minus() -> None:
    """Dutch writes '€ −4.800', so a gain is '€ +9.750', not '+€ 9.750'; German puts both in front."""
    with speaking("nl"):
        assert (formats.money(9750, "EUR", signed=True), formats.money(-4800, "EUR", signed=True)) == (
            "€\N{NO-BREAK SPACE}+9.750", "€\N{NO-BREAK SPACE}−4.800")
    with speaking("de"):
        assert formats.money(9750, "EUR", signed=True).startswith("+9.750")
