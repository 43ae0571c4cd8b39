"""Published JSON Schemas of the library's file formats, generated from the models.

Each schema is generated from the attrs class the library structures the file into — the
canonical youths format from :class:`~kaa.model.youth.Youth`, the cases format from
:class:`~kaa.model.case.Case`, each TOML data file from the file model its loader reads — so
a schema cannot drift from what the reader accepts. They are shipped in
``kaa/data/schemas/`` (:func:`schema_path`) and regenerated with
``python scripts/regenerate_schemas.py``; a test checks that every shipped schema equals the
generated one and that every shipped data and example file validates against its schema.

An editor validates a file as it is typed: a TOML data file names its schema on its first
line (``#:schema ../schemas/timetable.schema.json``, read by Taplo / Even Better TOML); a
JSON file is mapped to its schema in the editor's settings (the youths file is a JSON array,
which has no place for a ``$schema`` key, and the reader refuses unknown keys).

The schemas say what a value's shape is (types, required keys, allowed words, a date as
``YYYY-MM-DD``); what only the library can check (an identity number's check digit, a
kommunkod being one of the 290, a measure starting after it was offered) is checked when
the file is read, and reported with its line and ``$.path``. In a TOML file a key with no
value is left out; TOML dates are validated as their ``YYYY-MM-DD`` text.

    >>> schema = generate("timetable")
    >>> schema["$id"]
    'https://kaa.invalid/schemas/timetable.schema.json'
    >>> sorted(schema["properties"])
    ['municipality', 'rule_id', 'versions']
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import types
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final, Literal, NewType, Union, get_args, get_origin

import attrs

from kaa.adapters import profile as _profile
from kaa.adapters import scb as _scb_source
from kaa.convert import Dated, Kommunkod
from kaa.dated import Timeline
from kaa.formats import filled as _filled
from kaa.formats import goals as _goals
from kaa.formats.mapping import Headings
from kaa.identity import IdentityNumber
from kaa.law import Citation, DocumentReference
from kaa.model.case import Case
from kaa.model.youth import Labelled, Youth, check_municipality_code
from kaa.municipal import trollhattan as _trollhattan
from kaa.municipalities import all_municipalities
from kaa.period import HalfYear
from kaa.rules import contact as _contact
from kaa.rules import measures as _measures
from kaa.rules import plan as _plan
from kaa.rules import retention as _retention
from kaa.scb import layout as _layout

__all__ = [
    "SCHEMAS",
    "SCHEMA_BASE",
    "SchemaSpec",
    "dumps",
    "generate",
    "schema_path",
]

SCHEMA_BASE: Final = "https://kaa.invalid/schemas/"
"""The base of every schema's ``$id``: a name, not an address that can be fetched (the
schemas are shipped with the library; ``.invalid`` can never resolve)."""

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_IDENTITY: Final = {
    "description": (
        "A personnummer, samordningsnummer or interim number: YYMMDD-NNNC, YYMMDD+NNNC, "
        "YYMMDDNNNC, YYYYMMDD-NNNC or YYYYMMDDNNNC (or an integer); the check digit is "
        "checked by the library"
    ),
    "anyOf": [
        {"type": "string", "pattern": r"^\s*([0-9]{2})?[0-9]{6}[-+]?[0-9A-Za-z]{4}\s*$"},
        {"type": "integer", "minimum": 0},
    ],
}


@attrs.frozen(kw_only=True)
class SchemaSpec:
    """One published schema.

    Attributes:
        name: The schema's name: the file is ``<name>.schema.json``.
        title: What the file is.
        root: The type the file is structured into.
        data_file: ``True`` for a TOML data file (read with :func:`kaa.convert.load_toml`),
            ``False`` for a JSON format (read with :func:`kaa.convert.structure`).
        array: For a JSON format: the file may also be a JSON array of records.
        replace: Types the owning module's converter reads through another class or a
            custom hook, each with the class or the schema that stands for it.
        keys: Further facts a field's validator checks, by ``(class, key)``, merged into the
            key's schema (e.g. the words a text key allows).
        shipped: The library's own files in this format, relative to the ``kaa`` package.
    """

    name: str
    title: str
    root: Any
    data_file: bool
    array: bool = False
    replace: Mapping[Any, Any] = attrs.field(factory=dict)
    keys: Mapping[tuple[Any, str], Mapping[str, Any]] = attrs.field(factory=dict)
    shipped: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        """``<name>.schema.json``."""
        return f"{self.name}.schema.json"


_HEADINGS: Final = {
    "description": "A heading of the export, or a list of the headings it may have",
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
}

_OFFSET: Final = {
    "description": 'A span of calendar time: "1 week", "8 weeks", "10 days", "3 months"',
    "type": "string",
}


def _words(*words: str) -> dict[str, Any]:
    return {"enum": list(words)}


SCHEMAS: Final[tuple[SchemaSpec, ...]] = (
    SchemaSpec(
        name="youth",
        title="kaa youths: the canonical youths format (one youth, or a JSON array of youths)",
        root=Youth,
        data_file=False,
        array=True,
    ),
    SchemaSpec(
        name="case",
        title="kaa cases: one case of the cases format (a JSON Lines line, or a JSON array)",
        root=Case,
        data_file=False,
        array=True,
    ),
    SchemaSpec(
        name="timetable",
        title="kaa contact timetable (dated versions of a municipality's contact routine)",
        root=Dated[_contact.Timetable],
        data_file=True,
        replace={_contact.Step: _contact._StepEntry, _contact.Offset: _OFFSET},
        keys={(_contact._StepEntry, "channel"): _words(*_contact._CHANNELS)},
        shipped=("data/timetables/national.toml", "municipal/askersund/timetable.toml"),
    ),
    SchemaSpec(
        name="measures",
        title="kaa measure catalogue (a municipality's measures, insatser)",
        root=_measures._CatalogueFile,
        data_file=True,
        replace={_measures.MeasureDefinition: _measures._Entry},
        shipped=("municipal/askersund/measures.toml", "municipal/stockholm/measures.toml"),
    ),
    SchemaSpec(
        name="national-measures",
        title="kaa national base catalogue of measures (dated versions)",
        root=Dated[tuple[_measures.MeasureDefinition, ...]],
        data_file=True,
        replace={_measures.MeasureDefinition: _measures._Entry},
        shipped=("data/measures/national.toml",),
    ),
    SchemaSpec(
        name="retention",
        title="kaa retention rule (gallring: dated versions of how long a closed case is kept)",
        root=Dated[_retention.RetentionRule],
        data_file=True,
    ),
    SchemaSpec(
        name="follow-up",
        title="kaa follow-up policy of the individual plan (dated versions)",
        root=Dated[_plan.FollowUpPolicy],
        data_file=True,
        shipped=("municipal/askersund/follow_up.toml",),
    ),
    SchemaSpec(
        name="goals",
        title="kaa goals of a municipality's plan for the committee report",
        root=_goals._GoalsFile,
        data_file=True,
        keys={(_goals.Goal, "direction"): _words(*_goals._DIRECTIONS)},
        shipped=("municipal/askersund/goals.toml",),
    ),
    SchemaSpec(
        name="column-profile",
        title="kaa column profile: the columns and words of a register system's export",
        root=_profile._ProfileFile,
        data_file=True,
        replace={Headings: _HEADINGS},
        shipped=(
            "adapters/profiles/ist.toml",
            "adapters/profiles/ber.toml",
            "adapters/profiles/hypernet.toml",
        ),
    ),
    SchemaSpec(
        name="contacts-profile",
        title="kaa contacts profile: the columns and words of a filled-in contacts export",
        root=_filled._ProfileFile,
        data_file=True,
        replace={Headings: _HEADINGS},
        shipped=(
            "adapters/profiles/ist-contacts.toml",
            "adapters/profiles/ber-contacts.toml",
            "adapters/profiles/hypernet-contacts.toml",
        ),
    ),
    SchemaSpec(
        name="scb-mapping",
        title="kaa mapping file of the scb source (a prior SCB file read as a register)",
        root=_scb_source._MappingFile,
        data_file=True,
    ),
    SchemaSpec(
        name="scb-layout",
        title="kaa SCB file layout (the columns, blocks and codes of the half-year file)",
        root=_layout._LayoutFile,
        data_file=True,
        shipped=("scb/layouts/default.toml",),
    ),
    SchemaSpec(
        name="allowance",
        title="kaa measure allowance rule (dated versions of a municipality's placement rule)",
        root=Dated[_trollhattan.PlacementRule],
        data_file=True,
        shipped=("municipal/trollhattan/allowance.toml",),
    ),
    SchemaSpec(
        name="amount",
        title="kaa dated amount (dated versions of an amount, e.g. CSN's studiebidrag)",
        root=Dated[Decimal],
        data_file=True,
        shipped=("data/csn_studiebidrag.toml",),
    ),
)
"""Every schema the library publishes."""

_BY_NAME: Final = {spec.name: spec for spec in SCHEMAS}


def schema_path(name: str) -> Traversable:
    """The shipped schema file ``<name>.schema.json`` (in ``kaa/data/schemas/``)."""
    return files("kaa.data").joinpath("schemas", f"{name}.schema.json")


def dumps(schema: Mapping[str, Any]) -> str:
    """A schema as the shipped file holds it: indented JSON, keys in order, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


# -- the docstrings: one description per key ---------------------------------------------------

_SECTION = re.compile(r"^(\s*)(Attributes|Args):\s*$")
_ENTRY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)(?: \([^)]*\))?:\s*(.*)$")


def _clean(text: str) -> str:
    text = re.sub(r":(?:class|func|meth|attr|data|mod):`~?([^`]*)`", r"\1", text)
    text = text.replace("``", "`")
    return " ".join(text.split())


def _summary(cls: type) -> str | None:
    doc = cls.__doc__ or ""
    if not doc.strip() or doc.startswith(f"{cls.__name__}("):  # attrs.make_class's default
        return None
    first = doc.strip().split("\n\n")[0]
    return _clean(first)


def _attribute_docs(cls: type) -> dict[str, str]:
    """The ``Attributes:`` section of a Google-style class docstring, by name."""
    found: dict[str, str] = {}
    lines = (cls.__doc__ or "").expandtabs().splitlines()
    in_section, indent, current = False, -1, None
    for line in lines:
        if _SECTION.match(line):
            in_section, indent, current = True, -1, None
            continue
        if not in_section:
            continue
        if not line.strip():
            current = None if indent >= 0 else current
            continue
        depth = len(line) - len(line.lstrip())
        entry = _ENTRY.match(line)
        if entry and (indent < 0 or depth == indent):
            indent = depth
            current = entry.group(2)
            found[current] = entry.group(3)
        elif current is not None and depth > indent >= 0:
            found[current] += " " + line.strip()
        elif depth <= indent:
            in_section = False
    return {k: _clean(v) for k, v in found.items()}


# -- the generator ------------------------------------------------------------------------------


def _key(attribute: attrs.Attribute[Any]) -> str:
    name = attribute.name
    return name[:-1] if name.endswith("_") and not name.startswith("_") else name


def _validators(attribute: attrs.Attribute[Any]) -> list[Any]:
    found: list[Any] = []
    pending = [attribute.validator]
    while pending:
        validator = pending.pop()
        if validator is None:
            continue
        inner = getattr(validator, "_validators", None)
        if inner is not None:
            pending.extend(inner)
        else:
            found.append(validator)
    return found


class _Builder:
    def __init__(self, spec: SchemaSpec) -> None:
        self.spec = spec
        self.defs: dict[str, Any] = {}

    def ref(self, name: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder: a class may refer to itself
            self.defs[name] = make()
        return {"$ref": f"#/$defs/{name}"}

    def kommunkod(self) -> dict[str, Any]:
        return self.ref(
            "kommunkod",
            lambda: {
                "description": "A kommunkod: the municipality's four digits as text, e.g. "
                '"0180" (Stockholm), "1882" (Askersund)',
                "type": "string",
                "enum": sorted(m.code for m in all_municipalities()),
            },
        )

    def schema(self, tp: Any) -> dict[str, Any]:
        spec = self.spec
        if tp in spec.replace:
            stand_in = spec.replace[tp]
            if isinstance(stand_in, Mapping):
                return dict(stand_in)
            return self.ref(self.def_name(tp), lambda: self.object(stand_in))
        origin = get_origin(tp)
        args = get_args(tp)
        if tp is type(None):
            return {"type": "null"}
        if origin in (Union, types.UnionType):
            if set(args) == {Citation, DocumentReference}:
                return self.citation()
            kept = [a for a in args if a is not type(None)]
            schemas = [self.schema(a) for a in kept]
            if len(kept) < len(args) and not spec.data_file:
                schemas.append({"type": "null"})
            return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        if origin is Literal:
            return {"enum": list(args)}
        if tp is Kommunkod:
            return self.kommunkod()
        if isinstance(tp, NewType):
            return self.schema(tp.__supertype__)
        if tp is IdentityNumber:
            return self.ref("identity_number", lambda: dict(_IDENTITY))
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is Decimal:
            return {
                "description": 'An amount: a whole number, or text such as "12.50"',
                "anyOf": [
                    {"type": "integer"},
                    {"type": "string", "pattern": r"^\s*-?[0-9]+(\.[0-9]+)?\s*$"},
                ],
            }
        if tp is str:
            return {"type": "string"}
        if tp is dt.date:
            return {"type": "string", "format": "date"}
        if tp is HalfYear:
            return {
                "description": "A half-year: 2026H2 (or HT 2026), 2026H1 (or VT 2026)",
                "type": "string",
                "pattern": r"^\s*([0-9]{4}[Hh][12]|(HT|VT|ht|vt) ?[0-9]{4})\s*$",
            }
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self.ref(tp.__name__.lstrip("_"), lambda: self.enum(tp))
        if origin in (tuple, list, Sequence) or tp in (tuple, list):
            if origin is tuple and args and args[-1] is not Ellipsis:
                return {
                    "type": "array",
                    "prefixItems": [self.schema(a) for a in args],
                    "items": False,
                }
            item = args[0] if args else Any
            return {"type": "array", "items": self.schema(item)}
        if origin in (dict, Mapping) or tp in (dict, Mapping):
            value = args[1] if len(args) == 2 else Any
            return {"type": "object", "additionalProperties": self.schema(value)}
        if origin is Timeline:
            return self.schema(Dated[args[0]])  # type: ignore[valid-type]
        if tp is Any:
            return {}
        if attrs.has(origin or tp):
            return self.ref(self.def_name(tp), lambda: self.object(tp))
        raise TypeError(f"no schema for {tp!r}")  # a new type: teach the generator

    def def_name(self, tp: Any) -> str:
        origin = get_origin(tp) or tp
        name = str(origin.__name__).lstrip("_")
        args = get_args(tp)
        if args:
            name += "[" + ",".join(self.arg_name(a) for a in args) + "]"
        return name

    def arg_name(self, tp: Any) -> str:
        origin = get_origin(tp)
        if origin is tuple:
            return self.arg_name(get_args(tp)[0]) + "s"
        return str(getattr(tp, "__name__", tp)).lstrip("_")

    def enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        values = [m.value for m in cls]
        found: dict[str, Any] = {
            "type": "string" if all(isinstance(v, str) for v in values) else []
        }
        if not found["type"]:
            del found["type"]
        summary = _summary(cls)
        if summary:
            found["description"] = summary
        if issubclass(cls, Labelled):
            found["oneOf"] = [{"const": m.value, "description": m.label_sv} for m in cls]
        else:
            found["enum"] = values
        return found

    def citation(self) -> dict[str, Any]:
        return self.ref(
            "citation",
            lambda: {
                "description": "Where a rule comes from: a statute (a table with sfs) or "
                "another document, such as a municipal plan (a table without sfs)",
                "anyOf": [
                    {**self.schema(Citation), "required": ["sfs", "title"]},
                    {"$ref": self.schema(DocumentReference)["$ref"], "not": {"required": ["sfs"]}},
                ],
            },
        )

    def object(self, tp: Any) -> dict[str, Any]:
        origin = get_origin(tp) or tp
        hints = self.types(tp)
        docs = _attribute_docs(origin)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for attribute in attrs.fields(origin):
            if not attribute.init:
                continue
            key = _key(attribute)
            field_tp = hints[attribute.name]
            if check_municipality_code in _validators(attribute):
                field_tp = Kommunkod | None if _optional(field_tp) else Kommunkod
            schema = self.schema(field_tp)
            extra = self.spec.keys.get((origin, attribute.name))
            if extra:
                schema = {**schema, **extra}
                if "enum" in extra:
                    schema.pop("type", None)
            if attribute.name in docs:
                schema = {"description": docs[attribute.name], **schema}
            properties[key] = schema
            if attribute.default is attrs.NOTHING:
                required.append(key)
        found: dict[str, Any] = {}
        summary = _summary(origin)
        if summary:
            found["description"] = summary
        found["type"] = "object"
        found["properties"] = properties
        if required:
            found["required"] = required
        found["additionalProperties"] = False
        return found

    def types(self, tp: Any) -> dict[str, Any]:
        origin = get_origin(tp) or tp
        if any(isinstance(a.type, str) for a in attrs.fields(origin)):
            attrs.resolve_types(origin)
        hints = {a.name: a.type for a in attrs.fields(origin)}
        params = getattr(origin, "__parameters__", ())
        if params and get_args(tp):
            bind = dict(zip(params, get_args(tp), strict=True))

            def substitute(field_tp: Any) -> Any:
                if field_tp in bind:
                    return bind[field_tp]
                inner = getattr(field_tp, "__parameters__", ())
                if inner:
                    return field_tp[tuple(bind[p] for p in inner)]
                return field_tp

            hints = {name: substitute(t) for name, t in hints.items()}
        return hints


def _optional(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType) and type(None) in get_args(tp)


def generate(name: str) -> dict[str, Any]:
    """The schema ``name`` (one of :data:`SCHEMAS`), generated from its model.

    Raises:
        KeyError: If there is no schema of that name.
    """
    spec = _BY_NAME[name]
    builder = _Builder(spec)
    root = builder.schema(spec.root)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_BASE}{spec.file_name}",
        "title": spec.title,
    }
    if spec.array:
        # if/then/else rather than anyOf: an editor then reports the key that is wrong
        schema.update({"if": {"type": "array"}, "then": {"items": root}, "else": root})
    else:
        ref = root["$ref"].removeprefix("#/$defs/")
        body = builder.defs.pop(ref)
        # a class referred to from inside itself keeps its definition
        text = json.dumps(builder.defs)
        if f'"#/$defs/{ref}"' in text:
            builder.defs[ref] = body
        schema.update(body)
    schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema
