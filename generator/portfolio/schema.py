"""JSON Schema of every portfolio file, generated from the models the validator uses.

Editors (VS Code's YAML extension, i.e. yaml-language-server) read these to
complete keys and flag mistakes while a PM types. They see YAML *typed* the
way YAML resolves it (`1.10` is a number, `true` a boolean, in YAML 1.1 mode
also `no`), whereas `portal` reads every scalar as text and lets the model
decide. So the schema widens the scalar types to accept exactly what the
validator accepts, as far as JSON Schema can say it: text fields also take
numbers and booleans, whole numbers and numbers also take their text forms,
dates are `YYYY-MM-DD` strings. Only draft-07 keywords are used (with the
2020-12 dialect declared), because that is what yaml-language-server checks.

Refresh the committed copies in generator/portfolio/schemas/ after changing model.py or values.py:

    python -m generator.portfolio.schema            # or: python -m generator.portfolio.schema OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from generator.portfolio.model import FILE_MODELS
from generator.portfolio.values import ISO_DATE_RE, NUMBER_RE, WHOLE_NUMBER_RE

SCHEMA_DIR = Path(__file__).parent / "schemas"
"""The generated schemas shipped in the package (kept up to date by tests/test_schema.py)."""
SCHEMA_BASE_URL = "https://transparency-portal.invalid/schemas/"
"""Base of each schema's `$id`: a name, not a download location (files are referenced by path)."""
EXTENSION_KEYS = "^x-"
"""Keys the user keeps for their own tooling; the validator ignores them at every level."""
WHOLE_NUMBER_TEXT = f"^{WHOLE_NUMBER_RE.pattern}$"
NUMBER_TEXT = f"^{NUMBER_RE.pattern}$"
NOT_NULL: dict[str, Any] = {"not": {"type": "null"}}

_NOTIFY_NEEDS_EMAIL: dict[str, Any] = {
    "if": {"required": ["notify"], "properties": {"notify": {"type": "array", "minItems": 1}}},
    "then": {"required": ["email"], "properties": {"email": NOT_NULL}},
}

# Rules within one item that rules.py checks after the models; repeated here so
# an editor flags them while typing. tests/test_schema.py holds both to the same cases.
_ITEM_RULES: dict[str, list[dict[str, Any]]] = {
    "Milestone": [
        {"if": {"required": ["status"], "properties": {"status": {"const": "done"}}},
         "then": {"required": ["actual"], "properties": {"actual": NOT_NULL}}},
    ],
    "Question": [
        {"if": {"required": ["status"], "properties": {"status": {"const": "answered"}}},
         "then": {"required": ["answer", "answered"],
                  "properties": {"answer": NOT_NULL, "answered": NOT_NULL}}},
        {"if": {"properties": {"status": {"const": "open"}}},  # also when status is left out
         "then": {"properties": {"answer": {"type": "null"}, "answered": {"type": "null"}}}},
    ],
    "ChangeRequest": [
        {"if": {"required": ["status"], "properties": {"status": {"enum": ["approved", "rejected"]}}},
         "then": {"required": ["decided"], "properties": {"decided": NOT_NULL}}},
        {"if": {"properties": {"status": {"enum": ["proposed", "under-review"]}}},
         "then": {"properties": {"decided": {"type": "null"}}}},
    ],
    "Person": [_NOTIFY_NEEDS_EMAIL],
    "TeamMember": [_NOTIFY_NEEDS_EMAIL],
    "FeedbackRound": [
        {"if": {"required": ["score"], "properties": {"score": NOT_NULL}},
         "then": {"required": ["scale"], "properties": {"scale": NOT_NULL}}},
        {"properties": {"score": {"minimum": 0}}},
    ],
}


_LIMIT_KEYWORDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _limits(schema: Any) -> dict[str, Any]:
    """A number's bounds (values.py) as JSON Schema keywords; its text form has a pattern of its own."""
    return {keyword: schema[key] for key, keyword in _LIMIT_KEYWORDS.items() if key in schema}


class _EditorSchema(GenerateJsonSchema):
    """Pydantic's schema generation, with scalars typed as an editor sees unquoted YAML."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        result = super().str_schema(schema)
        result["type"] = ["string", "number", "boolean"]  # `name: 1.10`, `summary: true`
        return result

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        return {"type": ["integer", "string"], "pattern": WHOLE_NUMBER_TEXT,
                "patternErrorMessage": "expected a whole number", **_limits(schema)}

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        return {"type": ["number", "string"], "pattern": NUMBER_TEXT,
                "patternErrorMessage": "expected a number", **_limits(schema)}

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        # No "type": string: yaml.safe_load makes an unquoted date a date object, which no JSON type
        # names; "format" and "pattern" check text only, so both readings of the file pass.
        return {"not": {"type": ["number", "boolean", "array", "object", "null"]}, "format": "date",
                "pattern": f"^{ISO_DATE_RE.pattern}$",
                "patternErrorMessage": "expected a date written YYYY-MM-DD"}

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        result = super().model_schema(schema)
        if result.get("additionalProperties") is False:
            result["patternProperties"] = {EXTENSION_KEYS: {}}
        rules = _ITEM_RULES.get(schema["cls"].__name__)
        if rules:
            result["allOf"] = rules
        return result

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        result = super().default_schema(schema)
        if "default" in result and result["default"] is None:
            del result["default"]  # editors would complete `key: null`
        return result

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # "Cadence Days" adds nothing to the key itself


def schema_name(filename: str) -> str:
    """`status.yml` -> `status.schema.json`: the schema file that describes a portfolio file."""
    return filename.removesuffix(".yml") + ".schema.json"


def _describe(filename: str, shape: Any) -> str:
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        return (shape.__doc__ or filename).strip()
    item = shape.__args__[0]
    return f"{filename}: a list of {item.__name__} items. {(item.__doc__ or '').strip()}".strip()


def file_schema(filename: str) -> dict[str, Any]:
    """The JSON Schema of one portfolio file (a key of FILE_MODELS)."""
    shape = FILE_MODELS[filename]
    body = TypeAdapter(shape).json_schema(schema_generator=_EditorSchema)
    head = {
        "$schema": _EditorSchema.schema_dialect,
        "$id": SCHEMA_BASE_URL + schema_name(filename),
        "title": f"Transparency Portal {filename}",
        "description": _describe(filename, shape),
    }
    return {**head, **{k: v for k, v in body.items() if k not in ("title", "description")}}


def schemas() -> dict[str, dict[str, Any]]:
    """Every file's schema, by schema file name (`customer.schema.json`, ...)."""
    return {schema_name(name): file_schema(name) for name in FILE_MODELS}


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as written to disk: stable, readable, diff-friendly."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema into `out_dir` (created if needed); returns the files, changed or not."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out_dir / name
        text = schema_text(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_DIR
    for written_path in write_schemas(target):
        print(written_path)
