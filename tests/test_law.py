"""Citations of statutes and references to other documents (:mod:`kaa.law`)."""

from __future__ import annotations

import pytest

from kaa.law import FORORDNING_2006_39, SKOLLAGEN, Citation, DocumentReference


@pytest.mark.parametrize(
    ("citation", "text"),
    [
        pytest.param(
            SKOLLAGEN.at(chapter=29, section="9"),
            "29 kap. 9 § skollagen (2010:800)",
            id="a chapter and section of skollagen reads like a lawyer writes it",
        ),
        pytest.param(
            SKOLLAGEN.at(chapter=15, section="15"),
            "15 kap. 15 § skollagen (2010:800)",
            id="the absence-notice section is cited the same way",
        ),
        pytest.param(
            SKOLLAGEN.at(chapter=29, section="9", paragraph=2),
            "29 kap. 9 § 2 st. skollagen (2010:800)",
            id="a paragraph is cited as st.",
        ),
        pytest.param(
            FORORDNING_2006_39.at(section="4"),
            "4 § förordningen om register och dokumentation vid fullgörandet av "
            "kommunernas aktivitetsansvar för ungdomar (2006:39)",
            id="a section of the register ordinance has no chapter",
        ),
        pytest.param(
            Citation(sfs="2010:800", title="skollagen"),
            "skollagen (2010:800)",
            id="a whole statute is cited by title and SFS number",
        ),
    ],
)
def test_citation_text(citation: Citation, text: str) -> None:
    assert str(citation) == text


def test_citation_long_form_names_the_amending_act() -> None:
    c = SKOLLAGEN.at(chapter=29, section="9", wording="SFS 2018:749")
    assert c.long() == "29 kap. 9 § skollagen (2010:800), i lydelse enligt SFS 2018:749"
    assert str(c) == "29 kap. 9 § skollagen (2010:800)"


def test_document_reference_text() -> None:
    ref = DocumentReference(title="Handlingsplan KAA", issuer="Askersunds kommun", section="Steg 1")
    assert str(ref) == "Handlingsplan KAA (Askersunds kommun), Steg 1"
    assert str(DocumentReference(title="x", identifier="prop. 2013/14:191")) == (
        "prop. 2013/14:191 x"
    )


@pytest.mark.parametrize(
    ("reference", "text"),
    [
        pytest.param(
            DocumentReference(title="Handlingsplan KAA"),
            "Handlingsplan KAA",
            id="a document with only a title is cited by its title",
        ),
        pytest.param(
            DocumentReference(title="Handlingsplan KAA", issuer="Askersunds kommun"),
            "Handlingsplan KAA (Askersunds kommun)",
            id="the issuer follows in parentheses",
        ),
        pytest.param(
            DocumentReference(title="Handlingsplan KAA", section="Steg 2"),
            "Handlingsplan KAA, Steg 2",
            id="a section follows after a comma",
        ),
        pytest.param(
            DocumentReference(title="x", identifier="prop. 2013/14:191", section="avsnitt 1"),
            "prop. 2013/14:191 x, avsnitt 1",
            id="an official identifier comes first",
        ),
    ],
)
def test_a_document_reference_reads_like_a_reference(
    reference: DocumentReference, text: str
) -> None:
    assert str(reference) == text


def test_narrowing_a_citation_keeps_the_statute_and_its_link() -> None:
    narrowed = SKOLLAGEN.at(chapter=29, section="9 a", paragraph=1)
    assert (narrowed.sfs, narrowed.title, narrowed.url) == (
        SKOLLAGEN.sfs,
        SKOLLAGEN.title,
        SKOLLAGEN.url,
    )
    assert str(narrowed) == "29 kap. 9 a § 1 st. skollagen (2010:800)"
    assert str(SKOLLAGEN) == "skollagen (2010:800)"


def test_narrowing_again_replaces_the_place_instead_of_adding_to_it() -> None:
    first = SKOLLAGEN.at(chapter=29, section="9", wording="SFS 2018:749")
    assert first.at(chapter=15, section="15") == SKOLLAGEN.at(chapter=15, section="15")


@pytest.mark.parametrize(
    ("citation", "sfs"),
    [
        pytest.param(SKOLLAGEN, "2010:800", id="skollagen links to its consolidated text"),
        pytest.param(
            FORORDNING_2006_39,
            "2006:39",
            id="the register ordinance links to its consolidated text",
        ),
    ],
)
def test_the_shipped_statutes_link_to_their_consolidated_text(citation: Citation, sfs: str) -> None:
    assert citation.sfs == sfs
    assert citation.url == f"https://rkrattsbaser.gov.se/sfst?bet={sfs}"


def test_a_citation_is_a_hashable_value() -> None:
    assert SKOLLAGEN.at(chapter=29, section="9") == SKOLLAGEN.at(chapter=29, section="9")
    assert len({SKOLLAGEN.at(chapter=29, section="9"), SKOLLAGEN.at(chapter=29, section="9")}) == 1
