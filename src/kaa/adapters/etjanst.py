"""The ``e-tjanst`` source: youths' own reports from the municipality's e-service.

A youth may report their current activity (*sysselsättning*) through the municipality's
e-service (*e-tjänst*) and ask to be contacted (both municipal plans the library follows
say so). The e-service runs on a platform with e-legitimation; this source reads the
platform's **export** of the submitted forms — CSV, a workbook (``.xlsx``, ``.xls``,
``.ods``, see :func:`kaa.adapters.tabular.open_export`), a JSON array (or
``{"data": [...]}``) or JSON Lines — into :class:`~kaa.model.selfreport.SelfReport` records,
and each report into a contact (:meth:`~kaa.model.selfreport.SelfReport.contact`): channel
``e_service``, the youth contacted and **reached**, with the activity the youth stated.

**Mapped by a profile.** No platform publishes its export, so the source has a default
profile (``kaa/adapters/profiles/e-tjanst.toml``) like the vendor list exports: for each
field, the headings (or JSON keys) that may hold it, and the platform's words for the coded
fields. Its columns are the published schema's property names (``youth``, ``day``,
``activity``, ``wants_contact``, ``channel``, ``phone``, ``email``: a platform that writes
:func:`~kaa.model.selfreport.json_schema`'s form needs no mapping) and Swedish headings
modelled on what such a form asks. A municipality adapts it with a mapping file with the same
sections::

    [file]
    date_formats = ["iso", "%d/%m/%Y"]

    [columns]
    day = "Inlämningsdatum"
    activity = "Vad gör du just nu?"

    [values.activity]
    "Jag jobbar" = "work"

    [values.channel]
    "Ring mig" = "phone"

    [values.wants_contact]
    "Ja tack" = true

Headings and words are compared as :func:`~kaa.formats.text.normalise_heading` gives them.
Every coded field also understands the library's values (``work``, ``sms``) and Swedish labels
(``arbete``, ``e-post``); ``wants_contact`` understands the yes/no words (``ja``/``nej``,
``x``/empty, ``1``/``0``, ``true``/``false``), an empty cell being "no".

**Every row accepted or reported.** A row is one submitted form. It is rejected, with the
line (the JSON object's first line, the sheet row) and the column, when the identity number
or the day is missing or not valid, the day is after the day the file is read against, a word
is not known (the message lists the known ones and says where to add the platform's), or it
is the same report as an earlier row. A preferred channel given by a youth who did not ask
to be contacted is not kept, with a notice. Columns (or keys) the profile does not read are
never read; they are listed in one notice: a form's free-text answers stay in the platform,
since the register must not hold sensitive personal data (förordning (2006:39) 5 §).

**One record per youth.** The reports of one youth, wherever they are in the file, make one
:class:`SelfReportRecord`: the youth (the identity number only: an e-service knows nothing
else the target-group rule needs), the reports and their contacts by day, and the phone and
e-mail of the latest report that gives them. The reports are held until the file has been
read (an export holds hundreds to a few thousand forms a year), then the records are
yielded in the order the youths first appear. Records of this source carry their reports in
:attr:`SelfReportRecord.reports`; merged with another source's record
(:func:`kaa.adapters.merge.merge_records`) they become a plain record, so read the
e-service export on its own.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any, Final

import attrs
import cattrs

from kaa.adapters.base import Origin, SourceRecord, add_notice, add_problem
from kaa.adapters.tabular import ENGINES, open_export
from kaa.convert import DataFileError, Invalid, load_toml, make_converter
from kaa.dated import iso_date_time
from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.files import atomic_text
from kaa.formats.json import JsonFault, json_document, json_item_lines, json_lines
from kaa.formats.mapping import (
    FileSettings,
    MappingSource,
    file_changes,
    headings_of,
    merged_values,
)
from kaa.formats.problems import Problem, ReadSummary
from kaa.formats.text import (
    DATE_FORMATS,
    MalformedRow,
    normalise_heading,
    normalise_value,
    parse_date,
    parse_identity,
)
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, Channel, Contact, ContactDetails
from kaa.model.selfreport import SelfReport, json_schema_text
from kaa.model.youth import Youth

__all__ = [
    "FIELDS",
    "ETjanstSource",
    "SelfReportProfile",
    "SelfReportRecord",
    "builtin_self_report_profile",
    "write_self_report_schema",
]

FIELDS: Final[Mapping[str, str]] = {
    "youth": "the youth's personnummer, samordningsnummer or interim number (required)",
    "day": "the day the youth sent the form (required)",
    "activity": "the activity the youth stated (sysselsättning)",
    "wants_contact": "whether the youth asked to be contacted (yes/no)",
    "channel": "how the youth wishes to be contacted",
    "phone": "a telephone number the youth gave",
    "email": "an e-mail address the youth gave",
}
"""Every field a column of an e-service export can be mapped to, with what it holds."""

_CODED: Final[Mapping[str, type[enum.Enum] | None]] = {
    "activity": Activity,
    "channel": Channel,
    "wants_contact": None,
}
_TRUE: Final = ("ja", "j", "x", "yes", "y", "true", "sant", "1")
_FALSE: Final = ("nej", "n", "no", "false", "falskt", "0", "")
_HEADER_SEARCH: Final = 20
_JSON: Final = (".json",)
_JSON_LINES: Final = (".jsonl", ".ndjson")


@attrs.frozen(kw_only=True)
class SelfReportRecord(SourceRecord):
    """One youth's reports from the e-service (a :class:`~kaa.adapters.base.SourceRecord`).

    Attributes:
        reports: The youth's reports, by day (then by line).
    """

    reports: tuple[SelfReport, ...] = ()

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """Each report as a contact (channel ``e_service``, the youth reached, with the
        stated activity), by day."""
        return tuple(report.contact() for report in self.reports)


# -- the profile --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Values:
    activity: dict[str, Activity] | None = None
    channel: dict[str, Channel] | None = None
    wants_contact: dict[str, bool] | None = None


@attrs.frozen(kw_only=True)
class _ProfileFile:
    source: MappingSource | None = None
    file: FileSettings = attrs.field(factory=FileSettings)
    columns: dict[str, Any] = attrs.field(factory=dict)
    values: _Values = _Values()

    def __attrs_post_init__(self) -> None:
        for name, value in self.columns.items():
            if name not in FIELDS:
                raise Invalid(
                    f"unknown field; use one of: {', '.join(FIELDS)}", at=("columns", name)
                )
            try:
                headings_of(value)
            except Invalid as exc:
                raise Invalid(exc.message, at=("columns", name)) from None


@cache
def _converter() -> cattrs.Converter:
    return make_converter(reveal_ids=True, data_files=True)


def _default_values(field: str) -> dict[str, Any]:
    if field == "wants_contact":
        return {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
    kind = _CODED[field]
    assert kind is not None
    table: dict[str, Any] = {}
    for member in kind:
        if member is Activity.UNKNOWN:
            continue  # a youth who states nothing has no activity stated (an empty cell)
        table[normalise_value(str(member.value))] = member
        label = getattr(member, "label_sv", None)
        if isinstance(label, str):
            table.setdefault(normalise_value(label), member)
    return table


@attrs.frozen(kw_only=True)
class SelfReportProfile:
    """How one platform's e-service export maps onto :class:`~kaa.model.selfreport.SelfReport`.

    Attributes:
        name: The source name it belongs to.
        title: The system, as case workers know it.
        description: What the export is.
        columns: For each field of :data:`FIELDS`, the headings (or JSON keys) that may hold
            it (the first found wins).
        values: For each coded field (``activity``, ``channel``, ``wants_contact``), export
            words (normalised) → the library's value.
        date_formats: Date forms tried, in order (see :mod:`kaa.formats.text`); an ISO
            date-time is always read as its day.
        encoding: For CSV, ``auto`` or an encoding.
        delimiter: For CSV, ``auto`` or a separator.
        sheet: For a workbook, the sheet to read (the first if ``None``).
        files: The profile files this was built from.
    """

    name: str
    title: str
    description: str
    columns: Mapping[str, tuple[str, ...]]
    values: Mapping[str, Mapping[str, Any]]
    date_formats: tuple[str, ...] = DATE_FORMATS
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    files: tuple[str, ...] = ()

    @classmethod
    def from_toml(cls, path: Path | Traversable, *, file: str | None = None) -> SelfReportProfile:
        """Load a complete profile (the shape of the built-in one) from a TOML file.

        Raises:
            ConfigurationError: If the file is not TOML or a key is wrong.
        """
        name = str(path) if file is None else file
        data: _ProfileFile = load_toml(path, _ProfileFile, file=name, converter=_converter())
        if data.source is None:
            raise DataFileError(
                [
                    (
                        "a profile needs a [source] table with name, title and description",
                        ("source",),
                    )
                ],
                file=name,
            )
        base = cls(
            name=data.source.name,
            title=data.source.title,
            description=data.source.description,
            columns={},
            values={field: _default_values(field) for field in _CODED},
        )
        return base._apply(data, name, replace_files=True)

    def with_mapping(self, path: Path) -> SelfReportProfile:
        """This profile adapted by a municipality's mapping file (same sections; ``[columns]``
        replace a field's headings, ``[values.FIELD]`` entries are added and win).

        Raises:
            ConfigurationError: If the file is not TOML or a key or value is wrong.
        """
        data: _ProfileFile = load_toml(path, _ProfileFile, converter=_converter())
        return self._apply(data, str(path), replace_files=False)

    def _apply(self, data: _ProfileFile, file: str, *, replace_files: bool) -> SelfReportProfile:
        settings = data.file
        changes: dict[str, Any] = {
            "columns": {**self.columns, **{k: headings_of(v) for k, v in data.columns.items()}},
            "files": (file,) if replace_files else (*self.files, file),
        }
        changes.update(file_changes(settings))
        changes["values"] = merged_values(self.values, data.values, _CODED)
        return attrs.evolve(self, **changes)

    def markdown(self) -> str:
        """The profile's columns as a Markdown table (for the docs)."""
        lines = ["| field | headings or keys (first found wins) | what it holds |", "|---|---|---|"]
        for field, headings in self.columns.items():
            shown = ", ".join(f"`{h}`" for h in headings)
            lines.append(f"| `{field}` | {shown} | {FIELDS[field]} |")
        return "\n".join(lines)


def builtin_self_report_profile() -> SelfReportProfile:
    """The default profile shipped for the ``e-tjanst`` source."""
    resource = files("kaa.adapters").joinpath("profiles").joinpath("e-tjanst.toml")
    return SelfReportProfile.from_toml(resource, file="kaa/adapters/profiles/e-tjanst.toml")


# -- reading one form -----------------------------------------------------------------------------


@attrs.frozen
class _Columns:
    """Which field is read from which heading (or JSON key), as the export writes it."""

    headings: Mapping[str, str]
    unused: tuple[str, ...]


def _resolve(profile: SelfReportProfile, names: Iterable[str]) -> _Columns:
    """The headings (or keys) of an export matched against the profile's columns."""
    given = list(dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip()))
    normalised = {normalise_heading(n): n for n in reversed(given)}
    headings: dict[str, str] = {}
    for field, wanted in profile.columns.items():
        for name in wanted:
            found = normalised.get(normalise_heading(name))
            if found is not None and found not in headings.values():
                headings[field] = found
                break
    unused = tuple(n for n in given if n not in headings.values())
    return _Columns(headings=headings, unused=unused)


class _FormReader:
    """Turns the values of one form into a :class:`SelfReport`."""

    def __init__(self, profile: SelfReportProfile, columns: _Columns, as_of: dt.date) -> None:
        self.profile = profile
        self.columns = columns
        self.as_of = as_of

    def heading(self, field: str) -> str:
        return self.columns.headings.get(field, field)

    def coded(self, field: str, text: str) -> Any:
        table = self.profile.values[field]
        key = normalise_value(text)
        if key in table:
            return table[key]
        if not text:
            return None
        words = sorted({k for k in table if k})
        shown = ", ".join(words[:14]) + (", …" if len(words) > 14 else "")
        raise InvalidInput(
            f"{text!r} is not a known word for {FIELDS[field]}; known: {shown}. Add the "
            f"export's word under [values.{field}] in a mapping file",
            column=self.heading(field),
        )

    def day(self, text: str) -> dt.date:
        if not text:
            raise InvalidInput("the day the form was sent is missing", column=self.heading("day"))
        found = iso_date_time(text)
        if found is None:
            try:
                found = parse_date(text, self.profile.date_formats)
            except InvalidInput as exc:
                raise InvalidInput(exc.message, column=self.heading("day")) from None
        if found > self.as_of:
            raise InvalidInput(
                f"the form is dated {found.isoformat()}, after the day the file is read against "
                f"({self.as_of.isoformat()})",
                column=self.heading("day"),
            )
        return found

    def report(
        self, values: Mapping[str, str], reference_day: dt.date | None
    ) -> tuple[SelfReport, list[tuple[str, str | None]]]:
        notices: list[tuple[str, str | None]] = []
        raw = values.get("youth", "")
        if not raw:
            raise InvalidInput(
                "the identity number is missing: a report cannot be joined to a youth without it",
                column=self.heading("youth"),
            )
        try:
            youth = parse_identity(raw, on=reference_day)
        except InvalidIdentityNumber as exc:
            raise InvalidInput(exc.message, column=self.heading("youth")) from None
        day = self.day(values.get("day", ""))
        activity = self.coded("activity", values.get("activity", ""))
        wants = bool(self.coded("wants_contact", values.get("wants_contact", "")))
        channel = self.coded("channel", values.get("channel", ""))
        if channel is not None and not wants:
            notices.append(
                (
                    f"the preferred channel ({channel.value}) was not kept: the youth did not ask "
                    "to be contacted",
                    self.heading("channel"),
                )
            )
            channel = None
        try:
            report = SelfReport(
                youth=youth,
                day=day,
                activity=activity,
                wants_contact=wants,
                channel=channel,
                phone=values.get("phone") or None,
                email=values.get("email") or None,
            )
        except InvalidInput as exc:
            column = None if exc.column is None else self.heading(str(exc.column))
            raise InvalidInput(exc.message, column=column) from None
        return report, notices


def _json_text(value: object, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    raise InvalidInput("must be a text, a number, true or false, or null", column=key)


# -- the source ------------------------------------------------------------------------------------


@attrs.define
class _Youth:
    first_line: int
    lines: list[int] = attrs.Factory(list)
    reports: list[tuple[int, SelfReport]] = attrs.Factory(list)


@attrs.frozen(kw_only=True)
class ETjanstSource:
    """The built-in ``e-tjanst`` register source (see the module docs).

    Attributes:
        name: ``e-tjanst``.
        description: One line for ``kaa sources``.
        profile: The default profile; a mapping file given to :meth:`read` adapts it.
        engine: The workbook reader (see :data:`kaa.adapters.tabular.ENGINES`).
    """

    name: str = "e-tjanst"
    description: str = (
        "E-service (e-tjänst) export of youths' own reports of their activity "
        "(CSV, workbook or JSON): contacts on channel e_service"
    )
    profile: SelfReportProfile = attrs.field(factory=builtin_self_report_profile)
    engine: str = attrs.field(default="auto", validator=attrs.validators.in_(ENGINES))

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SelfReportRecord]:
        """Stream one record per youth from an e-service export (see
        :class:`kaa.adapters.base.RegisterSource`).

        Raises:
            ConfigurationError: If the mapping file is malformed.
            InvalidInput: If the file cannot be read, or has no identity-number or day column.
        """
        profile = self.profile if mapping is None else self.profile.with_mapping(mapping)
        return self._records(Path(path), profile, summary, reference_day, on_problem)

    def _records(
        self,
        path: Path,
        profile: SelfReportProfile,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
    ) -> Iterator[SelfReportRecord]:
        suffix = path.suffix.lower()
        name = str(path)
        if suffix in _JSON or suffix in _JSON_LINES:
            forms = self._json_forms(
                path, profile, summary, on_problem, lines=suffix in _JSON_LINES
            )
        else:
            forms = self._table_forms(path, profile, summary, on_problem)
        as_of = reference_day if reference_day is not None else dt.date.today()
        youths: dict[IdentityNumber, _Youth] = {}
        seen: dict[tuple[object, ...], int] = {}
        file = name
        for file, line, columns, values in forms:
            summary.rows_read += 1
            if values is None:
                continue  # already counted as rejected and reported
            reader = _FormReader(profile, columns, as_of)
            try:
                report, notices = reader.report(values, reference_day)
            except InvalidInput as exc:
                summary.rows_rejected += 1
                add_problem(
                    summary,
                    on_problem,
                    Problem.from_error(
                        exc, file=file, line=line, youth=_masked(values, reference_day)
                    ),
                )
                continue
            key = attrs.astuple(report, recurse=False)
            if key in seen:
                summary.rows_rejected += 1
                add_problem(
                    summary,
                    on_problem,
                    Problem(
                        file=file,
                        line=line,
                        youth=report.youth.masked(),
                        message=f"the same report as on line {seen[key]}; this one was not used",
                    ),
                )
                continue
            seen[key] = line
            for message, column in notices:
                add_notice(
                    summary,
                    Problem(
                        file=file,
                        line=line,
                        column=column,
                        youth=report.youth.masked(),
                        message=message,
                    ),
                )
            summary.rows_accepted += 1
            youth = youths.setdefault(report.youth, _Youth(first_line=line))
            youth.lines.append(line)
            youth.reports.append((line, report))
        for ident, youth in youths.items():
            summary.records += 1
            yield _record(self.name, file, ident, youth)

    def _table_forms(
        self,
        path: Path,
        profile: SelfReportProfile,
        summary: ReadSummary,
        on_problem: Callable[[Problem], None] | None,
    ) -> Iterator[tuple[str, int, _Columns, dict[str, str] | None]]:
        table = open_export(
            path,
            encoding=profile.encoding,
            delimiter=profile.delimiter,
            sheet=profile.sheet,
            engine=self.engine,
        )
        name = table.name
        csv_file = table.delimiter is not None
        try:
            rows = iter(table.rows)
            columns: _Columns | None = None
            index: dict[str, int] = {}
            width = 0
            skipped: list[int] = []
            for line, row in rows:
                if columns is None:
                    if isinstance(row, MalformedRow):
                        skipped.append(line)
                    else:
                        found = _resolve(profile, row)
                        if "youth" in found.headings:
                            columns = found
                            width = len(row)
                            stripped = [c.strip() for c in row]
                            index = {f: stripped.index(h) for f, h in found.headings.items()}
                            _heading_notices(summary, name, line, found, skipped)
                            continue
                        skipped.append(line)
                    if len(skipped) >= _HEADER_SEARCH:
                        break
                    continue
                if isinstance(row, MalformedRow):
                    _rejected(summary, on_problem, name, line, row.message)
                    yield name, line, columns, None
                    continue
                if len(row) > width and (csv_file or any(c.strip() for c in row[width:])):
                    message = (
                        f"the row has {len(row)} cells but the heading row only {width}; check "
                        "for a separator inside an unquoted value"
                    )
                    _rejected(summary, on_problem, name, line, message)
                    yield name, line, columns, None
                    continue
                if len(row) < width and csv_file:
                    message = (
                        f"the row has {len(row)} cells but the heading row {width}; a cell is "
                        "missing (check for a lost separator); the row is not read"
                    )
                    _rejected(summary, on_problem, name, line, message)
                    yield name, line, columns, None
                    continue
                values = {f: row[i].strip() if i < len(row) else "" for f, i in index.items()}
                yield name, line, columns, values
            if columns is None:
                raise InvalidInput(
                    "no heading row with the youth's identity number was found (looked for: "
                    + ", ".join(profile.columns.get("youth", ()))
                    + "); map the export's heading under [columns] youth in a mapping file",
                    file=name,
                )
        finally:
            close = getattr(table.rows, "close", None)
            if close is not None:
                close()

    def _json_forms(
        self,
        path: Path,
        profile: SelfReportProfile,
        summary: ReadSummary,
        on_problem: Callable[[Problem], None] | None,
        *,
        lines: bool,
    ) -> Iterator[tuple[str, int, _Columns, dict[str, str] | None]]:
        name = str(path)
        try:
            stream = path.open(encoding="utf-8-sig")
        except OSError as exc:
            raise InvalidInput(f"cannot open the file: {exc.strerror}", file=name) from None
        with stream:
            try:
                items = _json_items(stream, name, lines)
                noticed: set[str] = set()
                for line, item in items:
                    if isinstance(item, JsonFault):
                        _rejected(summary, on_problem, name, line, item.message)
                        yield name, line, _Columns({}, ()), None
                        continue
                    if not isinstance(item, dict):
                        message = "a report must be a JSON object"
                        _rejected(summary, on_problem, name, line, message)
                        yield name, line, _Columns({}, ()), None
                        continue
                    columns = _resolve(profile, item)
                    new = [k for k in columns.unused if k not in noticed]
                    if new:
                        noticed.update(new)
                        add_notice(
                            summary,
                            Problem(
                                file=name,
                                line=line,
                                message="keys not used by the profile (never read): "
                                + ", ".join(new),
                            ),
                        )
                    try:
                        values = {
                            field: _json_text(item[key], key)
                            for field, key in columns.headings.items()
                        }
                    except InvalidInput as exc:
                        _rejected(summary, on_problem, name, line, exc.message, str(exc.column))
                        yield name, line, columns, None
                        continue
                    yield name, line, columns, values
            except UnicodeDecodeError as exc:
                raise InvalidInput(
                    f"the file is not UTF-8 (byte {exc.start}); JSON is UTF-8", file=name
                ) from None


def _json_items(stream: IO[str], name: str, lines: bool) -> Iterable[tuple[int, Any]]:
    if lines:
        return json_lines(stream, name)
    text = stream.read()
    data = json_document(text, name)
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InvalidInput(
            'expected a JSON array of reports, or {"data": [...]}', file=name, line=1
        )
    if not items:
        return []
    start = text.index("[") if isinstance(data, list) else text.find("[", text.find('"data"'))
    try:
        return list(json_item_lines(text, start, items, check=True))
    except ValueError:  # numbered by position when the text cannot be matched up
        return list(enumerate(items, start=1))


def _rejected(
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None,
    name: str,
    line: int,
    message: str,
    column: str | None = None,
) -> None:
    """Count one form as rejected and report it (its values are ``None`` from here on)."""
    summary.rows_rejected += 1
    add_problem(summary, on_problem, Problem(file=name, line=line, column=column, message=message))


def _heading_notices(
    summary: ReadSummary, name: str, line: int, columns: _Columns, skipped: list[int]
) -> None:
    missing = [f for f in ("day",) if f not in columns.headings]
    if missing:
        raise InvalidInput(
            "the export has no column for the day the form was sent; map its heading under "
            "[columns] day in a mapping file",
            file=name,
            line=line,
        )
    if skipped:
        add_notice(
            summary,
            Problem(
                file=name,
                line=line,
                message=f"{len(skipped)} rows above the heading row (line {line}) were skipped "
                "as a title",
            ),
        )
    if columns.unused:
        add_notice(
            summary,
            Problem(
                file=name,
                line=line,
                message="columns not used by the profile (never read): "
                + ", ".join(columns.unused),
            ),
        )


def _masked(values: Mapping[str, str], reference_day: dt.date | None) -> str | None:
    try:
        return parse_identity(values.get("youth", ""), on=reference_day).masked()
    except InvalidIdentityNumber:
        return None


def _record(source: str, file: str, ident: IdentityNumber, youth: _Youth) -> SelfReportRecord:
    reports = sorted(youth.reports, key=lambda r: (r[1].day, r[0]))
    phone = next((r.phone for _, r in reversed(reports) if r.phone), None)
    email = next((r.email for _, r in reversed(reports) if r.email), None)
    details = ContactDetails(phone=phone, email=email) if phone or email else None
    return SelfReportRecord(
        youth=Youth(id=ident),
        origin=Origin(source=source, file=file, lines=tuple(sorted(youth.lines))),
        contact_details=details,
        reports=tuple(r for _, r in reports),
    )


def write_self_report_schema(path: Path | None = None) -> Path:
    """Write the published JSON Schema of a self-report
    (:func:`kaa.model.selfreport.json_schema`) atomically.

    Args:
        path: Where; the library's own ``kaa/data/schemas/self-report.schema.json`` (in a
            source checkout) when ``None``.

    Returns:
        The file written.
    """
    target = path or Path(str(files("kaa.data").joinpath("schemas", "self-report.schema.json")))
    with atomic_text(target) as out:
        out.write(json_schema_text())
    return target
