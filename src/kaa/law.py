"""Citations of statutes, so that every rule says where it comes from.

A :class:`Citation` renders the way a Swedish lawyer writes a reference::

    >>> from kaa.law import SKOLLAGEN
    >>> str(SKOLLAGEN.at(chapter=29, section="9"))
    '29 kap. 9 § skollagen (2010:800)'

Preparatory works (*propositioner*) and amending acts are kept as plain references on the
dated rule versions that they explain (see :mod:`kaa.dated`).
"""

from __future__ import annotations

import attrs

__all__ = [
    "FORORDNING_2006_39",
    "SKOLLAGEN",
    "Citation",
    "DocumentReference",
]


def _rkrattsbaser_url(sfs: str) -> str:
    return f"https://rkrattsbaser.gov.se/sfst?bet={sfs}"


@attrs.frozen(kw_only=True, cache_hash=True)
class Citation:
    """A reference to a Swedish statute (*författning*), optionally to a chapter and section.

    Attributes:
        sfs: The SFS number of the statute, for example ``"2010:800"``.
        title: The short title as it is cited, for example ``"skollagen"``.
        chapter: The chapter (*kapitel*), for statutes divided into chapters.
        section: The section (*paragraf*), as a string so that ``"9 a"`` works.
        paragraph: The paragraph (*stycke*) within the section, if the rule is that narrow.
        wording: The amending act whose wording applies (*i lydelse enligt*), e.g.
            ``"SFS 2018:749"``; shown by :meth:`long`, not by ``str()``.
        url: Where the consolidated text can be read.
    """

    sfs: str
    title: str
    chapter: int | None = None
    section: str | None = None
    paragraph: int | None = None
    wording: str | None = None
    url: str | None = None

    def at(
        self,
        *,
        chapter: int | None = None,
        section: str | None = None,
        paragraph: int | None = None,
        wording: str | None = None,
    ) -> Citation:
        """Return a citation of a chapter/section of this statute.

        Args:
            chapter: The chapter, if the statute has chapters.
            section: The section.
            paragraph: The paragraph (*stycke*) within the section.
            wording: The amending act whose wording is meant.

        Returns:
            A new citation of the same statute, narrowed to the given place.
        """
        return attrs.evolve(
            self, chapter=chapter, section=section, paragraph=paragraph, wording=wording
        )

    def __str__(self) -> str:
        parts: list[str] = []
        if self.chapter is not None:
            parts.append(f"{self.chapter} kap.")
        if self.section is not None:
            parts.append(f"{self.section} §")
        if self.paragraph is not None:
            parts.append(f"{self.paragraph} st.")
        parts.append(f"{self.title} ({self.sfs})")
        return " ".join(parts)

    def long(self) -> str:
        """The citation with the applicable wording, e.g. ``… (2010:800), i lydelse enligt SFS
        2018:749``."""
        text = str(self)
        return f"{text}, i lydelse enligt {self.wording}" if self.wording else text


@attrs.frozen(kw_only=True)
class DocumentReference:
    """A reference to a document that is not a statute: a bill, a municipal plan, guidance.

    Attributes:
        title: The document's title, e.g. ``"Handlingsplan för kommunens aktivitetsansvar"``.
        issuer: Who issued it, e.g. ``"Askersunds kommun"`` or ``"Regeringen"``.
        identifier: An official identifier, e.g. ``"prop. 2013/14:191"``.
        section: A section or page within the document.
        url: Where it can be read.
    """

    title: str
    issuer: str | None = None
    identifier: str | None = None
    section: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        head = self.identifier or self.title
        parts = [head]
        if self.identifier and self.title:
            parts = [f"{self.identifier} {self.title}"]
        if self.issuer:
            parts.append(f"({self.issuer})")
        if self.section:
            parts.append(f", {self.section}")
        return " ".join(parts).replace(" ,", ",")


SKOLLAGEN = Citation(sfs="2010:800", title="skollagen", url=_rkrattsbaser_url("2010:800"))
"""Skollagen (2010:800), the Education Act."""

FORORDNING_2006_39 = Citation(
    sfs="2006:39",
    title=(
        "förordningen om register och dokumentation vid fullgörandet av kommunernas "
        "aktivitetsansvar för ungdomar"
    ),
    url=_rkrattsbaser_url("2006:39"),
)
"""Förordning (2006:39): what the KAA register may hold and how measures are documented."""
