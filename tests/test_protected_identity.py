"""No path keeps an address for a youth with protected identity (issue 11).

One youth has protected identity, and an address is on record for them everywhere it could
be: in the register export (written as a careless export would: the heading in capitals with
an underscore, the statutory term with a decomposed ``ö``), in an SS12000 file (a
``securityMarking`` the standard does not have), in a workbook, and in the case file (from
before the protection, the youth not protected there). Every path is gone through — each
reader, the model, the merge of sources, the register ⇄ cases join, every writer and the
commands — and no output, store, message or record holds the street, the postal code or the
post town.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from exports import NUMBERS, csv_text
from kaa.adapters import SourceRecord, SourceSummary, combine, open_source
from kaa.adapters.base import Origin
from kaa.adapters.merge import join_cases
from kaa.cli import main
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.not_registered import write_not_registered
from kaa.formats.problems import ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Address, Case, ContactDetails, Registration
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.rules.target_group import assess
from kaa.worklist import build_worklist, write_worklist_csv, write_worklist_json

DAY = dt.date(2026, 11, 23)
A, B = NUMBERS[0], NUMBERS[1]
STREET, POSTAL_CODE, CITY = "Hemliga gatan 7", "699 99", "Hemlighetsby"
SECRET = ("Hemliga gatan", "699 99", "69999", "Hemlighetsby")
"""What must never come back: the street, the postal code (both ways) and the post town."""
OPEN_STREET = "Öppna gatan 1"
"""The address of the other youth, who is not protected (kept: the test is not vacuous)."""

IST_HEAD = [
    "Personnummer",
    "Förnamn",
    "Efternamn",
    "Adress",
    "Postnummer",
    "Postort",
    "Folkbokföringskommun",
    "SKYDDAD_IDENTITET",
    "Grundskola avslutad",
    "Registreringsdatum",
]
IST_ROWS = [
    [
        *(A, "Test", "Testsson", STREET, POSTAL_CODE, CITY, "1882"),
        *("Skyddad folkbokfo\u0308ring", "2024-06-12", "2026-09-01"),
    ],
    [
        *(B, "Testa", "Testsdotter", OPEN_STREET, "696 30", "Askersund", "1882"),
        *("Nej", "2024-06-12", ""),
    ],
]


def _ss12000_person(ident: str, marking: str, street: str) -> dict[str, object]:
    return {
        "id": f"uuid-{ident}",
        "givenName": "Test",
        "familyName": "Testsson",
        "civicNo": {"value": ident},
        "securityMarking": marking,
        "addresses": [
            {
                "type": "Folkbokföring",
                "streetAddress": street,
                "postalCode": POSTAL_CODE,
                "locality": CITY,
                "municipalityCode": "1882",
            },
            {"type": "Besöksadress", "streetAddress": street, "locality": CITY},
        ],
        "enrolments": [],
    }


def _case(youth: Youth, details: ContactDetails | None) -> Case:
    return Case(
        youth=youth,
        municipality="1882",
        registration=Registration(day=dt.date(2026, 9, 1)),
        contact_details=details,
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The protected youth's address in every input: IST CSV and workbook, SS12000, cases."""
    ist = tmp_path / "ist.csv"
    ist.write_text(csv_text([IST_HEAD, *IST_ROWS]), encoding="utf-8")
    ss12000 = tmp_path / "persons.json"
    ss12000.write_text(
        json.dumps(
            {
                "data": [
                    _ss12000_person(A, "Skyddad identitet", STREET),
                    _ss12000_person(B, "Ingen", OPEN_STREET),
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([h.replace("SKYDDAD_IDENTITET", "Skyddad\u00a0identitet") for h in IST_HEAD])
    for row in IST_ROWS:
        sheet.append(row)
    workbook = tmp_path / "ist.xlsx"
    book.save(workbook)
    # The case file was written before the protection: the youth is not protected there.
    before = Youth(id=IdentityNumber.parse(A), residences=(Residence(municipality="1882"),))
    address = Address(street=STREET, postal_code=POSTAL_CODE.replace(" ", ""), city=CITY)
    cases = tmp_path / "cases.jsonl"
    write_cases([_case(before, ContactDetails(name="Test Testsson", address=address))], cases)
    return {"ist": ist, "ss12000": ss12000, "workbook": workbook, "cases": cases}


def _assert_secret_kept(text: str, where: str) -> None:
    for word in SECRET:
        assert word not in text, f"{where} holds {word!r}"


def _records(source: str, path: Path) -> tuple[list[SourceRecord], SourceSummary]:
    summary = SourceSummary(file=str(path))
    return list(open_source(source, path, summary=summary, reference_day=DAY)), summary


def _every_text(record: SourceRecord) -> Iterator[str]:
    yield repr(record)
    for details in (record.contact_details, record.case and record.case.contact_details):
        if details is not None:
            yield json.dumps(attrs.asdict(details), default=str, ensure_ascii=False)


@pytest.mark.parametrize(
    ("source", "file"),
    [
        pytest.param("ist", "ist", id="the IST export drops the protected youth's address"),
        pytest.param("ist", "workbook", id="the IST workbook drops it too"),
        pytest.param("ss12000", "ss12000", id="the SS12000 file drops it, unknown marking"),
    ],
)
def test_every_register_reader_drops_the_address(
    files: dict[str, Path], source: str, file: str
) -> None:
    records, summary = _records(source, files[file])
    protected, other = records
    assert protected.youth.has_protected_identity
    assert not other.youth.has_protected_identity
    assert other.contact_details is not None
    assert other.contact_details.address is not None
    assert other.contact_details.address.street == OPEN_STREET
    for text in _every_text(protected):
        _assert_secret_kept(text, f"the {source} record")
    for message in [str(p) for p in summary.problems + summary.notices]:
        _assert_secret_kept(message, f"the {source} messages")
    assert any("address was not kept" in str(n) for n in summary.notices)


def test_merging_every_source_keeps_no_address(files: dict[str, Path]) -> None:
    cases, _ = _records("canonical-cases", files["cases"])
    (documented,) = cases
    assert documented.contact_details is not None
    assert documented.contact_details.address is not None  # the case file still has it
    streams = [
        cases,
        _records("ss12000", files["ss12000"])[0],
        _records("ist", files["ist"])[0],
        _records("ist", files["workbook"])[0],
    ]
    for order in (streams, streams[::-1]):
        merged = {r.youth.id.full(): r for r in combine(*order)}
        protected = merged[IdentityNumber.parse(A).full()]
        assert protected.youth.has_protected_identity
        for text in _every_text(protected):
            _assert_secret_kept(text, "the merged record")


def test_the_join_and_every_writer_keep_no_address(files: dict[str, Path], tmp_path: Path) -> None:
    register, _ = _records("ist", files["ist"])
    youths = {r.youth.id: r.youth for r in register}
    summary = ReadSummary(file=str(files["cases"]))
    joined = join_cases(
        youths,
        {r.youth.id: r.case for r in register if r.case is not None},
        read_cases(files["cases"], summary=summary, reference_day=DAY),
        summary=summary,
        on=DAY,
    )
    case = joined[IdentityNumber.parse(A)]
    assert case.youth.has_protected_identity
    assert case.contact_details is not None
    assert case.contact_details.name == "Test Testsson"
    assert case.contact_details.address is None
    (problem,) = summary.problems
    assert "the address in the case file was not kept" in problem.message
    _assert_secret_kept(str(problem), "the join's problem")

    stored = tmp_path / "joined.jsonl"
    write_cases(joined.values(), stored)
    _assert_secret_kept(stored.read_text(encoding="utf-8"), "write_cases")
    assert list(read_cases(stored, reference_day=DAY)) == list(joined.values())

    worklist = build_worklist(joined.values(), on=DAY)
    for write in (write_worklist_csv, write_worklist_json):
        out = io.StringIO()
        write(worklist, out, reveal_ids=True)
        _assert_secret_kept(out.getvalue(), write.__name__)
    out = io.StringIO()
    decisions = [assess(y, on=DAY, municipality="1882") for y in youths.values()]
    write_not_registered([(d, DAY) for d in decisions if d.in_target_group], out)
    _assert_secret_kept(out.getvalue(), "write_not_registered")


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            lambda youth, details: _case(youth, details),
            id="a case of a protected youth cannot be made with an address",
        ),
        pytest.param(
            lambda youth, details: SourceRecord(
                youth=youth, origin=Origin(source="x", file="x", lines=()), contact_details=details
            ),
            id="a source record of a protected youth cannot be made with an address",
        ),
        pytest.param(
            lambda youth, details: attrs.evolve(
                _case(attrs.evolve(youth, residences=(Residence(municipality="1882"),)), details),
                youth=youth,
            ),
            id="a case with an address cannot be made protected without dropping it",
        ),
    ],
)
def test_the_api_refuses_an_address_for_a_protected_youth(build: object) -> None:
    youth = Youth(
        id=IdentityNumber.parse(A),
        residences=(Residence(municipality="1882", basis=HomeBasis.PROTECTED),),
    )
    details = ContactDetails(address=Address(street=STREET, postal_code="69999", city=CITY))
    with pytest.raises(InvalidInput) as caught:
        build(youth, details)  # type: ignore[operator]
    assert "protected identity" in caught.value.message
    _assert_secret_kept(str(caught.value), "the error")


def _outputs(directory: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes().decode("utf-8", errors="replace")


def test_the_commands_keep_no_address(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    runs = [
        [
            *("year", str(files["ist"]), "--source", "ist", "--cases", str(files["cases"])),
            *("--municipality", "1882", "--on", DAY.isoformat(), "--out", str(out)),
        ],
        ["assess", str(files["ist"]), "--source", "ist", "--on", DAY.isoformat()],
        ["assess", str(files["ss12000"]), "--source", "ss12000", "--on", DAY.isoformat()],
        ["worklist", str(files["cases"]), "--on", DAY.isoformat(), "--format", "json"],
        ["worklist", str(files["ist"]), "--source", "ist", "--on", DAY.isoformat()],
    ]
    for argv in runs:
        main(argv)
        captured = capsys.readouterr()
        _assert_secret_kept(captured.out + captured.err, f"kaa {argv[0]}")
    written = list(_outputs(out))
    assert written, "kaa year wrote nothing"
    for path, text in written:
        _assert_secret_kept(text, str(path))
