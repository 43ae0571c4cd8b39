"""The HTTP API: the rules served to systems that are not written in Python (``kaa serve``).

An optional extra (``pip install 'kaa[api]'``), in the shape of OpenFisca's web API: the
application loads the rules and the municipalities' plugins once, when it is made, and then
answers each request from what the request holds. It **stores nothing** — no case, youth or
answer outlives its request — and **logs no personal data**: identity numbers are masked in
every answer, every problem and every log line (the server's access log goes through
:func:`kaa.errors.scrub`, so a number written into a URL is masked there too).

======================  ========================================================================
``POST /assess``        youths in the canonical JSON form, a day: a decision for each, with every
                        one of the six conditions and its citation
``POST /worklist``      cases in the canonical JSON form, a day: the worklist's items
``POST /scb/check``     the text of a submission file and its half-year: the numbered findings
``GET /rules``          the target-group rule: its conditions and every dated version, cited
``GET /timetables/K``   the contact timetable of the municipality with *kommunkod* ``K``
``GET /measures/K``     the catalogue of measures of the municipality with *kommunkod* ``K``
``GET /spec``           the OpenAPI 3 description, generated from the models below
======================  ========================================================================

Every answer, errors included, carries the header ``Kaa-Version`` (:data:`VERSION_HEADER`).
Request bodies are read by the library's one converter (:mod:`kaa.convert`), strictly: an
input error is answered with status 422 and the problems as ``message @ $.path``
(:class:`Problems`) — the same problems ``kaa assess`` reports for a file; a path parameter is
named the same way (``$.kommunkod``). A body larger than the limit (:data:`DEFAULT_MAX_BODY`,
``kaa serve --max-body``) is refused with 413 before it is read.

The framework is `Litestar <https://litestar.dev>`_, imported only here: it takes the
library's attrs models as they are — :class:`Converted` hands each request body to
:func:`kaa.convert.structure` and each answer to :func:`kaa.convert.to_dict`, and Litestar's
attrs schema plugin writes the OpenAPI schema from the same classes, so there is no second set
of models to keep in step (``docs/api.md`` says more).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import logging
from collections.abc import Callable, Generator, Iterable, Mapping
from functools import lru_cache
from typing import Annotated, Any, Final, Generic, TypeVar

import attrs
import cattrs
from litestar import Litestar, MediaType, Request, Response, get, post
from litestar.datastructures import ResponseHeader, State
from litestar.dto import AbstractDTO, DTOFieldDefinition
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Example, OpenAPIType, Operation, Reference, Schema
from litestar.params import Body, PathParameter
from litestar.plugins import OpenAPISchemaPlugin
from litestar.plugins.attrs import AttrsSchemaPlugin
from litestar.types import Message, Scope
from litestar.typing import FieldDefinition

from kaa import __version__
from kaa.convert import make_converter, structure, to_dict
from kaa.dated import Timeline, iso_date
from kaa.errors import InvalidInput, KaaError, RuleNotInForce, StructureError, scrub
from kaa.formats.json import loads
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.law import Citation, DocumentReference
from kaa.model.case import Case
from kaa.model.youth import Youth
from kaa.municipalities import municipality as lookup_municipality
from kaa.period import HalfYear
from kaa.plugins.manager import Hooks
from kaa.rules import target_group
from kaa.rules.contact import Timetable
from kaa.rules.measures import MeasureDefinition
from kaa.rules.target_group import RuleVersion
from kaa.scb.checks import Finding, check_submission
from kaa.scb.layout import ScbLayout, default_profile, parse_profile
from kaa.scb.reader import parse_submission
from kaa.worklist import DEFAULT_WINDOW, WorkItem, build_worklist

__all__ = [
    "DEFAULT_MAX_BODY",
    "VERSION_HEADER",
    "AssessAnswer",
    "AssessRequest",
    "ConditionView",
    "Converted",
    "DecisionView",
    "MeasuresAnswer",
    "Problems",
    "ReasonView",
    "RuleVersionView",
    "RulesAnswer",
    "ScbCheckAnswer",
    "ScbCheckRequest",
    "TimetableVersionView",
    "TimetablesAnswer",
    "WorklistAnswer",
    "WorklistRequest",
    "make_app",
    "scrubbing_filter",
]

T = TypeVar("T")

VERSION_HEADER: Final = "Kaa-Version"
"""The header every answer carries: the version of the library (and so of its rules)."""

DEFAULT_MAX_BODY: Final = 8_000_000
"""The largest request body read, in bytes (8 MB: about 19,000 youths in the canonical JSON);
a larger one is refused with status 413. ``kaa serve --max-body MB`` changes it."""

_LOG = logging.getLogger("kaa.api")


# -- the models of the requests and answers -----------------------------------------------------


def _known_municipality(value: str | None) -> None:
    if value is not None:
        lookup_municipality(value)  # raises UnknownMunicipality


def _window(value: int) -> None:
    if not 0 <= value <= 366:
        raise InvalidInput(f"the window must be 0 to 366 days, not {value}")


def _checked(check: Callable[[Any], object]) -> dict[str, Any]:
    """Field metadata: a check run on the structured value, whose problem is reported at the
    field's path (an attrs validator's would be reported at the object's)."""
    return {"check": check}


def _field_problems(obj: Any) -> list[str]:
    problems = []
    for field in attrs.fields(type(obj)):
        check = field.metadata.get("check")
        if check is None:
            continue
        try:
            check(getattr(obj, field.name))
        except InvalidInput as exc:
            problems.append(f"{exc.message} @ $.{field.name}")
    return problems


@attrs.frozen(kw_only=True)
class AssessRequest:
    """The body of ``POST /assess``.

    Attributes:
        on: The day of the decisions (``YYYY-MM-DD``); 10-digit identity numbers are read
            against it.
        municipality: The *kommunkod* asking; absent or ``null``: any home municipality.
        youths: The youths, each in the canonical JSON form of :class:`kaa.Youth`
            (``docs/canonical-format.md``).
    """

    on: dt.date
    municipality: str | None = attrs.field(default=None, metadata=_checked(_known_municipality))
    youths: tuple[Youth, ...]


@attrs.frozen(kw_only=True)
class ReasonView:
    """One condition of the target group as decided for one youth, with its statute.

    Attributes:
        condition: T1 to T6.
        rule_id: The condition's stable dotted id, e.g. ``kaa.target_group.age``.
        holds: Whether the condition holds (all six must for the youth to be in).
        settled: ``False`` when the statute does not settle the condition from the facts
            given; the explanation names the fact to record.
        explanation: What was found, in words a case worker can read.
        citation: The statute, as a lawyer writes it: ``29 kap. 9 § skollagen (2010:800)``.
        citation_url: Where the statute can be read.
        also: Further statutes the explanation rests on.
    """

    condition: str
    rule_id: str
    holds: bool
    settled: bool
    explanation: str
    citation: str
    citation_url: str | None
    also: tuple[str, ...] = ()

    @classmethod
    def of(cls, reason: target_group.Reason) -> ReasonView:
        """The view of a :class:`kaa.Reason`."""
        return cls(
            condition=reason.condition.code,
            rule_id=reason.rule_id,
            holds=reason.holds,
            settled=reason.settled,
            explanation=reason.explanation,
            citation=str(reason.citation),
            citation_url=reason.citation.url,
            also=tuple(str(c) for c in reason.also),
        )


@attrs.frozen(kw_only=True)
class DecisionView:
    """The decision for one youth, with every reason.

    Attributes:
        id: The youth's identity number, masked (``20080812-****``).
        day: The day of the decision.
        outcome: ``in``, ``out``, or ``undecided`` (a condition the statute does not settle
            from the facts given: the reasons name the fact to record).
        in_target_group: Whether every condition holds.
        summary: One line: ``in``, ``out: T3, T4`` or ``undecided: …``.
        ages_out: The day the youth turns 20.
        home_municipality: The home municipality found on the day, if any.
        rule_version: The first day of the version of the rule that was applied.
        reasons: The six conditions, T1 to T6.
    """

    id: IdentityNumber
    day: dt.date
    outcome: target_group.Outcome
    in_target_group: bool
    summary: str
    ages_out: dt.date
    home_municipality: str | None
    rule_version: dt.date
    reasons: tuple[ReasonView, ...]

    @classmethod
    def of(cls, decision: target_group.Decision, views: dict[Any, ReasonView]) -> DecisionView:
        """The view of a :class:`kaa.Decision` (``views`` caches the reasons' views, which
        many youths share)."""
        reasons = []
        for reason in decision.reasons:
            view = views.get(reason)
            if view is None:
                view = views[reason] = ReasonView.of(reason)
            reasons.append(view)
        return cls(
            id=decision.youth,
            day=decision.day,
            outcome=decision.outcome,
            in_target_group=decision.in_target_group,
            summary=decision.summary(),
            ages_out=decision.ages_out,
            home_municipality=decision.home_municipality,
            rule_version=decision.version.start,
            reasons=tuple(reasons),
        )


@attrs.frozen(kw_only=True)
class AssessAnswer:
    """The answer of ``POST /assess``.

    Attributes:
        day: The day of the decisions.
        municipality: The *kommunkod* asked about, or ``null``.
        counts: How many youths are ``in``, ``out`` and ``undecided``.
        decisions: One per youth, in the order of the request's youths.
    """

    day: dt.date
    municipality: str | None
    counts: dict[str, int]
    decisions: tuple[DecisionView, ...]


@attrs.frozen(kw_only=True)
class WorklistRequest:
    """The body of ``POST /worklist``.

    Attributes:
        on: The day of the worklist.
        window: Days ahead that upcoming items are shown (0–366).
        cases: The cases, each in the canonical JSON form of :class:`kaa.model.case.Case`
            (``docs/store.md``, ``kaa case``); each is numbered by its place (``#1``, …).
    """

    on: dt.date
    window: int = attrs.field(default=DEFAULT_WINDOW, metadata=_checked(_window))
    cases: tuple[Case, ...]


@attrs.frozen(kw_only=True)
class WorklistAnswer:
    """The answer of ``POST /worklist``.

    Attributes:
        day: The day of the worklist.
        window: Days ahead that upcoming items are shown.
        cases: How many of the cases are open on the day.
        counts: How many items have each status.
        items: The items, most urgent first, each naming its case (``#1`` is the first case
            of the request), the step that asks for it and its citation.
    """

    day: dt.date
    window: int
    cases: int
    counts: dict[str, int]
    items: tuple[WorkItem, ...]


@attrs.frozen(kw_only=True)
class ScbCheckRequest:
    """The body of ``POST /scb/check``.

    Attributes:
        period: The half-year of the submission: ``2026H2`` (or ``HT 2026``).
        submission: The text of the submission file (as ``kaa scb build`` writes it).
        municipality: The reporting *kommunkod*; absent: that of the first record.
        profile: The layout profile (the text of its TOML file) the submission was written
            with; absent: the built-in profile (whose codes are placeholders, not SCB's).
    """

    period: str = attrs.field(metadata=_checked(HalfYear.parse))
    submission: str
    municipality: str | None = attrs.field(default=None, metadata=_checked(_known_municipality))
    profile: str | None = None


@attrs.frozen(kw_only=True)
class ScbCheckAnswer:
    """The answer of ``POST /scb/check``.

    Attributes:
        period: The half-year, ``2026H2``.
        municipality: The reporting *kommunkod*.
        profile: The name of the layout profile the submission was read with.
        youths: How many youths the submission reports.
        ok: No finding of severity error: the submission may be uploaded.
        errors: How many findings block writing.
        warnings: How many do not.
        findings: Every finding, each with its numbered check id (``KAA-E010``), the masked
            identity number, the block, entry and field.
    """

    period: str
    municipality: str
    profile: str
    youths: int
    ok: bool
    errors: int
    warnings: int
    findings: tuple[Finding, ...]


@attrs.frozen(kw_only=True)
class ConditionView:
    """One condition of the target group.

    Attributes:
        code: T1 to T6.
        rule_id: Its stable dotted id.
        text: What must hold, in English.
        text_sv: The same in Swedish.
        citation: The statute it rests on.
    """

    code: str
    rule_id: str
    text: str
    text_sv: str
    citation: str


def _cited(citation: Citation | DocumentReference) -> tuple[str, str | None]:
    text = citation.long() if isinstance(citation, Citation) else str(citation)
    return text, citation.url


@attrs.frozen(kw_only=True)
class RuleVersionView:
    """One dated version of the target-group rule.

    Attributes:
        start: The first day the version applies.
        end: The last day, or ``null`` while it applies.
        title: What the version is.
        citation: The statute, with the amending act whose wording applies.
        citation_url: Where it can be read.
        sources: Further references: amending acts and preparatory works.
        rule: How the target group is decided in this version.
    """

    start: dt.date
    end: dt.date | None
    title: str
    citation: str
    citation_url: str | None
    sources: tuple[str, ...]
    rule: RuleVersion


@attrs.frozen(kw_only=True)
class RulesAnswer:
    """The answer of ``GET /rules``.

    Attributes:
        rule_id: ``kaa.target_group``.
        first_day: The first day the rule is in force (earlier days are refused).
        conditions: The six conditions.
        versions: Every dated version, oldest first.
    """

    rule_id: str
    first_day: dt.date
    conditions: tuple[ConditionView, ...]
    versions: tuple[RuleVersionView, ...]


@attrs.frozen(kw_only=True)
class TimetableVersionView:
    """One dated version of a municipality's contact timetable.

    Attributes:
        start: The first day the version applies.
        end: The last day, or ``null`` while it applies.
        title: What the version is.
        citation: The municipality's plan (or statute) the version rests on.
        citation_url: Where it can be read.
        sources: Further references.
        timetable: The steps.
    """

    start: dt.date
    end: dt.date | None
    title: str
    citation: str
    citation_url: str | None
    sources: tuple[str, ...]
    timetable: Timetable


@attrs.frozen(kw_only=True)
class TimetablesAnswer:
    """The answer of ``GET /timetables/{kommunkod}``.

    Attributes:
        municipality: The *kommunkod*.
        name: The municipality's name.
        rule_id: The timetable's stable id.
        versions: Every dated version, oldest first.
    """

    municipality: str
    name: str
    rule_id: str
    versions: tuple[TimetableVersionView, ...]


@attrs.frozen(kw_only=True)
class MeasuresAnswer:
    """The answer of ``GET /measures/{kommunkod}``.

    Attributes:
        municipality: The *kommunkod*.
        name: The municipality's name.
        measures: The catalogue: the national measures, then the municipality's own.
    """

    municipality: str
    name: str
    measures: tuple[MeasureDefinition, ...]


@attrs.frozen(kw_only=True)
class Problems:
    """The answer to a request that cannot be used (status 413, 422, 404, 405, 500).

    Attributes:
        status: The HTTP status.
        title: What kind of problem.
        problems: Each problem as ``message @ $.path`` (a path into the body, or ``$.name``
            for a path parameter); identity numbers masked, never echoed whole.
    """

    status: int
    title: str
    problems: tuple[str, ...] = ()


# -- reading and writing through the library's converter --------------------------------------


class _Refused(Exception):
    """A request that cannot be used: answered with :class:`Problems`."""

    def __init__(self, problems: Iterable[str], *, status: int = 422) -> None:
        self.problems = tuple(scrub(p) for p in problems)
        self.status = status
        super().__init__("; ".join(self.problems))


@lru_cache(maxsize=32)
def _converter(reference_day: dt.date | None) -> cattrs.Converter:
    return make_converter(reveal_ids=True, reference_day=reference_day)


def _decode(body: bytes, model: type[T]) -> T:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(["the body is not UTF-8 text @ $"]) from None
    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        raise _Refused(
            [f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}) @ $"]
        ) from None
    except RecursionError:
        raise _Refused(["the JSON is nested too deeply @ $"]) from None
    except ValueError as exc:
        raise _Refused([f"not usable JSON: {exc} @ $"]) from None
    on = data.get("on") if isinstance(data, dict) else None
    day = iso_date(on) if isinstance(on, str) else None  # 10-digit ids are read against it
    try:
        value = structure(data, model, converter=_converter(day))
    except StructureError as exc:
        raise _Refused(exc.problems) from None
    problems = _field_problems(value)
    if problems:
        raise _Refused(problems)
    return value


class Converted(AbstractDTO[T], Generic[T]):
    """A Litestar DTO that reads a request body and writes an answer with the library's one
    converter (:mod:`kaa.convert`), and describes the model in the OpenAPI schema as it is.

    ``Converted[AssessRequest]`` structures the body strictly (unknown fields, wrong JSON
    types, unknown kommunkoder and invalid identity numbers are problems, each
    ``message @ $.path``); an answer is unstructured with identity numbers masked.
    """

    @classmethod
    def generate_field_definitions(
        cls, model_type: type[Any]
    ) -> Generator[DTOFieldDefinition, None, None]:
        """Not used: the converter reads and writes the whole model."""
        yield from ()

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        """Not used: the converter reads and writes the whole model."""
        return False

    @classmethod
    def create_for_field_definition(
        cls, field_definition: FieldDefinition, handler_id: str, backend_cls: Any = None
    ) -> None:
        """Nothing to prepare: the converter is the backend."""

    @classmethod
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any
    ) -> Reference | Schema:
        """The schema of the model, written by Litestar's attrs schema plugin."""
        schema: Reference | Schema = schema_creator.for_field_definition(
            FieldDefinition.from_annotation(cls.model_type)
        )
        return schema

    def decode_bytes(self, value: bytes) -> Any:
        """The model read from the request body.

        Raises:
            _Refused: With every problem as ``message @ $.path``.
        """
        return _decode(value, self.model_type)

    def decode_builtins(self, value: dict[str, Any]) -> Any:
        """The model structured from plain data."""
        try:
            model = structure(value, self.model_type, converter=_converter(None))
        except StructureError as exc:
            raise _Refused(exc.problems) from None
        problems = _field_problems(model)
        if problems:
            raise _Refused(problems)
        return model

    def data_to_encodable_type(self, data: Any) -> Any:
        """The answer as plain data, identity numbers masked."""
        return to_dict(data, reveal_ids=False)


class _IdentityNumberSchema(OpenAPISchemaPlugin):
    """Describes :class:`kaa.IdentityNumber` in the OpenAPI schema: text."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is IdentityNumber

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(
            type=OpenAPIType.STRING,
            title="IdentityNumber",
            description=(
                "A personnummer, samordningsnummer or interim number, in any accepted form "
                "(12 digits recommended: YYYYMMDDNNNC or YYYYMMDD-NNNC). Always masked in "
                "an answer (YYYYMMDD-****)."
            ),
            examples=["20120101-2380"],  # a Skatteverket test number
        )


# -- the endpoints --------------------------------------------------------------------------


@dataclasses.dataclass
class _Operation(Operation):
    """An operation of the OpenAPI description without Litestar's 400 answer for invalid
    input: this API answers input errors with 422 (:class:`Problems`), listed instead."""

    def __post_init__(self) -> None:
        if self.responses is not None:
            self.responses.pop("400", None)


_BODY_PROBLEMS: Final = {
    413: ResponseSpec(
        Problems,
        description="the request body is larger than the server's limit (kaa serve --max-body)",
        generate_examples=False,
    ),
    422: ResponseSpec(
        Problems,
        description="the input cannot be used: every problem, each as `message @ $.path`",
        generate_examples=False,
    ),
}
_PATH_PROBLEMS: Final = {422: _BODY_PROBLEMS[422]}
_JSON: Final = Body(media_type=RequestEncodingType.JSON)
_KOMMUNKOD: Final = PathParameter(
    description="The municipality's four-digit kommunkod, e.g. 1882 (Askersund) or 0180.",
    examples=[Example(value="1882")],
)


def _hooks(request: Request[Any, Any, Any]) -> Hooks:
    hooks: Hooks = request.app.state.hooks
    return hooks


def _in_force(day: dt.date) -> None:
    try:
        target_group.TIMELINE.at(day)
    except RuleNotInForce as exc:
        raise _Refused([f"{exc} @ $.on"]) from None


def _counts(values: Iterable[enum.Enum], keys: Iterable[enum.Enum]) -> dict[str, int]:
    found = {str(key.value): 0 for key in keys}
    for value in values:
        found[str(value.value)] += 1
    return found


@post(
    "/assess",
    operation_id="assess",
    dto=Converted[AssessRequest],
    return_dto=Converted[AssessAnswer],
    status_code=200,
    sync_to_thread=False,
    responses=_BODY_PROBLEMS,
    operation_class=_Operation,
    summary="Decide who is in the target group on a day",
)
def assess(data: Annotated[AssessRequest, _JSON], request: Request[Any, Any, Any]) -> AssessAnswer:
    """One decision per youth, with all six conditions of 29 kap. 9 § skollagen, each cited;
    the open questions of T3 are decided by the installed municipalities' plugins."""
    equivalence = _hooks(request).counts_as_equivalent_education
    views: dict[Any, ReasonView] = {}
    _in_force(data.on)
    decisions = tuple(
        DecisionView.of(
            target_group.assess(
                youth, on=data.on, municipality=data.municipality, equivalence=equivalence
            ),
            views,
        )
        for youth in data.youths
    )
    return AssessAnswer(
        day=data.on,
        municipality=data.municipality,
        counts=_counts((d.outcome for d in decisions), target_group.Outcome),
        decisions=decisions,
    )


@post(
    "/worklist",
    operation_id="worklist",
    dto=Converted[WorklistRequest],
    return_dto=Converted[WorklistAnswer],
    status_code=200,
    sync_to_thread=False,
    responses=_BODY_PROBLEMS,
    operation_class=_Operation,
    summary="What each case worker must do on a day",
)
def worklist(
    data: Annotated[WorklistRequest, _JSON], request: Request[Any, Any, Any]
) -> WorklistAnswer:
    """The worklist of the cases on the day, under each municipality's contact timetable."""
    try:
        built = build_worklist(data.cases, on=data.on, window=data.window, hooks=_hooks(request))
    except RuleNotInForce as exc:
        raise _Refused([f"{exc} @ $.on"]) from None
    return WorklistAnswer(
        day=built.day,
        window=built.window,
        cases=built.cases,
        counts={status.value: n for status, n in built.counts().items()},
        items=built.items,
    )


def _problem_text(problem: Problem) -> str:
    where = f"line {problem.line}" + (f", column {problem.column}" if problem.column else "")
    return f"{problem.message} ({where}) @ $.submission"


@post(
    "/scb/check",
    operation_id="scbCheck",
    dto=Converted[ScbCheckRequest],
    return_dto=Converted[ScbCheckAnswer],
    status_code=200,
    sync_to_thread=False,
    responses=_BODY_PROBLEMS,
    operation_class=_Operation,
    summary="Check a submission to SCB",
)
def scb_check(data: Annotated[ScbCheckRequest, _JSON]) -> ScbCheckAnswer:
    """The library's numbered cross-field checks (``KAA-E…`` errors, ``KAA-W…`` warnings)
    on a submission file; a row that cannot be read is a problem (422)."""
    period = HalfYear.parse(data.period)
    profile: ScbLayout
    try:
        profile = (
            default_profile()
            if data.profile is None
            else parse_profile(data.profile, source="$.profile")
        )
        profile.require(period)
    except KaaError as exc:
        raise _Refused([f"{exc} @ $.profile"]) from None
    summary = ReadSummary(file="$.submission")
    found: list[Problem] = []
    try:
        submission = parse_submission(
            data.submission.encode(profile.encoding, errors="strict"),
            period=period,
            profile=profile,
            municipality=data.municipality,
            file="$.submission",
            summary=summary,
            on_problem=found.append,
        )
    except UnicodeEncodeError:
        raise _Refused(
            [
                f"the submission holds characters the profile's {profile.encoding} cannot "
                "write @ $.submission"
            ]
        ) from None
    except InvalidInput as exc:
        raise _Refused([f"{exc.message} @ $.submission"]) from None
    if found:
        raise _Refused(_problem_text(p) for p in found)
    report = check_submission(submission, profile=profile)
    return ScbCheckAnswer(
        period=period.code,
        municipality=submission.municipality,
        profile=profile.name,
        youths=len(submission.records),
        ok=report.ok,
        errors=len(report.errors),
        warnings=len(report.warnings),
        findings=report.findings,
    )


@get(
    "/rules",
    operation_id="rules",
    return_dto=Converted[RulesAnswer],
    sync_to_thread=False,
    summary="The target-group rule",
)
def rules() -> RulesAnswer:
    """The target-group rule: its six conditions and every dated version with its citation."""
    timeline = target_group.TIMELINE
    latest = timeline.versions[-1].value
    versions = []
    for version in timeline:
        text, url = _cited(version.citation)
        versions.append(
            RuleVersionView(
                start=version.start,
                end=timeline.end_of(version),
                title=version.title,
                citation=text,
                citation_url=url,
                sources=version.sources,
                rule=version.value,
            )
        )
    return RulesAnswer(
        rule_id=timeline.rule_id,
        first_day=timeline.first_day,
        conditions=tuple(
            ConditionView(
                code=c.code,
                rule_id=c.rule_id,
                text=c.text,
                text_sv=c.text_sv,
                citation=str(latest.citation(c)),
            )
            for c in target_group.Condition
        ),
        versions=tuple(versions),
    )


def _municipality(kommunkod: str) -> str:
    try:
        return lookup_municipality(kommunkod).name
    except InvalidInput as exc:
        raise _Refused([f"{exc.message} @ $.kommunkod"]) from None


def _timetable_versions(timeline: Timeline[Timetable]) -> tuple[TimetableVersionView, ...]:
    views = []
    for version in timeline:
        text, url = _cited(version.citation)
        views.append(
            TimetableVersionView(
                start=version.start,
                end=timeline.end_of(version),
                title=version.title,
                citation=text,
                citation_url=url,
                sources=version.sources,
                timetable=version.value,
            )
        )
    return tuple(views)


@get(
    "/timetables/{kommunkod:str}",
    operation_id="timetables",
    return_dto=Converted[TimetablesAnswer],
    sync_to_thread=False,
    responses=_PATH_PROBLEMS,
    operation_class=_Operation,
    summary="A municipality's contact timetable",
)
def timetables(
    kommunkod: Annotated[str, _KOMMUNKOD], request: Request[Any, Any, Any]
) -> TimetablesAnswer:
    """Every dated version of the municipality's contact timetable (its plugin's, or the
    national default), with the plan each rests on."""
    name = _municipality(kommunkod)
    timeline = _hooks(request).contact_timetable(kommunkod)
    return TimetablesAnswer(
        municipality=kommunkod,
        name=name,
        rule_id=timeline.rule_id,
        versions=_timetable_versions(timeline),
    )


@get(
    "/measures/{kommunkod:str}",
    operation_id="measures",
    return_dto=Converted[MeasuresAnswer],
    sync_to_thread=False,
    responses=_PATH_PROBLEMS,
    operation_class=_Operation,
    summary="A municipality's catalogue of measures",
)
def measures(
    kommunkod: Annotated[str, _KOMMUNKOD], request: Request[Any, Any, Any]
) -> MeasuresAnswer:
    """The measures a case worker may record for the municipality: the national base and the
    municipality's own, each with its SCB category."""
    name = _municipality(kommunkod)
    return MeasuresAnswer(
        municipality=kommunkod,
        name=name,
        measures=tuple(_hooks(request).measure_catalogue(kommunkod)),
    )


# -- errors, the version header and the log -------------------------------------------------


def _answer(problems: Problems) -> Response[Any]:
    return Response(
        content=to_dict(problems, reveal_ids=False),
        status_code=problems.status,
        media_type=MediaType.JSON,
    )


def _refused(_: Request[Any, Any, Any], exc: _Refused) -> Response[Any]:
    title = "the request body is too large" if exc.status == 413 else "the input cannot be used"
    return _answer(Problems(status=exc.status, title=title, problems=exc.problems))


def _validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    problems = []
    for entry in exc.extra if isinstance(exc.extra, list) else ():
        if not isinstance(entry, Mapping):
            continue
        key = entry.get("key")
        if key == "data":  # the only way the body fails here: there is none
            problems.append("the request has no body: send a JSON object @ $")
        else:
            problems.append(f"{entry.get('message') or 'not usable'} @ $.{key}")
    return _answer(
        Problems(
            status=422,
            title="the input cannot be used",
            problems=tuple(scrub(p) for p in problems) or ("the input cannot be used @ $",),
        )
    )


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    problems: tuple[str, ...] = ()
    if status == 413:
        limit = request.app.state.max_body
        problems = (f"the request body is larger than the limit of {limit:,} bytes @ $",)
    title = {
        404: "no such endpoint",
        405: "method not allowed",
        413: "the request body is too large",
    }.get(status, "the request cannot be answered")
    return _answer(Problems(status=status, title=title, problems=problems))


def _internal(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # Never the message or the traceback: either may hold a youth's data.
    _LOG.error("internal error answering a request: %s", type(exc).__name__)
    return _answer(Problems(status=500, title="internal error: nothing was stored"))


async def _version_header(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        headers = list(message.get("headers") or [])
        headers.append((VERSION_HEADER.lower().encode(), __version__.encode()))
        message["headers"] = headers


class _Scrub(logging.Filter):
    """Masks everything shaped like an identity number in a log record (see
    :func:`kaa.errors.scrub`): its message, each text argument and its traceback. The
    arguments keep their places and types, as uvicorn's access log formatter needs them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrubbed(a) for a in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: _scrubbed(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def _scrubbed(value: object) -> object:
    return scrub(value) if isinstance(value, str) else value


def scrubbing_filter() -> logging.Filter:
    """A log filter that masks identity numbers in every record it passes.

    ``kaa serve`` puts it on the server's loggers (``uvicorn.access``, ``uvicorn.error``,
    ``litestar``, ``kaa.api``), so that a number sent in a URL is never logged whole.
    """
    return _Scrub()


def make_app(hooks: Hooks, *, max_body: int = DEFAULT_MAX_BODY) -> Litestar:
    """The HTTP API as an ASGI application.

    Args:
        hooks: The plugin facade, asked once per request for the municipalities' rules
            (``kaa serve`` passes :meth:`Hooks.default`: the plugins are loaded once).
        max_body: The largest request body read, in bytes; a larger one is refused (413).

    Returns:
        A Litestar application; run it with any ASGI server (``kaa serve`` uses uvicorn).
    """
    if max_body < 1:
        raise ValueError("max_body must be at least 1 byte")
    return Litestar(
        route_handlers=[assess, worklist, scb_check, rules, timetables, measures],
        plugins=[AttrsSchemaPlugin(), _IdentityNumberSchema()],
        openapi_config=OpenAPIConfig(
            title="kaa",
            version=__version__,
            description=(
                "Kommunernas aktivitetsansvar (29 kap. 9 § skollagen) as code: the target "
                "group, the worklist, the SCB checks and the municipalities' rules. Stores "
                "nothing; identity numbers are masked in every answer. Input errors: status "
                "422, each problem `message @ $.path`."
            ),
            path="/spec",
            render_plugins=[JsonRenderPlugin(path="/")],
        ),
        exception_handlers={
            _Refused: _refused,
            ValidationException: _validation,
            HTTPException: _http,
            Exception: _internal,
        },
        response_headers=[
            ResponseHeader(
                name=VERSION_HEADER,
                description="The version of kaa (and so of its rules) that answered.",
                documentation_only=True,
            )
        ],
        before_send=[_version_header],
        request_max_body_size=max_body,
        state=State({"hooks": hooks, "max_body": max_body}),
        debug=False,
        logging_config=None,
    )
