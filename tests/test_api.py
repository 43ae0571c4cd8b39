"""The HTTP API (:mod:`kaa.api`), tested with a real HTTP client against a real uvicorn server
on the loopback address, started once for the module in a thread.

Every answer is checked for the version header and for whole identity numbers; the server's
log records (uvicorn's access and error logs, Litestar's and the API's) are captured and
checked the same way, and the OpenAPI description is checked as OpenAPI 3 generated from the
models, and the real answers against it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
import uvicorn

import kaa
from kaa.api import DEFAULT_MAX_BODY, VERSION_HEADER, make_app, scrubbing_filter
from kaa.commands.serve import LOGGERS, listen
from kaa.convert import to_dict
from kaa.model.case import Case
from kaa.model.youth import Enrolment, Youth
from kaa.period import HalfYear
from kaa.plugins import hookimpl
from kaa.rules import target_group
from kaa.scb.checks import check_submission
from kaa.scb.layout import default_profile
from kaa.scb.reader import loads_submission
from kaa.scb.submission import build_submission
from kaa.scb.writer import dumps_submission
from kaa.testing import hooks_with, skatteverket_number
from kaa.testing.synthetic import synthetic_cases
from kaa.worklist import WorkItem

DAY = dt.date(2026, 11, 23)
MAX_BODY = 300_000
IN = skatteverket_number(dt.date(2008, 8, 12))
"""A youth who finished compulsory school and studies nowhere: in the target group."""
STUDYING = skatteverket_number(dt.date(2008, 3, 1))
"""A youth on a national programme: out (T3)."""
BREAKS = skatteverket_number(dt.date(2007, 5, 4))
"""A youth for whom the test plugin below raises, with the whole number in its message."""
NUMBERS = (IN, STUDYING, BREAKS)


class _Breaks:
    """A plugin that fails for one youth, so that the internal-error path can be seen."""

    @hookimpl(tryfirst=True)
    def kaa_counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> None:
        if youth.id == BREAKS:
            raise RuntimeError(f"plugin failed for {BREAKS.full('separated_long')}")


def _whole(number: kaa.IdentityNumber) -> re.Pattern[str]:
    """Any written form of ``number`` with its last four characters (12 or 10 digits, with
    or without a separator)."""
    long = number.full("separated_long")
    date, serial = long[:8], long[-4:]
    return re.compile(rf"(?:{date}|{date[2:]})[-+ ]?{serial}")


def _no_whole_number(text: str) -> None:
    for number in NUMBERS:
        assert not _whole(number).search(text), f"{number.masked()} is shown whole"


def _youth(number: kaa.IdentityNumber, **facts: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": number.full("separated_long"),
        "residences": [{"municipality": "1882"}],
        "compulsory_school_completed": "2024-06-12",
    }
    record.update(facts)
    return record


STUDY = {
    "enrolments": [{"school_form": "gymnasieskola", "programme": "national", "start": "2024-08-19"}]
}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@attrs.frozen
class Server:
    url: str
    log: _Records


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    hooks = hooks_with(_Breaks())
    app = make_app(hooks, max_body=MAX_BODY)
    sock = listen("127.0.0.1", 0)
    config = uvicorn.Config(app, log_level="info", access_log=True, lifespan="on")
    records = _Records()
    records.setFormatter(logging.Formatter("%(name)s %(message)s"))
    masking = scrubbing_filter()
    for name in LOGGERS:  # as kaa serve does
        logger = logging.getLogger(name)
        logger.addFilter(masking)
        logger.addHandler(records)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    host, port = sock.getsockname()[:2]
    try:
        yield Server(url=f"http://{host}:{port}", log=records)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        for name in LOGGERS:
            logger = logging.getLogger(name)
            logger.removeFilter(masking)
            logger.removeHandler(records)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _answer(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers[VERSION_HEADER] == kaa.__version__
    _no_whole_number(response.text)
    return response.json()


# -- POST /assess -----------------------------------------------------------------------------


def test_assess_answers_each_youth_with_all_six_conditions_cited(client: httpx.Client) -> None:
    body = {"on": DAY.isoformat(), "youths": [_youth(IN), _youth(STUDYING, **STUDY)]}
    answer = _answer(client.post("/assess", json=body))
    assert answer["day"] == "2026-11-23"
    assert answer["counts"] == {"in": 1, "out": 1, "undecided": 0}
    first, second = answer["decisions"]
    assert (first["id"], first["outcome"], first["summary"]) == (IN.masked(), "in", "in")
    assert (second["id"], second["outcome"], second["summary"]) == (
        STUDYING.masked(),
        "out",
        "out: T3",
    )
    assert [r["condition"] for r in first["reasons"]] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    citations = {r["condition"]: r["citation"] for r in first["reasons"]}
    assert citations["T1"] == "29 kap. 9 § skollagen (2010:800)"
    assert citations["T6"] == "29 kap. 6 § skollagen (2010:800)"
    assert all(r["citation_url"].startswith("https://") for r in first["reasons"])
    assert first["rule_version"] == "2023-07-02"


def test_assess_gives_what_kaa_assess_gives_in_process(client: httpx.Client) -> None:
    on = dt.date(2017, 5, 2)
    youths = [
        Youth(
            id=number,
            residences=(kaa.Residence(municipality="1882"),),
            compulsory_school_completed=dt.date(2016, 6, 12),
            enrolments=enrolments,
        )
        for number, enrolments in (
            (IN, ()),
            (
                STUDYING,
                (
                    Enrolment(
                        school_form=kaa.SchoolForm.GYMNASIESKOLA,
                        programme=kaa.Programme.INTRODUCTION,
                        start=dt.date(2016, 8, 19),
                    ),
                ),
            ),
        )
    ]
    body = {"on": on.isoformat(), "youths": to_dict(youths, reveal_ids=True)}
    answer = _answer(client.post("/assess", json=body))
    for decision, got in zip(
        (kaa.assess(y, on=on, hooks=hooks_with()) for y in youths), answer["decisions"], strict=True
    ):
        assert got["summary"] == decision.summary()
        assert [r["explanation"] for r in got["reasons"]] == [
            r.explanation for r in decision.reasons
        ]
        assert got["rule_version"] == "2015-01-01"
    assert answer["counts"]["in"] == 2  # an introduction programme did not count in 2017


def test_assess_asks_about_one_municipality_when_given(client: httpx.Client) -> None:
    body = {"on": DAY.isoformat(), "municipality": "0180", "youths": [_youth(IN)]}
    answer = _answer(client.post("/assess", json=body))
    (decision,) = answer["decisions"]
    assert answer["municipality"] == "0180"
    assert decision["summary"] == "out: T6"


def test_assess_reads_a_ten_digit_number_against_the_day(client: httpx.Client) -> None:
    ten = IN.full("separated_long")[2:]
    answer = _answer(
        client.post("/assess", json={"on": DAY.isoformat(), "youths": [_youth(IN, id=ten)]})
    )
    assert answer["decisions"][0]["id"] == IN.masked()


# -- input errors -----------------------------------------------------------------------------

WHOLE = IN.full("separated_long")


@pytest.mark.parametrize(
    ("path", "body", "problem"),
    [
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN, compulsory_school_completed=True)]},
            "True is not a date; write it as YYYY-MM-DD @ $.youths[0].compulsory_school_completed",
            id="a wrong JSON type is a problem at its path",
        ),
        pytest.param(
            "/assess",
            {
                "on": "2026-11-23",
                "youths": [
                    _youth(
                        IN,
                        enrolments=[
                            {
                                "school_form": "gymnasieskola",
                                "start": "2024-08-19",
                                "cancelled": "nej",
                            }
                        ],
                    )
                ],
            },
            "must be true or false, not text @ $.youths[0].enrolments[0].cancelled",
            id="text is not a boolean",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "municipality": "9999", "youths": []},
            "unknown municipality code '9999': not one of Sweden's 290 kommunkoder @ "
            "$.municipality",
            id="an unknown kommunkod asking is a problem at its field",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "municipality": 1882, "youths": []},
            "must be text, not a whole number @ $.municipality",
            id="a kommunkod written as a number is refused",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN, residences=[{"municipality": "9999"}])]},
            "not one of Sweden's 290 kommunkoder @ $.youths[0].residences[0]",
            id="an unknown kommunkod of a residence",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN, compulsory_school_completed=WHOLE)]},
            "'20080812-****' is not a date; write it as YYYY-MM-DD @ "
            "$.youths[0].compulsory_school_completed",
            id="a whole identity number in a date field is masked in the problem",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN, residences=[{"municipality": WHOLE}])]},
            "unknown municipality code '20080812-****'",
            id="a whole identity number as a kommunkod is masked in the problem",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN, note=WHOLE)]},
            "unknown field(s): note @ $.youths[0]",
            id="an unknown field is named, its value is not echoed",
        ),
        pytest.param(
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN, id=WHOLE[:-1] + "5")]},
            "20080812-**** is not a valid identity number",
            id="an invalid identity number is masked in the problem",
        ),
        pytest.param(
            "/assess",
            {"on": "2014-12-31", "youths": [_youth(IN)]},
            "rule 'kaa.target_group' is not in force on 2014-12-31: its first version applies "
            "from 2015-01-01 @ $.on",
            id="a day before KAA began is refused, not answered with a default",
        ),
        pytest.param(
            "/assess",
            {"youths": []},
            "required field missing @ $.on",
            id="a missing day",
        ),
        pytest.param(
            "/assess",
            [_youth(IN)],
            "must be an object {...}, not an array [...] @ $",
            id="a list where the object belongs",
        ),
        pytest.param(
            "/worklist",
            {"on": "2026-11-23", "window": -1, "cases": []},
            "the window must be 0 to 366 days, not -1 @ $.window",
            id="a worklist window out of range",
        ),
        pytest.param(
            "/worklist",
            {"on": "2026-11-23", "cases": [{"youth": _youth(IN)}]},
            "required field missing @ $.cases[0].municipality",
            id="a case without its fields",
        ),
        pytest.param(
            "/scb/check",
            {"period": "2026H3", "submission": ""},
            "'2026H3' is not a half-year",
            id="a half-year that does not exist",
        ),
        pytest.param(
            "/scb/check",
            {"period": "2026H2", "submission": "", "municipality": "1882", "profile": "x = "},
            "@ $.profile",
            id="a profile that is not TOML",
        ),
    ],
)
def test_input_errors_are_422_with_message_at_path(
    client: httpx.Client, path: str, body: Any, problem: str
) -> None:
    answer = _answer(client.post(path, json=body), 422)
    assert answer["status"] == 422
    assert any(problem in p for p in answer["problems"]), answer["problems"]


def test_every_problem_is_reported_at_once(client: httpx.Client) -> None:
    youths = [_youth(IN, compulsory_school_completed="x"), _youth(STUDYING, extra=1)]
    answer = _answer(client.post("/assess", json={"on": "2026-11-23", "youths": youths}), 422)
    assert len(answer["problems"]) == 2
    assert all(" @ $.youths[" in p for p in answer["problems"])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(b'{"on": "2026-11-23", "youths": [}', "not valid JSON", id="not JSON"),
        pytest.param(b"", "the request has no body", id="no body"),
        pytest.param(
            b'{"on": "2026-11-23", "on": "2026-11-24", "youths": []}',
            "appears twice",
            id="a key twice",
        ),
        pytest.param(b"\xff\xfe{}", "not UTF-8", id="not UTF-8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested too deeply", id="nested too deeply"),
    ],
)
def test_a_body_that_is_not_usable_json_is_422(
    client: httpx.Client, content: bytes, problem: str
) -> None:
    answer = _answer(
        client.post("/assess", content=content, headers={"content-type": "application/json"}),
        422,
    )
    assert any(problem in p and p.endswith(" @ $") for p in answer["problems"]), answer


def test_a_body_over_the_limit_is_refused_with_413(client: httpx.Client) -> None:
    youths = [_youth(IN)] * (MAX_BODY // 100)
    body = json.dumps({"on": "2026-11-23", "youths": youths}).encode()
    assert len(body) > MAX_BODY
    answer = _answer(client.post("/assess", content=body), 413)
    assert answer["problems"] == [
        f"the request body is larger than the limit of {MAX_BODY:,} bytes @ $"
    ]


def test_a_streamed_body_over_the_limit_is_refused_while_read(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"on": "2026-11-23", "youths": ['
        for _ in range(MAX_BODY // 1000 + 10):
            yield b'"' + b"x" * 1000 + b'",'
        yield b"]}"

    answer = _answer(client.post("/assess", content=chunks()), 413)
    assert answer["status"] == 413


def test_the_default_limit_is_documented_in_megabytes() -> None:
    assert DEFAULT_MAX_BODY == 8_000_000


def test_an_unknown_path_and_a_wrong_method_answer_with_the_header(client: httpx.Client) -> None:
    assert _answer(client.get("/nothing"), 404)["title"] == "no such endpoint"
    assert _answer(client.get("/assess"), 405)["title"] == "method not allowed"


def test_an_internal_error_says_nothing_of_the_input(client: httpx.Client, server: Server) -> None:
    body = {
        "on": "2026-11-23",
        "youths": [_youth(BREAKS, enrolments=[{"school_form": "komvux", "start": "2025-01-01"}])],
    }
    answer = _answer(client.post("/assess", json=body), 500)
    assert answer == {"status": 500, "title": "internal error: nothing was stored", "problems": []}
    assert any(
        "internal error answering a request: RuntimeError" in line for line in server.log.lines
    )


# -- POST /worklist, POST /scb/check ----------------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return list(synthetic_cases(40, period=HalfYear(2026, 2)))


def test_worklist_gives_the_items_kaa_gives_in_process(
    client: httpx.Client, cases: list[Case]
) -> None:
    body = {"on": DAY.isoformat(), "cases": to_dict(cases, reveal_ids=True)}
    answer = _answer(client.post("/worklist", json=body))
    expected = kaa.build_worklist(cases, on=DAY, hooks=hooks_with())
    assert answer["cases"] == expected.cases
    assert answer["items"] == to_dict(list(expected.items), reveal_ids=False)
    assert sum(answer["counts"].values()) == len(expected.items) > 0
    assert {item["case_ref"] for item in answer["items"]} <= {f"#{i}" for i in range(1, 41)}
    assert {f.name for f in attrs.fields(WorkItem)} == set(answer["items"][0])


def test_scb_check_gives_the_numbered_findings(client: httpx.Client, cases: list[Case]) -> None:
    period = HalfYear(2026, 2)
    submission = build_submission(cases, period, municipality="1882")
    text = dumps_submission(submission)
    answer = _answer(client.post("/scb/check", json={"period": "HT 2026", "submission": text}))
    read_back = loads_submission(text, period=period)
    expected = check_submission(read_back, profile=default_profile())
    assert (answer["period"], answer["municipality"], answer["youths"]) == (
        "2026H2",
        "1882",
        len(submission.records),
    )
    assert answer["ok"] is True
    assert answer["findings"] == to_dict(list(expected.findings), reveal_ids=False)
    assert answer["findings"][0]["check"] == "KAA-W007"  # the built-in profile's codes
    assert all(re.fullmatch(r"KAA-[EW]\d{3}", f["check"]) for f in answer["findings"])


def test_scb_check_finds_an_error_in_a_record(client: httpx.Client, cases: list[Case]) -> None:
    submission = build_submission(cases, HalfYear(2026, 2), municipality="1882")
    lines = dumps_submission(submission).splitlines(keepends=True)
    text = "".join([*lines, lines[1]])  # the first youth twice
    answer = _answer(client.post("/scb/check", json={"period": "2026H2", "submission": text}))
    assert answer["ok"] is False
    errors = [f for f in answer["findings"] if f["check"] == "KAA-E001"]
    assert len(errors) == 2
    assert errors[0]["youth"].endswith("-****")


def test_scb_check_refuses_a_row_it_cannot_read(client: httpx.Client, cases: list[Case]) -> None:
    submission = build_submission(cases, HalfYear(2026, 2), municipality="1882")
    lines = dumps_submission(submission).splitlines(keepends=True)
    text = "".join([lines[0], lines[1].replace("2026-", "2026x", 1), *lines[2:]])
    answer = _answer(client.post("/scb/check", json={"period": "2026H2", "submission": text}), 422)
    assert answer["problems"][0].endswith("(line 2, column Registreringsdatum) @ $.submission")


# -- GET /rules, /timetables, /measures -------------------------------------------------------


def test_rules_lists_every_dated_version_with_its_citation(client: httpx.Client) -> None:
    answer = _answer(client.get("/rules"))
    assert answer["rule_id"] == "kaa.target_group"
    assert answer["first_day"] == "2015-01-01"
    starts = [v["start"] for v in answer["versions"]]
    assert starts == [v.start.isoformat() for v in target_group.TIMELINE]
    assert [v["end"] for v in answer["versions"]] == ["2018-06-30", "2023-07-01", None]
    assert answer["versions"][1]["citation"] == (
        "29 kap. 9 § skollagen (2010:800), i lydelse enligt SFS 2018:749"
    )
    assert answer["versions"][1]["sources"] == ["SFS 2018:749", "prop. 2017/18:183"]
    assert answer["versions"][0]["rule"]["introduction_programme_counts_as_attending"] is False
    assert [c["code"] for c in answer["conditions"]] == ["T1", "T2", "T3", "T4", "T5", "T6"]


def test_timetables_gives_the_municipalitys_plan(client: httpx.Client) -> None:
    answer = _answer(client.get("/timetables/1882"))
    assert (answer["municipality"], answer["name"]) == ("1882", "Askersund")
    expected = hooks_with().contact_timetable("1882")
    assert len(answer["versions"]) == len(expected)
    steps = answer["versions"][-1]["timetable"]["steps"]
    assert [s["id"] for s in steps] == [s.id for s in expected.versions[-1].value.steps]
    assert "Askersund" in answer["versions"][0]["citation"]


def test_measures_gives_the_catalogue(client: httpx.Client) -> None:
    answer = _answer(client.get("/measures/0180"))
    assert answer["name"] == "Stockholm"
    expected = list(hooks_with().measure_catalogue("0180"))
    assert [m["id"] for m in answer["measures"]] == [m.id for m in expected]


@pytest.mark.parametrize("path", ["/timetables", "/measures"])
@pytest.mark.parametrize(
    ("code", "problem"),
    [
        pytest.param("9999", "'9999'", id="an unknown kommunkod"),
        pytest.param("180", "0180", id="a kommunkod without its leading zero"),
        pytest.param(WHOLE.replace("-", ""), "'20080812-****'", id="an identity number, masked"),
    ],
)
def test_an_unknown_kommunkod_in_the_path_is_422(
    client: httpx.Client, path: str, code: str, problem: str
) -> None:
    answer = _answer(client.get(f"{path}/{code}"), 422)
    (text,) = answer["problems"]
    assert problem in text
    assert text.endswith(" @ $.kommunkod")


# -- GET /spec --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec(server: Server) -> dict[str, Any]:
    response = httpx.get(f"{server.url}/spec")
    assert response.headers[VERSION_HEADER] == kaa.__version__
    result: dict[str, Any] = response.json()
    return result


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_spec_is_openapi_3_with_every_endpoint(spec: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.\d+\.\d+", spec["openapi"])
    assert spec["info"] == {**spec["info"], "title": "kaa", "version": kaa.__version__}
    operations = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert operations == {
        ("/assess", "post"),
        ("/worklist", "post"),
        ("/scb/check", "post"),
        ("/rules", "get"),
        ("/timetables/{kommunkod}", "get"),
        ("/measures/{kommunkod}", "get"),
    }
    schemas = spec["components"]["schemas"]
    for ref in _refs(spec):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    for item in spec["paths"].values():
        for operation in item.values():
            assert "400" not in operation["responses"]  # input errors are 422
            assert VERSION_HEADER in operation["responses"]["200"]["headers"]
    assert set(spec["paths"]["/assess"]["post"]["responses"]) == {"200", "413", "422"}


@pytest.mark.parametrize(
    "model", [Youth, Case, WorkItem, kaa.Residence, Enrolment, target_group.RuleVersion]
)
def test_spec_schemas_are_generated_from_the_models(spec: dict[str, Any], model: type[Any]) -> None:
    schema = spec["components"]["schemas"][model.__name__]
    fields = attrs.fields(model)
    assert set(schema["properties"]) == {f.name for f in fields}
    assert set(schema.get("required", [])) == {f.name for f in fields if f.default is attrs.NOTHING}


def _conforms(value: Any, schema: dict[str, Any], spec: dict[str, Any], at: str = "$") -> None:
    """Check ``value`` against the part of JSON Schema the generated description uses."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        _conforms(value, spec["components"]["schemas"][name], spec, at)
        return
    if "oneOf" in schema or "anyOf" in schema:
        options = schema.get("oneOf") or schema["anyOf"]
        failures = 0
        for option in options:
            try:
                _conforms(value, option, spec, at)
            except AssertionError:
                failures += 1
        assert failures < len(options), f"{at}: {value!r} fits none of {options}"
        return
    if "enum" in schema:
        assert value in schema["enum"], f"{at}: {value!r} not in {schema['enum']}"
    types = schema.get("type")
    if types is not None:
        kinds = {
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "array": list,
            "object": dict,
            "null": type(None),
        }
        allowed = types if isinstance(types, list) else [types]
        assert any(
            isinstance(value, kinds[t])
            and not (t in ("integer", "number") and isinstance(value, bool))
            for t in allowed
        ), f"{at}: {value!r} is not {allowed}"
    if schema.get("format") == "date" and isinstance(value, str):
        assert dt.date.fromisoformat(value), at
    if isinstance(value, dict) and "properties" in schema:
        assert set(schema.get("required", [])) <= set(value), at
        assert set(value) <= set(schema["properties"]), (
            f"{at}: {set(value) - set(schema['properties'])}"
        )
        for key, item in value.items():
            _conforms(item, schema["properties"][key], spec, f"{at}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _conforms(item, schema["items"], spec, f"{at}[{i}]")


def test_the_conformance_check_can_fail(spec: dict[str, Any]) -> None:
    schema = {"$ref": "#/components/schemas/ReasonView"}
    with pytest.raises(AssertionError):
        _conforms({"condition": "T1"}, schema, spec)


def test_every_answer_conforms_to_the_spec(
    client: httpx.Client, spec: dict[str, Any], cases: list[Case]
) -> None:
    submission = dumps_submission(build_submission(cases, HalfYear(2026, 2), municipality="1882"))
    calls = [
        (
            "post",
            "/assess",
            {"on": "2026-11-23", "youths": [_youth(IN), _youth(STUDYING, **STUDY)]},
        ),
        ("post", "/worklist", {"on": "2026-11-23", "cases": to_dict(cases, reveal_ids=True)}),
        ("post", "/scb/check", {"period": "2026H2", "submission": submission}),
        ("get", "/rules", None),
        ("get", "/timetables/1882", None),
        ("get", "/measures/1882", None),
    ]
    for method, path, body in calls:
        response = client.request(method, path, json=body)
        template = re.sub(r"/\d{4}$", "/{kommunkod}", path)
        declared = spec["paths"][template][method]["responses"]["200"]
        _conforms(_answer(response), declared["content"]["application/json"]["schema"], spec)
    bad = client.post("/assess", json={"on": "x", "youths": []})
    declared = spec["paths"]["/assess"]["post"]["responses"]["422"]
    _conforms(_answer(bad, 422), declared["content"]["application/json"]["schema"], spec)


# -- the log ----------------------------------------------------------------------------------


def test_the_log_holds_no_whole_identity_number(client: httpx.Client, server: Server) -> None:
    client.get(f"/measures/{WHOLE.replace('-', '')}", params={"id": WHOLE})
    client.post("/assess", json={"on": "2026-11-23", "youths": [_youth(IN, note=WHOLE)]})
    client.post("/assess", json={"on": "2026-11-23", "youths": [_youth(IN)]})
    logged = "\n".join(server.log.lines)
    assert "uvicorn.access" in logged
    assert "/measures/20080812-****" in logged
    _no_whole_number(logged)
