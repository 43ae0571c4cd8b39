"""A privacy guard for free text: flag words that suggest sensitive personal data.

Förordning (2006:39) 5 § forbids sensitive personal data (*känsliga personuppgifter*: health,
ethnic origin, religion …) in the KAA register. Free-text fields — a plan's goal and
planning, a measure's purpose, reasons and results — are where it slips in. :func:`check_text`
and :func:`check_case` flag likely sensitive terms so that a case worker can rephrase. They
**warn; they never block** and never change the text.

The word list is data: ``kaa/data/sensitive_terms_sv.txt`` (documented in the file), always
included through the built-in plugin; a municipality adds its own terms with the collect-all
hook :func:`kaa.plugins.spec.kaa_sensitive_terms` or a file read by :func:`load_terms`.

    >>> warnings = check_text("Ungdomen har en ADHD-diagnos.", field="goal")
    >>> [(w.term, w.category.value) for w in warnings]
    [('adhd', 'health'), ('diagnos*', 'health')]
    >>> print(warnings[0])
    goal: "ADHD" (characters 17–20) may be sensitive personal data (hälsa); rephrase ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import attrs

from kaa.errors import ConfigurationError
from kaa.law import FORORDNING_2006_39, Citation
from kaa.model.case import Case
from kaa.model.youth import Labelled
from kaa.plugins import hookimpl

__all__ = [
    "CITATION",
    "SensitiveCategory",
    "SensitiveTerm",
    "TermChecker",
    "TextWarning",
    "builtin_terms",
    "check_case",
    "check_cases",
    "check_text",
    "kaa_sensitive_terms",
    "load_terms",
    "parse_terms",
]

CITATION: Citation = FORORDNING_2006_39.at(section="5")
"""5 § förordning (2006:39): no sensitive personal data in the register."""


class SensitiveCategory(Labelled):
    """The kind of sensitive personal data a term suggests."""

    HEALTH = ("health", "hälsa")
    ETHNIC_ORIGIN = ("ethnic_origin", "etniskt ursprung")
    RELIGION = ("religion", "religiös eller filosofisk övertygelse")
    POLITICAL_OPINION = ("political_opinion", "politiska åsikter")
    TRADE_UNION = ("trade_union", "medlemskap i fackförening")
    SEX_LIFE = ("sex_life", "sexualliv eller sexuell läggning")
    GENETIC_BIOMETRIC = ("genetic_biometric", "genetiska eller biometriska uppgifter")
    OFFENCE = ("offence", "lagöverträdelser")


@attrs.frozen(kw_only=True)
class SensitiveTerm:
    """A word to flag.

    Attributes:
        term: The word, lower case; ending in ``*`` it also matches longer words that start
            with it.
        category: What kind of sensitive data it suggests.
        source: Where the term comes from (a file, or a municipality's plugin).
    """

    term: str
    category: SensitiveCategory
    source: str = "kaa"

    def body(self) -> str:
        """The regular expression of the word itself, without the word boundaries."""
        stem = self.term.removesuffix("*")
        return re.escape(stem) + (r"\w*" if self.term.endswith("*") else "")

    def pattern(self) -> str:
        """The regular expression (without flags) that matches the term in text."""
        return rf"(?<!\w){self.body()}(?!\w)"


@attrs.frozen(kw_only=True)
class TextWarning:
    """A likely sensitive term in a free-text field.

    Attributes:
        field: Which field (e.g. ``"plan.revisions[0].goal"``).
        term: The list entry that matched.
        category: What kind of sensitive data it suggests.
        start: Where the match starts in the text (0-based character offset).
        end: Where it ends (exclusive).
        matched: The matched word as written.
    """

    field: str
    term: str
    category: SensitiveCategory
    start: int
    end: int
    matched: str

    @property
    def citation(self) -> Citation:
        """5 § förordning (2006:39)."""
        return CITATION

    def __str__(self) -> str:
        return (
            f'{self.field}: "{self.matched}" (characters {self.start + 1}–{self.end}) may be '
            f"sensitive personal data ({self.category.label_sv}); rephrase without it "
            f"({self.citation})"
        )


def parse_terms(text: str, *, source: str) -> tuple[SensitiveTerm, ...]:
    """Parse a term list: ``category<TAB>term`` per line, ``#`` comments.

    Raises:
        ConfigurationError: Naming the source and the line that is wrong.
    """
    terms: list[SensitiveTerm] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split("\t")
        if len(parts) != 2 or not parts[1].strip():
            raise ConfigurationError("write 'category<TAB>term'", file=source, key=f"line {number}")
        category = next((c for c in SensitiveCategory if c.value == parts[0].strip()), None)
        if category is None:
            allowed = ", ".join(c.value for c in SensitiveCategory)
            raise ConfigurationError(
                f"{parts[0]!r} is not one of: {allowed}", file=source, key=f"line {number}"
            )
        term = parts[1].strip().lower()
        if len(term.removesuffix("*")) < 2:
            raise ConfigurationError(
                "a term needs at least two letters", file=source, key=f"line {number}"
            )
        terms.append(SensitiveTerm(term=term, category=category, source=source))
    return tuple(terms)


def load_terms(path: Path) -> tuple[SensitiveTerm, ...]:
    """Read a municipality's extra terms from a file in the format of :func:`parse_terms`.

    Raises:
        ConfigurationError: If the file cannot be read or a line is wrong.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the term list: {exc}", file=str(path)) from None
    return parse_terms(text, source=str(path))


@cache
def builtin_terms() -> tuple[SensitiveTerm, ...]:
    """The shipped Swedish word list (``kaa/data/sensitive_terms_sv.txt``)."""
    text = resources.files("kaa.data").joinpath("sensitive_terms_sv.txt").read_text("utf-8")
    return parse_terms(text, source="kaa/data/sensitive_terms_sv.txt")


@hookimpl(trylast=True)
def kaa_sensitive_terms(municipality: str) -> Iterable[SensitiveTerm]:
    """The built-in Swedish word list, for every municipality."""
    return builtin_terms()


class TermChecker:
    """Finds the terms of a list in text; build it once and reuse it for many texts.

    Args:
        terms: The terms to look for.
    """

    __slots__ = ("_combined", "_single", "terms")

    def __init__(self, terms: Iterable[SensitiveTerm]) -> None:
        self.terms = tuple(terms)
        ordered = sorted(self.terms, key=lambda t: -len(t.term))  # longest stems first
        body = "|".join(t.body() for t in ordered) or "(?!)"
        self._combined = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
        self._single = tuple((t, re.compile(t.pattern(), re.IGNORECASE)) for t in self.terms)

    def check(self, text: str | None, *, field: str) -> tuple[TextWarning, ...]:
        """Flag the terms in ``text`` (see :func:`check_text`)."""
        if not text:
            return ()
        found: list[TextWarning] = []
        for match in self._combined.finditer(text):
            word = match.group(0)
            found.extend(
                TextWarning(
                    field=field,
                    term=term.term,
                    category=term.category,
                    start=match.start(),
                    end=match.end(),
                    matched=word,
                )
                for term, regex in self._single
                if regex.fullmatch(word)
            )
        return tuple(sorted(found, key=lambda w: (w.start, w.term)))


@cache
def _builtin_checker() -> TermChecker:
    return TermChecker(builtin_terms())


def check_text(
    text: str | None, *, field: str, terms: Iterable[SensitiveTerm] | None = None
) -> tuple[TextWarning, ...]:
    """Flag likely sensitive terms in one free-text value.

    Args:
        text: The text (``None`` or empty: nothing to flag).
        field: The field's name, used in the warnings.
        terms: The terms to look for; the built-in list when ``None``. To check many texts
            against the same custom list, build a :class:`TermChecker` once instead.

    Returns:
        One warning per match, in the order they appear in the text.
    """
    checker = _builtin_checker() if terms is None else TermChecker(terms)
    return checker.check(text, field=field)


def _case_texts(case: Case) -> Iterator[tuple[str, str | None]]:
    for measure in case.measures:
        yield f"measures[{measure.id}].decline_reason", measure.decline_reason
    if case.plan is None:
        return
    for r, revision in enumerate(case.plan.revisions):
        head = f"plan.revisions[{r}]"
        yield f"{head}.goal", revision.goal
        yield f"{head}.planning", revision.planning
        yield f"{head}.reason", revision.reason
        for planned in revision.measures:
            at = f"{head}.measures[{planned.measure_id}]"
            yield f"{at}.purpose", planned.purpose
            yield f"{at}.end_explanation", planned.end_explanation
            yield f"{at}.result", planned.result
            for i, resp in enumerate(planned.responsibilities):
                yield f"{at}.responsibilities[{i}].task", resp.task


TermsFor = Callable[[str], Iterable[SensitiveTerm]]
"""The sensitive terms of a municipality, by kommunkod (see
:meth:`kaa.plugins.manager.Hooks.sensitive_terms`)."""


def national_terms(municipality: str) -> tuple[SensitiveTerm, ...]:
    """The built-in Swedish word list, for every municipality."""
    return builtin_terms()


def check_case(
    case: Case, *, terms: TermsFor = national_terms, checker: TermChecker | None = None
) -> tuple[TextWarning, ...]:
    """Flag likely sensitive terms in every free-text field of a case.

    Checks decline reasons and, in every plan revision, the goal, planning, reason for
    revising, and each measure's purpose, tasks, explanation of ending and result. The terms
    are the municipality's, from ``terms``.

    Args:
        case: The case.
        terms: The sensitive terms by kommunkod; the built-in list when not given (pass
            :meth:`kaa.plugins.manager.Hooks.sensitive_terms` for the installed plugins').
        checker: A checker built from the municipality's terms, to reuse over many cases
            (see :func:`check_cases`); built from ``terms`` when ``None``.

    Returns:
        Every warning, field by field.
    """
    if checker is None:
        checker = TermChecker(terms(case.municipality))
    return tuple(w for field, text in _case_texts(case) for w in checker.check(text, field=field))


def check_cases(
    cases: Iterable[Case], *, terms: TermsFor = national_terms
) -> Iterator[tuple[Case, tuple[TextWarning, ...]]]:
    """Check many cases, building each municipality's checker once.

    Args:
        cases: The cases.
        terms: The sensitive terms by kommunkod; see :func:`check_case`.

    Yields:
        Each case with a warning, and its warnings (cases without any are skipped).
    """
    checkers: dict[str, TermChecker] = {}
    for case in cases:
        checker = checkers.get(case.municipality)
        if checker is None:
            checker = checkers[case.municipality] = TermChecker(terms(case.municipality))
        warnings = check_case(case, checker=checker)
        if warnings:
            yield case, warnings
