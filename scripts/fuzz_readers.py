"""Fuzz every reader of the library with random and mutated files.

Each input is a file made from a seed — the bundled examples in ``examples/data/`` and small
generated files for the formats the examples do not cover — by one to four mutations: byte
flips, truncation, insertion of quotes, separators, NUL, byte-order marks, control
characters and huge runs (5,000 digits, 200,000 characters, deep nesting), deleted,
duplicated and swapped lines, mixed line endings, cells dropped, added or replaced by hostile
values (``2024-06-1299``, ``nej``, ``[]``) and, for JSON, values replaced, keys deleted or
written twice. Some inputs are random bytes or empty.

Each input is read to the end by one reader in a worker process and classified:

- **accepted** — read through with no problem;
- **reported** — read through with rows rejected (each reported), or refused whole with a
  :class:`~kaa.errors.KaaError` (a file-level problem);
- **crash** — any other exception; the traceback's last lines and the input's hash are
  printed and the input is saved under a temporary directory;
- **hang** — the read took longer than ``--timeout`` seconds (the worker is killed);
- **count fault** — the read finished but ``rows_accepted + rows_rejected != rows_read``,
  or the records counted are not the records yielded;
- **leak** — a problem or error message holds something shaped like a whole identity
  number.

Peak memory is the largest resident set of the workers (``resource.getrusage``); a worker
is also limited to ``--memory-mb`` of address space, so a memory bomb is a crash
(``MemoryError``), not a dead machine. Usage::

    python scripts/fuzz_readers.py --seconds 600 --seed 1
    python scripts/fuzz_readers.py --reader ist --reader scb-submission --seconds 60
    python scripts/fuzz_readers.py --list

The exit status is 1 if any crash, hang, count fault or leak was found, else 0.
``tests/test_fuzz.py`` runs :func:`fuzz` for a few seconds as part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import multiprocessing.connection
import random
import re
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaa.adapters import SourceSummary, open_source
from kaa.errors import KaaError
from kaa.formats.canonical import dumps_csv, read_youths
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.period import HalfYear
from kaa.scb.layout import default_profile, load_profile
from kaa.scb.reader import read_submission

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "data"
LONG_PROFILE = ROOT / "tests" / "data" / "scb" / "long.toml"
DAY = dt.date(2026, 11, 23)
PERIOD = HalfYear(2026, 2)
_NUMBER_SHAPED = re.compile(
    r"(?<![0-9A-Za-z])(\d{8}|\d{6})[-+ ]?([0-9TRSUWXJKLMNtrsuwxjklmn]\d{3})(?![0-9A-Za-z])"
)
"""What :func:`kaa.errors.scrub` masks: no message may still hold it."""


# --- the readers --------------------------------------------------------------------------


@dataclass
class Read:
    """What one read gave: the counts, and every message it produced."""

    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    records: int = 0
    yielded: int = 0
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _from(summary: ReadSummary, yielded: int) -> Read:
    return Read(
        summary.rows_read,
        summary.rows_accepted,
        summary.rows_rejected,
        summary.records,
        yielded,
        [str(p) for p in summary.problems],
        [str(n) for n in getattr(summary, "notices", ())],
    )


def _source(name: str, mapping: str | None = None) -> Callable[[Path], Read]:
    def read(path: Path) -> Read:
        summary = SourceSummary(file=str(path))
        map_path = None
        if mapping is not None:
            map_path = path.with_name("mapping.toml")
            map_path.write_text(mapping, encoding="utf-8")
        yielded = sum(
            1 for _ in open_source(name, path, summary=summary, reference_day=DAY, mapping=map_path)
        )
        return _from(summary, yielded)

    return read


def _youths(path: Path) -> Read:
    summary = ReadSummary(file=str(path))
    yielded = sum(1 for _ in read_youths(path, summary=summary, reference_day=DAY))
    return _from(summary, yielded)


def _cases(path: Path) -> Read:
    summary = ReadSummary(file=str(path))
    yielded = sum(1 for _ in read_cases(path, summary=summary, reference_day=DAY))
    return _from(summary, yielded)


def _submission(long: bool) -> Callable[[Path], Read]:
    def read(path: Path) -> Read:
        profile = load_profile(LONG_PROFILE) if long else default_profile()
        summary = ReadSummary(file=str(path))
        submission = read_submission(
            path, period=PERIOD, profile=profile, municipality="1882", summary=summary
        )
        return _from(summary, summary.records if submission is None else len(submission.records))

    return read


@dataclass(frozen=True)
class Reader:
    """A reader under test: the file suffix it is given and how it is called."""

    name: str
    suffix: str
    read: Callable[[Path], Read]


READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        Reader("canonical-csv", ".csv", _youths),
        Reader("canonical-json", ".json", _youths),
        Reader("canonical-jsonl", ".jsonl", _youths),
        Reader("cases-jsonl", ".jsonl", _cases),
        Reader("cases-json", ".json", _cases),
        Reader("ist", ".csv", _source("ist")),
        Reader("ist-xlsx", ".xlsx", _source("ist")),
        Reader("ber", ".csv", _source("ber")),
        Reader("hypernet", ".csv", _source("hypernet")),
        Reader("ss12000", ".json", _source("ss12000")),
        Reader("ss12000-jsonl", ".jsonl", _source("ss12000")),
        Reader("scb", ".txt", _source("scb", mapping='period = "2026H2"\n')),
        Reader("scb-submission", ".txt", _submission(long=False)),
        Reader("scb-submission-long", ".txt", _submission(long=True)),
    )
}
"""Every reader, by the name ``--reader`` takes."""


# --- the seeds ----------------------------------------------------------------------------


def _lines(data: bytes, n: int) -> bytes:
    return b"".join(data.splitlines(keepends=True)[:n])


def _xlsx(rows: Iterable[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _xlsx_bomb(part: str, megabytes: int) -> bytes:
    """A small workbook whose ``part`` (the sheet or the shared strings) unpacks to
    ``megabytes`` MiB: a decompression bomb the reader must refuse unread."""
    base = _xlsx([["Personnummer", "Folkbokföringskommun"], ["200807112388", "1882"]])
    strings = part.endswith("sharedStrings.xml")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if strings and item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/{part}" ContentType="{_SST}"/></Types>'.encode(),
                )
            elif strings and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdS" Type="{_SST_REL}" Target="sharedStrings.xml"/>'
                    "</Relationships>".encode(),
                )
            if item.filename != part:
                target.writestr(item, data)
                continue
            head, _, tail = data.partition(b"<sheetData>")
            row = b'<row><c t="inlineStr"><is><t>200807112388</t></is></c></row>'
            with target.open(part, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                block = row * (2**20 // len(row))
                for _ in range(megabytes):
                    stream.write(block)
                stream.write(b"</sheetData>" + tail.partition(b"</sheetData>")[2])
        if strings:
            with target.open(part, "w", force_zip64=True) as stream:
                stream.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                chunk = b"<si><t>" + b"x" * (2**20 - 16) + b"</t></si>"
                for _ in range(megabytes):
                    stream.write(chunk)
                stream.write(b"</sst>")
    return out.getvalue()


_BOMBS: list[bytes] = []


def _bombs() -> list[bytes]:
    """The decompression bombs, made once (a sheet of 300 MiB, shared strings of 80 MiB)."""
    if not _BOMBS:
        _BOMBS.append(_xlsx_bomb("xl/worksheets/sheet1.xml", 300))
        _BOMBS.append(_xlsx_bomb("xl/sharedStrings.xml", 80))
    return _BOMBS


_BER = [
    "Personnummer;Namn;Adress;Postnummer;Postort;Kommun;Avgång grundskola;Skolform;Programtyp;"
    "Inskrivningsdatum;Utskrivningsdatum;Avbrott;Examen;Examensdatum;Registrerad KAA;"
    "Anledning;Sysselsättning;Handläggare",
    "200807112388;Test Testsson;Storgatan 1;12345;Stockholm;0180;2024-06-12;GY;Nationellt;"
    "2024-08-19;2025-02-14;Ja;;;2025-03-01;Avbrott;Okänd;h1",
    "200704132380;Test Testsson;;;;0180;2023-06-12;Komvux;;2024-08-18;;;;;;;;",
    "200704132380;Test Testsson;;;;0180;2023-06-12;;;;;;Studiebevis;2024-06-12;;;;",
    '"200805172384";"Test; Testsson";"";"";"";"0180";"20240612";"";"";"";"";"";"";"";"";"";"";""',
]
_HYPERNET = [
    "Pnr,Namn,Adress,Postnr,Ort,Kommunkod,Sekretess,Avslutat grundskola,Skolform,Program,Från,"
    "Till,Avbrott,Examen,Examensdatum,Inskriven,Orsak,Sysselsättning,Ansvarig",
    "20080711-2388,Test Testsson,Storgatan 1,123 45,Karlstad,1780,,2024-06-12,GY,NP,2024-08-19,"
    "2025-02-14,ja,,,2025-03-01,,Okänd,h1",
    "20070413-2380,Test Testsson,,,,1780,Sekretessmarkering,45455,GY,IM,2024-08-18,,,,,,,,",
    "080517-2384,Test Testsson,,,,1780,,20240612,,,,,,Examen,2025-06-12,,,,",
]


def _persons(numbers: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for i, number in enumerate(numbers):
        found.append(
            {
                "id": f"p{i}",
                "givenName": "Test",
                "familyName": "Testsson",
                "civicNo": {"value": number},
                "securityMarking": ["Ingen", "Skyddad folkbokföring", None][i % 3],
                "addresses": [
                    {
                        "type": "Folkbokföring",
                        "municipalityCode": "1882",
                        "streetAddress": "Storgatan 1",
                        "postalCode": "69630",
                        "locality": "Askersund",
                    }
                ],
                "emails": [{"value": "test@example.se", "type": "Privat"}],
                "phoneNumbers": [{"value": "070-000 00 00", "mobile": True}],
                "enrolments": [
                    {"schoolType": "GR", "schoolYear": 9, "endDate": "2024-06-12"},
                    {
                        "schoolType": "GY",
                        "startDate": "2024-08-19",
                        "endDate": "2025-02-14",
                        "cancelled": i % 2 == 0,
                        "programme": {"id": "prog1"},
                        "educationCode": "NA",
                    },
                ],
            }
        )
    return found


def seeds() -> dict[str, list[bytes]]:
    """The seed files of every reader: the bundled examples and small generated files."""
    from kaa.convert import to_dict
    from kaa.formats.cases import read_cases as _read_cases
    from kaa.scb.submission import build_submission
    from kaa.scb.writer import dumps_submission
    from kaa.testing.synthetic import synthetic_youths

    youths = list(synthetic_youths(6, on=DAY, seed=7))
    youth_dicts = [to_dict(y, reveal_ids=True) for y in youths]
    example_json = json.loads((EXAMPLES / "youths.json").read_text(encoding="utf-8"))
    cases_bytes = (EXAMPLES / "cases.jsonl").read_bytes()
    ist = (EXAMPLES / "askersund-ist.csv").read_bytes()
    numbers = [str(y.id.full("long")) for y in youths]
    persons = _persons(numbers)
    cases = list(_read_cases(EXAMPLES / "cases.jsonl", reference_day=DAY))
    submission = build_submission(cases, PERIOD, municipality="1882")
    small = type(submission)(
        period=submission.period,
        municipality=submission.municipality,
        records=submission.records[:6],
    )
    long = load_profile(LONG_PROFILE)
    ist_rows = [line.split(";") for line in _lines(ist, 15).decode("cp1252").splitlines()]
    scb_default = [
        dumps_submission(small, default_profile()).encode("utf-8"),
        dumps_submission(submission, default_profile()).encode("utf-8"),
    ]
    return {
        "canonical-csv": [
            _lines((EXAMPLES / "youths.csv").read_bytes(), 40),
            (EXAMPLES / "youths-with-errors.csv").read_bytes(),
            dumps_csv(youths).encode(),
        ],
        "canonical-json": [
            json.dumps(example_json[:4], indent=2, ensure_ascii=False).encode(),
            json.dumps(youth_dicts).encode(),
        ],
        "canonical-jsonl": [
            "".join(json.dumps(y, ensure_ascii=False) + "\n" for y in youth_dicts).encode(),
            "".join(json.dumps(y) + "\n" for y in example_json[:5]).encode(),
        ],
        "cases-jsonl": [_lines(cases_bytes, 6), _lines(cases_bytes, 20)],
        "cases-json": [
            ("[\n" + ",\n".join(_lines(cases_bytes, 5).decode().splitlines()) + "\n]\n").encode()
        ],
        "ist": [_lines(ist, 25), ist],
        "ist-xlsx": [_xlsx(ist_rows)],
        "ber": ["\r\n".join(_BER).encode("cp1252"), "\n".join(_BER).encode("utf-8-sig")],
        "hypernet": ["\n".join(_HYPERNET).encode("utf-8")],
        "ss12000": [
            json.dumps(
                {"data": persons, "programmes": {"data": [{"id": "prog1", "code": "NA"}]}},
                indent=1,
                ensure_ascii=False,
            ).encode(),
            json.dumps(persons[:2]).encode(),
        ],
        "ss12000-jsonl": ["".join(json.dumps(p) + "\n" for p in persons).encode()],
        "scb": scb_default,
        "scb-submission": scb_default,
        "scb-submission-long": [dumps_submission(small, long).encode("cp1252")],
    }


# --- the mutations ------------------------------------------------------------------------

_TOKENS = [
    b'"',
    b'""',
    b'"x"y',
    b";",
    b",",
    b"\t",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r",
    b"\n",
    b"\r\n",
    b"\x1b[31m",
    b"\x85",
    b"\xe2\x80\xa8",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\\",
    b"\\u0000",
    b"o\xcc\x88",
    b"\xf6",
    b"9" * 5000,
    b"-" + b"1" * 40,
    b"1e999",
    b"a" * 200_000,
    b'"' * 64,
    b"[" * 5000,
    b'{"a":' * 3000,
    b"NaN",
    b"2024-06-1299",
    b"2024-06-12 x",
    b"2024-02-30",
    b"nej",
    b"false",
    b"0",
    b"Skyddad identitet",
    b"20080812-2394",
    b"=cmd()",
]
_HOSTILE_CELLS = [
    "",
    " ",
    '"',
    'a"b',
    "2024-06-1299",
    "2024-06-12 x",
    "2024-13-45",
    "20240612x",
    "99999",
    "nej",
    "false",
    "0",
    "ja",
    "Skyddad identitet",
    "Sekretess",
    "9" * 5000,
    "x" * 200_000,
    "\x00",
    "\ufeff",
    "\x1b[2J",
    "=1+1",
    "0000",
    "20080812-2395",
    "2,00808E+11",
]
_HOSTILE_JSON: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2.5,
    10**40,
    "",
    "nej",
    "false",
    "0",
    "true",
    "2024-06-1299",
    "2024-06-12 x",
    "2024-06-12T25:00",
    [],
    [None],
    {},
    {"": None},
    "x" * 200_000,
    "Skyddad identitet",
    "20080812-2395",
    "\x00",
    1e308,
]


def _line_split(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [data]


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    return bytes(buffer)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(_TOKENS) + data[at:]


def _delete(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 40) :]


def _duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _line_split(data)
    at = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[at] * rng.choice((1, 1, 2, 50)))
    return b"".join(lines)


def _drop_line(rng: random.Random, data: bytes) -> bytes:
    lines = _line_split(data)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def _swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _line_split(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def _line_endings(rng: random.Random, data: bytes) -> bytes:
    ending = rng.choice((b"\r\n", b"\r", b"\n", b"\n\n", b"\r\r\n"))
    lines = [line.rstrip(b"\r\n") for line in _line_split(data)]
    return b"".join(line + (ending if rng.random() < 0.5 else b"\n") for line in lines)


def _bom(rng: random.Random, data: bytes) -> bytes:
    return rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf" * 2)) + data


def _cells(rng: random.Random, data: bytes) -> bytes:
    """Drop, add or replace a cell of one line (a short row, a long row, a hostile value)."""
    lines = _line_split(data)
    at = rng.randrange(len(lines))
    raw = lines[at]
    body = raw.rstrip(b"\r\n")
    end = raw[len(body) :]
    try:
        text = body.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = body.decode("cp1252", errors="replace"), "cp1252"
    sep = max((";", ",", "\t"), key=text.count)
    cells = text.split(sep)
    what = rng.randrange(4)
    i = rng.randrange(len(cells))
    if what == 0 and len(cells) > 1:
        del cells[i]
    elif what == 1:
        cells.insert(i, rng.choice(_HOSTILE_CELLS[:12]))
    else:
        cells[i] = rng.choice(_HOSTILE_CELLS)
    lines[at] = sep.join(cells).encode(encoding, errors="replace") + end
    return b"".join(lines)


def _json_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterable[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_paths(item, (*path, index))


def _json_value(rng: random.Random, value: Any) -> tuple[Any, bool]:
    """``value`` with one node replaced, deleted, or a key written twice (then ``True``)."""
    paths = list(_json_paths(value))
    path = rng.choice(paths)
    if not path:
        return rng.choice(_HOSTILE_JSON), False
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    what = rng.randrange(5)
    if what == 0 and isinstance(parent, dict):
        del parent[path[-1]]
    elif what == 1 and isinstance(parent, dict):
        return value, True
    elif what == 2:
        parent[path[-1]] = [parent[path[-1]]]  # a value where a list is not expected, or vice versa
    else:
        parent[path[-1]] = rng.choice(_HOSTILE_JSON)
    return value, False


def _duplicate_key(text: str, rng: random.Random) -> str:
    """``text`` with one ``"key": value`` pair written twice in its object."""
    pairs = list(re.finditer(r'"[A-Za-z_]+"\s*:\s*("[^"\\]*"|-?\d+|true|false|null)', text))
    if not pairs:
        return text
    pair = rng.choice(pairs)
    return text[: pair.end()] + ", " + pair.group(0) + text[pair.end() :]


def _json(rng: random.Random, data: bytes) -> bytes:
    """Replace a JSON value (of the document, or of one JSON Lines line) by a hostile one."""
    lines = _line_split(data)
    try:
        document = json.loads(data)
        whole = True
    except (ValueError, RecursionError):
        whole = False
    if whole:
        mutated, twice = _json_value(rng, document)
        text = json.dumps(mutated, indent=rng.choice((None, 1)), ensure_ascii=rng.random() < 0.5)
        return (_duplicate_key(text, rng) if twice else text).encode()
    at = rng.randrange(len(lines))
    try:
        value = json.loads(lines[at])
    except (ValueError, RecursionError):
        return _insert(rng, data)
    mutated, twice = _json_value(rng, value)
    text = json.dumps(mutated, ensure_ascii=rng.random() < 0.5)
    lines[at] = (_duplicate_key(text, rng) if twice else text).encode() + b"\n"
    return b"".join(lines)


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    a = _line_split(data)
    b = _line_split(other)
    i = rng.randrange(len(a) + 1)
    j = rng.randrange(len(b))
    return b"".join(a[:i] + b[j : j + rng.randint(1, 3)] + a[i:])


_TEXT_MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _flip,
    _truncate,
    _insert,
    _insert,
    _insert,
    _delete,
    _duplicate_line,
    _drop_line,
    _swap_lines,
    _line_endings,
    _bom,
    _cells,
    _cells,
    _cells,
]
_JSON_MUTATIONS = [*_TEXT_MUTATIONS, _json, _json, _json, _json, _json]


def _xlsx_mutation(rng: random.Random, data: bytes) -> bytes:
    """Mutate a workbook: its bytes, or the cells of a rebuilt one; or a decompression bomb."""
    if rng.random() < 0.02:
        return rng.choice(_bombs())
    if rng.random() < 0.4:
        return rng.choice((_flip, _truncate, _insert, _delete))(rng, data)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = [
        ["" if v is None else v for v in row] for row in book.active.iter_rows(values_only=True)
    ]
    for _ in range(rng.randint(1, 4)):
        if not rows:
            break
        row = rows[rng.randrange(len(rows))]
        what = rng.randrange(4)
        if what == 0 and row:
            row.pop(rng.randrange(len(row)))
        elif what == 1:
            row.insert(rng.randrange(len(row) + 1), rng.choice(_HOSTILE_CELLS[:12]))
        elif what == 2 and row:
            row[rng.randrange(len(row))] = rng.choice(
                [*_HOSTILE_CELLS[:16], 2.5, 45455, 10**20, True, dt.datetime(2024, 6, 12)]
            )
        else:
            rows.insert(rng.randrange(len(rows) + 1), list(row))
    return _xlsx([[_safe_cell(c) for c in row] for row in rows])


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(c for c in value if c >= " " or c == "\t")[:32_000]
    return value


def mutate(rng: random.Random, reader: str, pool: list[bytes]) -> bytes:
    """One input for ``reader`` made from its seeds (``pool``)."""
    roll = rng.random()
    if roll < 0.02:
        return b""
    if roll < 0.06:
        return rng.randbytes(rng.randrange(1, 600))
    data = rng.choice(pool)
    if reader.endswith("xlsx"):
        return _xlsx_mutation(rng, data)
    is_json = "json" in reader or reader.startswith("ss12000")
    if is_json and rng.random() < 0.5:  # keep the text JSON: the values are what is tried
        for _ in range(rng.randint(1, 3)):
            data = _json(rng, data)
        return data
    table = _JSON_MUTATIONS if is_json else _TEXT_MUTATIONS
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.08:
            data = _splice(rng, data, rng.choice(pool))
        else:
            data = rng.choice(table)(rng, data)
    return data


# --- running ------------------------------------------------------------------------------


def _address_space() -> int:
    """The bytes of address space this process has mapped already (0 where not known)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit_memory(megabytes: int) -> None:
    # The limit is on top of what the worker has mapped when it is forked: a parent that has
    # loaded a library with its own thread pool (polars reserves ~700 MiB of stacks) would
    # otherwise leave the reader too little room, and fail it in ways that are not its own.
    limit = _address_space() + megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker(conn: multiprocessing.connection.Connection, memory_mb: int) -> None:
    _limit_memory(memory_mb)
    workdir = Path(tempfile.mkdtemp(prefix="kaa-fuzz-worker-"))
    try:
        while True:
            try:
                job = conn.recv()
            except EOFError:
                return
            if job is None:
                return
            name, data = job
            reader = READERS[name]
            path = workdir / f"input{reader.suffix}"
            path.write_bytes(data)
            outcome: tuple[Any, ...]
            try:
                result = reader.read(path)
            except KaaError as exc:
                outcome = ("refused", str(exc), None)
            except Exception as exc:  # classifying every failure is the point
                tail = "".join(traceback.format_exception(exc)[-6:])
                outcome = ("crash", f"{type(exc).__name__}: {exc}"[:300], tail)
            else:
                outcome = ("read", result, None)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            conn.send((*outcome, peak))
    finally:
        for child in workdir.iterdir():
            child.unlink()
        workdir.rmdir()


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()

    def run(self, name: str, data: bytes, timeout: float) -> tuple[Any, ...] | None:
        self.conn.send((name, data))
        if not self.conn.poll(timeout):
            return None
        try:
            return tuple(self.conn.recv())
        except EOFError:  # the worker died (killed by the kernel, a segfault)
            return ("crash", f"the worker died (exit {self.process.exitcode})", "", 0)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


@dataclass
class Report:
    """The counts of a fuzzing run."""

    seconds: float = 0.0
    inputs: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    peak_kib: int = 0
    failures: list[str] = field(default_factory=list)
    saved: Path | None = None

    def count(self, outcome: str, reader: str | None = None) -> int:
        return sum(n for (r, o), n in self.outcomes.items() if o == outcome and reader in (None, r))

    @property
    def crashes(self) -> int:
        return self.count("crash")

    @property
    def hangs(self) -> int:
        return self.count("hang")

    @property
    def faults(self) -> int:
        return self.crashes + self.hangs + self.count("count fault") + self.count("leak")

    def table(self) -> str:
        kinds = ("accepted", "reported", "refused", "crash", "hang", "count fault", "leak")
        width = max(len(r) for r in [*self.inputs, "reader"])
        lines = [f"{'reader':<{width}}  {'inputs':>7}  " + "  ".join(f"{k:>11}" for k in kinds)]
        for reader in sorted(self.inputs):
            lines.append(
                f"{reader:<{width}}  {self.inputs[reader]:>7}  "
                + "  ".join(f"{self.count(k, reader):>11}" for k in kinds)
            )
        lines.append(
            f"{'total':<{width}}  {sum(self.inputs.values()):>7}  "
            + "  ".join(f"{self.count(k):>11}" for k in kinds)
        )
        lines.append(
            f"duration {self.seconds:.1f} s; peak memory of a worker {self.peak_kib / 1024:.0f} MiB"
        )
        if self.saved is not None and self.failures:
            lines.append(f"failing inputs saved in {self.saved}")
        return "\n".join(lines)


def _check(read: Read) -> str | None:
    if read.rows_accepted + read.rows_rejected != read.rows_read:
        return (
            f"rows_accepted {read.rows_accepted} + rows_rejected {read.rows_rejected} != "
            f"rows_read {read.rows_read}"
        )
    if read.records != read.yielded:
        return f"{read.records} records counted but {read.yielded} yielded"
    return None


def _leak(messages: Iterable[str]) -> str | None:
    for message in messages:
        if _NUMBER_SHAPED.search(message):
            return message[:300]
    return None


def fuzz(
    *,
    seconds: float,
    seed: int = 0,
    readers: Iterable[str] | None = None,
    max_inputs: int | None = None,
    timeout: float = 10.0,
    memory_mb: int = 2048,
    save: Path | None = None,
    out: Callable[[str], None] = print,
) -> Report:
    """Fuzz ``readers`` (all when ``None``) for ``seconds`` (or ``max_inputs`` inputs).

    Readers take turns, one input each. A crash, hang, count fault or leak is printed
    through ``out`` (the first of each kind per reader with its traceback) and its input
    saved under ``save`` (a new temporary directory if ``None``).
    """
    names = list(readers) if readers is not None else list(READERS)
    unknown = [n for n in names if n not in READERS]
    if unknown:
        raise SystemExit(f"unknown reader(s): {', '.join(unknown)}; see --list")
    rng = random.Random(seed)
    pools = seeds()
    report = Report()
    seen: set[tuple[str, str]] = set()
    worker = _Worker(memory_mb)
    start = time.monotonic()
    total = 0

    def record(name: str, outcome: str, data: bytes, detail: str, tail: str = "") -> None:
        report.outcomes[name, outcome] += 1
        if outcome not in ("crash", "hang", "count fault", "leak"):
            return
        digest = hashlib.sha256(data).hexdigest()[:16]
        if report.saved is None:
            report.saved = save or Path(tempfile.mkdtemp(prefix="kaa-fuzz-"))
            report.saved.mkdir(parents=True, exist_ok=True)
        target = report.saved / f"{name}-{outcome.replace(' ', '-')}-{digest}{READERS[name].suffix}"
        target.write_bytes(data)
        last = tail.strip().splitlines()[-1] if tail.strip() else detail[:60]
        signature = (name, f"{outcome}: {last}")
        report.failures.append(f"{name}: {outcome}: {detail} [{target.name}]")
        if signature not in seen:
            seen.add(signature)
            out(f"--- {outcome} in {name} (input sha256 {digest}, {len(data)} bytes, {target})")
            out(detail)
            if tail:
                out(tail.rstrip())

    try:
        while time.monotonic() - start < seconds and (max_inputs is None or total < max_inputs):
            name = names[total % len(names)]
            total += 1
            data = mutate(rng, name, pools[name])
            report.inputs[name] += 1
            result = worker.run(name, data, timeout)
            if result is None:
                worker.kill()
                record(name, "hang", data, f"no answer within {timeout:g} s")
                worker = _Worker(memory_mb)
                continue
            kind, value, tail, peak = result
            report.peak_kib = max(report.peak_kib, peak)
            if kind == "crash":
                record(name, "crash", data, value, tail or "")
                if "worker died" in value:
                    worker.kill()
                    worker = _Worker(memory_mb)
                continue
            if kind == "refused":
                leaked = _leak([value])
                if leaked:
                    record(name, "leak", data, leaked)
                else:
                    record(name, "refused", data, "")
                continue
            read: Read = value
            fault = _check(read)
            if fault is not None:
                record(name, "count fault", data, fault)
                continue
            leaked = _leak([*read.problems, *read.notices])
            if leaked:
                record(name, "leak", data, leaked)
                continue
            record(
                name, "reported" if read.rows_rejected or read.problems else "accepted", data, ""
            )
    finally:
        worker.stop()
        report.seconds = time.monotonic() - start
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--reader", action="append", choices=sorted(READERS), help="only this reader (repeat)"
    )
    parser.add_argument("--max-inputs", type=int, help="stop after this many inputs")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds an input may take (default 10)"
    )
    parser.add_argument(
        "--memory-mb", type=int, default=2048, help="address-space limit of a worker (2048)"
    )
    parser.add_argument("--save", type=Path, help="where failing inputs go (a temp dir)")
    parser.add_argument("--list", action="store_true", help="list the readers")
    args = parser.parse_args(argv)
    if args.list:
        for reader in READERS.values():
            print(f"{reader.name} ({reader.suffix})")
        return 0
    report = fuzz(
        seconds=args.seconds,
        seed=args.seed,
        readers=args.reader,
        max_inputs=args.max_inputs,
        timeout=args.timeout,
        memory_mb=args.memory_mb,
        save=args.save,
    )
    print(report.table())
    return 1 if report.faults else 0


if __name__ == "__main__":
    sys.exit(main())
