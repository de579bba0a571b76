"""The JSON Schemas say what the validator says: accept the example portfolio, reject each defect.

Editors see YAML in one of two ways, and the schema must hold for both:
- "typed": as yaml-language-server resolves unquoted scalars (numbers,
  booleans, null; YAML 1.1's `no`/`on` too; dates stay text, as it keeps them);
- "text": every scalar as written, which is how `portal` reads it (and how an
  editor sees quoted values).
"""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
import yaml

from generator.i18n.languages import SHIPPED
from generator.portfolio.load import load_document
from generator.portfolio.model import FILE_MODELS
from generator.portfolio.schema import SCHEMA_DIR, schema_name, schema_text, schemas, write_schemas
from generator.portfolio.validate import parse_file, validate_portfolio
from generator.portfolio.values import Language
from tests.conftest import EXAMPLE, REPO, write_portfolio

SCHEMAS = schemas()
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class TypedLoader(yaml.SafeLoader):
    """yaml.safe_load's typing, minus timestamps (yaml-language-server keeps dates as their text)."""


TypedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def typed(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=TypedLoader)


def as_text(path: Path) -> Any:
    doc, problems = load_document(path.read_bytes(), path.name)
    assert doc is not None and not problems, problems
    return doc.data


def safe_loaded(path: Path) -> Any:
    """What Python tools read: yaml.safe_load makes unquoted dates date objects."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


VIEWS = {"typed": typed, "text": as_text}


def schema_errors(filename: str, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        SCHEMAS[schema_name(filename)], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def cases(table: list[tuple[Any, ...]]) -> list[Any]:
    """(id, filename, text[, mark]) rows as pytest params."""
    return [pytest.param(row[1], row[2], id=row[0], marks=row[3:]) for row in table]



def write(tmp_path: Path, filename: str, text: str) -> Path:
    path = tmp_path / filename
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the schemas themselves ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = SCHEMAS[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name) and schema["title"] and schema["description"]


def test_one_schema_per_file_type() -> None:
    assert sorted(SCHEMAS) == sorted(f"{name.removesuffix('.yml')}.schema.json" for name in FILE_MODELS)


def test_committed_schemas_are_up_to_date() -> None:
    committed = {p.name for p in SCHEMA_DIR.glob("*.schema.json")}
    assert committed == set(SCHEMAS), "refresh with: python -m generator.portfolio.schema"
    for name, schema in SCHEMAS.items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == schema_text(schema), (
            f"{name} is out of date; refresh with: python -m generator.portfolio.schema")


def test_write_schemas_writes_every_file(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(SCHEMAS)
    assert all(p.read_text(encoding="utf-8") == schema_text(SCHEMAS[p.name]) for p in written)


# --- what the validator accepts, the schema accepts ----------------------------------------------


def example_files() -> list[Path]:
    files = sorted(p for p in EXAMPLE.rglob("*.yml") if p.name in FILE_MODELS)
    assert files, f"no example portfolio files under {EXAMPLE}"
    return files


def test_example_portfolio_covers_every_file_type() -> None:
    assert {p.name for p in example_files()} == set(FILE_MODELS)
    assert validate_portfolio(EXAMPLE)[1] == []


@pytest.mark.parametrize("view", sorted([*VIEWS, "safe_load"]))
def test_schema_accepts_every_example_file(view: str) -> None:
    read = {**VIEWS, "safe_load": safe_loaded}[view]
    failures = {str(p.relative_to(EXAMPLE)): schema_errors(p.name, read(p)) for p in example_files()}
    assert {k: v for k, v in failures.items() if v} == {}


def test_check_jsonschema_accepts_every_example_and_scaffolded_file(tmp_path: Path) -> None:
    """The schemas as a CI step or pre-commit hook uses them: `check-jsonschema` on the files as written."""
    import shutil
    import subprocess
    import sys

    from generator.commands.scaffold import init_portfolio

    init_portfolio(tmp_path / "p", today=date(2026, 11, 26))
    scaffolded = sorted(p for p in (tmp_path / "p" / "projects").rglob("*.yml") if p.name in FILE_MODELS)
    assert {p.name for p in scaffolded} == set(FILE_MODELS)
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert tool, "pip install check-jsonschema (the test extra)"
    for name in FILE_MODELS:
        files = [str(p) for p in [*example_files(), *scaffolded] if p.name == name]
        done = subprocess.run([tool, "--schemafile", str(SCHEMA_DIR / schema_name(name)), *files],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


RULE_KEYWORDS = ("allOf", "if", "then", "else", "not")
"""Where the schema restates a rule (schema.py's _ITEM_RULES): no new property is declared there."""


def test_every_property_has_a_description() -> None:
    """Completion and hover in an editor show these (the models' field docstrings)."""
    def bare(node: Any, path: str) -> list[str]:
        if isinstance(node, dict):
            found = [f"{path}.{key}" for key, value in node.get("properties", {}).items()
                     if not value.get("description")]
            return found + [f for key, value in node.items() if key not in RULE_KEYWORDS
                            for f in bare(value, f"{path}/{key}")]
        return [f for i, value in enumerate(node) for f in bare(value, f"{path}/{i}")] \
            if isinstance(node, list) else []
    assert [f for name, schema in SCHEMAS.items() for f in bare(schema, name)] == []
    day = SCHEMAS["status.schema.json"]["$defs"]["StatusUpdate"]["properties"]["date"]
    assert day["examples"] == ["2026-11-26"] and "YYYY-MM-DD" in day["description"]


S = "- date: 2026-11-20\n  health: green\n  summary: s\n"
ACCEPTED = [
    ("text-looks-like-other-types", "customer.yml", "name: no\ncontacts: [{name: on, role: 1.10}]\n"),
    ("language-theme-site-url", "customer.yml",
     "name: A\nlanguage: pt-BR\ntheme: corporate_2\nsite_url: https://portal.example.com/acme/\n"),
    ("first-and-last-day", "project.yml", "name: W\nstart: 1970-01-01\nend: '2099-12-31'\n"),
    ("cadence-bounds", "project.yml", "name: W\ncadence_days: 365\n"),
    ("cadence-lowest", "project.yml", "name: W\ncadence_days: '1'\n"),
    ("money-bounds", "project.yml",
     "name: W\nbudget:\n  approved: 999999999999\n  spent: 0\n  forecast: '999999999999.99'\n"),
    ("impact-bounds", "changes.yml",
     "- id: C1\n  requested: 2026-11-05\n  title: T\n  impact: {days: -36500, cost: -999999999999}\n"
     "- id: C2\n  requested: 2026-11-05\n  title: T\n  impact: {days: '36500', cost: '1e6'}\n"),
    ("count-and-score-bounds", "feedback.yml",
     "- {id: F1, date: 2026-11-01, score: 1000, scale: '1000', responses: 999999}\n"),
    ("text-true-and-number", "project.yml", "name: true\nsummary: 2026-01-01\nfeedback_url: 42\n"),
    ("list-items-look-like-numbers", "status.yml", S + "  done: [no, 1.0, 7]\n"),
    ("quoted-whole-number", "project.yml", "name: W\ncadence_days: '14'\n"),
    ("quoted-money", "project.yml", "name: W\nbudget:\n  approved: '120000.50'\n  spent: '1e4'\n"),
    ("quoted-date", "status.yml", "- date: '2026-11-20'\n  health: red\n  summary: s\n"),
    ("empty-optional-fields", "project.yml", "name: W\nsummary:\nphase: ~\nbudget:\n"),
    ("extension-keys-everywhere", "changes.yml",
     "- id: CR-1\n  x-jira: PRJ-7\n  requested: 2026-11-05\n  title: T\n"
     "  impact:\n    x-note: {any: [thing]}\n    days: -3\n"),
    ("internal-anything-textual", "risks.yml",
     "- {id: R-1, title: T, likelihood: low, impact: high, internal: 12, visibility: internal}\n"),
    ("answered-question", "questions.yml",
     "- {id: Q1, asked: 2026-11-01, question: Why, owner: vendor, status: answered, answer: 'Yes',"
     " answered: 2026-11-02}\n"),
    ("approved-change", "changes.yml",
     "- {id: C1, requested: 2026-11-01, title: T, status: approved, decided: 2026-11-02}\n"),
    ("done-milestone", "plan.yml",
     "milestones:\n  - {id: M1, title: T, baseline: 2026-11-01, status: done, actual: 2026-11-03}\n"),
    ("score-with-scale", "feedback.yml", "- {id: F1, date: 2026-11-01, score: 7.5, scale: 10}\n"),
    ("empty-lists", "decisions.yml", "[]\n"),
    ("notify-lists-and-none", "customer.yml",
     "name: A\ncontacts:\n  - {name: J, email: j@x.example, notify: [digest, reminders]}\n"
     "  - {name: K, notify: none}\n"),
]


@pytest.mark.parametrize(("filename", "text"), cases(ACCEPTED))
def test_validator_and_schema_both_accept(tmp_path: Path, filename: str, text: str) -> None:
    path = write(tmp_path, filename, text)
    assert parse_file(path, filename, filename)[2] == []
    for view, load in VIEWS.items():
        assert schema_errors(filename, load(path)) == [], view


def test_languages_are_those_of_the_installed_theme() -> None:
    """model.Language is a snapshot of mkdocs-material's languages: refresh it when material adds one."""
    import material

    installed = Path(material.__file__).parent / "templates/partials/languages"
    assert sorted(get_args(Language)) == sorted(p.stem for p in installed.glob("*.html"))


def test_every_shipped_language_is_named_where_a_pm_chooses_one() -> None:
    """The schema's description of `language` (what an editor shows on hover), the scaffolded
    customer.yml and docs/format.md name every language the portal has its own words in: add it
    there when you add a catalog."""
    described = SCHEMAS[schema_name("customer.yml")]["properties"]["language"]["description"]
    scaffold = (REPO / "generator/commands/scaffold_templates/customer.yml.j2").read_text(encoding="utf-8")
    row = next(line for line in (REPO / "docs/format.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `language` |"))
    for where, text in (("schema", described), ("scaffold", scaffold), ("docs/format.md", row)):
        named = set(re.findall(r"(?<![\w-])(?:`)?([a-z]{2})(?:`)?(?![\w-])", text))
        assert set(SHIPPED) <= named, f"{where} does not name {sorted(set(SHIPPED) - named)}"


# --- what the validator rejects, the schema rejects ----------------------------------------------

P = "name: W\n"
FIELD_DEFECTS = [
    ("unknown-key", "customer.yml", "name: A\nlanguge: en\n"),
    ("unknown-nested-key", "project.yml", P + "budget:\n  aproved: 1\n"),
    ("unknown-key-in-list-item", "risks.yml",
     "- {id: R1, title: T, likelihood: low, impact: low, prio: 1}\n"),
    ("missing-required-name", "customer.yml", "site_url: x\n"),
    ("missing-required-in-item", "status.yml", "- date: 2026-11-20\n  health: green\n"),
    ("missing-contact-name", "customer.yml", "name: A\ncontacts:\n  - role: PO\n"),
    ("required-text-null", "project.yml", "name:\n"),
    ("required-text-empty", "status.yml", "- date: 2026-11-20\n  health: red\n  summary: ''\n"),
    ("wrong-enum-phase", "project.yml", P + "phase: building\n"),
    ("wrong-enum-health", "status.yml", "- date: 2026-11-20\n  health: yellow\n  summary: s\n"),
    ("wrong-enum-visibility", "project.yml", P + "visibility: secret\n"),
    ("customer-internal", "customer.yml", "name: A\nvisibility: internal\n"),
    ("wrong-enum-estimate", "changes.yml",
     "- id: C1\n  requested: 2026-11-05\n  title: T\n  impact:\n    estimate: guess\n"),
    ("bad-date-format", "project.yml", P + "start: 01/09/2026\n"),
    ("bad-date-short-month", "decisions.yml", "- {id: D1, date: 2026-1-5, title: T, status: accepted}\n"),
    ("impossible-date", "project.yml", P + "start: 2026-02-30\n"),
    ("date-as-number", "feedback.yml", "- {id: F1, date: 20261101}\n"),
    ("non-whole-days", "project.yml", P + "cadence_days: 7.5\n"),
    ("non-whole-impact-days", "changes.yml",
     "- id: C1\n  requested: 2026-11-05\n  title: T\n  impact:\n    days: 2.5\n"),
    ("days-as-text", "feedback.yml", "- {id: F1, date: 2026-11-01, responses: many}\n"),
    ("money-with-unit", "project.yml", P + "budget:\n  approved: 12k\n"),
    ("score-as-word", "feedback.yml", "- {id: F1, date: 2026-11-01, score: high, scale: 10}\n"),
    ("mapping-not-text", "project.yml", P + "summary: {a: b}\n"),
    ("list-not-text", "customer.yml", "name: [A, B]\n"),
    ("mapping-expected", "project.yml", P + "budget: 1000\n"),
    ("list-expected", "project.yml", P + "team:\n  - name: S\n    ask_about: scope\n"),
    ("list-of-mappings-in-done", "status.yml", S + "  done:\n    a: b\n"),
    ("null-list-item", "status.yml", S + "  next: [~]\n"),
    ("file-not-a-list", "status.yml", "date: 2026-11-20\n"),
    ("file-not-a-mapping", "plan.yml", "- id: M1\n"),
    ("milestones-not-a-list", "plan.yml", "milestones: M1\n"),
    ("boolean-for-enum", "risks.yml", "- {id: R1, title: T, likelihood: low, impact: true}\n"),
    ("date-year-9999", "plan.yml", "milestones:\n  - {id: M1, title: T, baseline: 9999-12-15}\n"),
    ("date-after-last-day", "questions.yml",
     "- {id: Q1, asked: 2026-11-01, question: Q, owner: vendor, due: '2100-01-01'}\n"),
    ("date-before-first-day", "project.yml", P + "start: 1969-12-31\n"),
    ("date-year-0001", "project.yml", P + "start: 0001-01-01\n"),
    ("money-infinite", "project.yml", P + "budget:\n  approved: 1e999\n"),
    ("money-infinite-typed", "project.yml", P + "budget:\n  approved: 1.0e+999\n"),
    ("money-negative", "project.yml", P + "budget:\n  spent: -3\n"),
    ("money-a-trillion", "project.yml", P + "budget:\n  forecast: 1000000000000\n"),
    ("cost-below-minus-a-trillion", "changes.yml",
     "- id: C1\n  requested: 2026-11-05\n  title: T\n  impact:\n    cost: -1000000000000\n"),
    ("cadence-negative", "project.yml", P + "cadence_days: -5\n"),
    ("cadence-zero", "project.yml", P + "cadence_days: 0\n"),
    ("cadence-over-a-year", "project.yml", P + "cadence_days: '366'\n"),
    ("impact-days-huge", "changes.yml",
     "- id: C1\n  requested: 2026-11-05\n  title: T\n  impact:\n    days: 1000000000000000000000000000000\n"),
    ("impact-days-over-a-century", "changes.yml",
     "- id: C1\n  requested: 2026-11-05\n  title: T\n  impact:\n    days: -36501\n"),
    ("responses-negative", "feedback.yml", "- {id: F1, date: 2026-11-01, responses: -1}\n"),
    ("responses-a-million", "feedback.yml", "- {id: F1, date: 2026-11-01, responses: 1000000}\n"),
    ("scale-infinite", "feedback.yml", "- {id: F1, date: 2026-11-01, score: 7, scale: 1e999}\n"),
    ("scale-over-1000", "feedback.yml", "- {id: F1, date: 2026-11-01, score: 7, scale: 1001}\n"),
    ("language-unknown", "customer.yml", "name: A\nlanguage: xx\n"),
    ("language-a-name", "customer.yml", "name: A\nlanguage: English\n"),
    ("language-no", "customer.yml", "name: A\nlanguage: no\n"),
    ("language-a-path", "customer.yml", "name: A\nlanguage: ../../etc/passwd\n"),
    ("theme-parent-folder", "customer.yml", "name: A\ntheme: ..\n"),
    ("theme-a-path", "customer.yml", "name: A\ntheme: default/../x\n"),
    ("site-url-javascript", "customer.yml", "name: A\nsite_url: 'javascript:alert(1)'\n"),
    ("site-url-no-scheme", "customer.yml", "name: A\nsite_url: portal.example.com/acme\n"),
    ("site-url-a-number", "customer.yml", "name: A\nsite_url: 1.10\n"),
    ("notify-unknown-kind", "customer.yml",
     "name: A\ncontacts:\n  - {name: J, email: j@x, notify: [digset]}\n"),
    ("notify-other-word", "project.yml", P + "team:\n  - {name: S, email: s@x, notify: all}\n"),
    ("notify-kind-twice", "customer.yml",
     "name: A\ncontacts:\n  - {name: J, email: j@x, notify: [digest, digest]}\n"),
]


@pytest.mark.parametrize(("filename", "text"), cases(FIELD_DEFECTS))
def test_validator_and_schema_both_reject_field_defect(tmp_path: Path, filename: str, text: str) -> None:
    path = write(tmp_path, filename, text)
    value, _, problems = parse_file(path, filename, filename)
    assert value is None and problems, "the validator accepts it: this is not a defect"
    for view, load in VIEWS.items():
        assert schema_errors(filename, load(path)), f"the schema accepts it when {view}"


ITEM_DEFECTS = [
    ("milestone-done-without-actual", "plan.yml",
     "milestones:\n  - {id: M1, title: T, baseline: 2026-11-01, status: done}\n"),
    ("question-answered-without-answer", "questions.yml",
     "- {id: Q1, asked: 2026-11-01, question: Why, owner: vendor, status: answered, answered: 2026-11-02}\n"),
    ("question-answered-without-date", "questions.yml",
     "- {id: Q1, asked: 2026-11-01, question: Why, owner: vendor, status: answered, answer: 'Yes'}\n"),
    ("question-open-with-answer", "questions.yml",
     "- {id: Q1, asked: 2026-11-01, question: Why, owner: vendor, answer: 'Yes'}\n"),
    ("change-approved-without-decided", "changes.yml",
     "- {id: C1, requested: 2026-11-05, title: T, status: approved}\n"),
    ("change-rejected-null-decided", "changes.yml",
     "- {id: C1, requested: 2026-11-05, title: T, status: rejected, decided: ~}\n"),
    ("change-proposed-with-decided", "changes.yml",
     "- {id: C1, requested: 2026-11-05, title: T, decided: 2026-11-06}\n"),
    ("feedback-score-without-scale", "feedback.yml", "- {id: F1, date: 2026-11-01, score: 7}\n"),
    ("team-notify-without-email", "project.yml", "name: W\nteam:\n  - {name: S, notify: [digest]}\n"),
]


@pytest.mark.parametrize(("filename", "text"), cases(ITEM_DEFECTS))
def test_validator_and_schema_both_reject_item_rule(tmp_path: Path, filename: str, text: str) -> None:
    projects = write_portfolio(tmp_path, {f"acme/web/{filename}": text})
    _, problems = validate_portfolio(projects)
    assert any(p.path.endswith(filename) for p in problems), "the validator accepts it"
    path = projects / "acme/web" / filename
    for view, load in VIEWS.items():
        assert schema_errors(filename, load(path)), f"the schema accepts it when {view}"


def test_negative_typed_score_is_rejected_by_both(tmp_path: Path) -> None:
    text = "- {id: F1, date: 2026-11-01, score: -1, scale: 10}\n"
    projects = write_portfolio(tmp_path, {"acme/web/feedback.yml": text})
    assert validate_portfolio(projects)[1]
    assert schema_errors("feedback.yml", typed(projects / "acme/web/feedback.yml"))
