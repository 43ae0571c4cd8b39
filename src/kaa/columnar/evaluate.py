"""The target-group rule T1–T6 over columns, with the reference's own reasons.

Each condition of :func:`kaa.rules.target_group.assess` depends on a few of a youth's facts
only: T1 on the birth date (the number's date part and a ``birth_date`` row), T2 on the
compulsory-school and arrival rows (and, for a youth who arrived, the birth year and the
residences), T3 on the enrolments that cover the day, T4 and T5 on the qualifications held
on the day, T6 on the residence that holds on the day. So the columns give every youth one
**key per condition**, and each distinct key is decided once — by the reference
:func:`~kaa.rules.target_group.assess` itself, on a youth that has exactly those facts — and
the reason it gives (explanation, citation, "settled") is joined back to every youth with
that key. The decision rows are then put together over the columns in the form of
:mod:`kaa.formats.decisions`, byte for byte.

The open questions of T3 are answered from a table of rulings per school form and programme
(:func:`kaa.plugins.spec.kaa_equivalence_rulings`), the same for every youth; a plugin that
answers youth by youth cannot be used here (``kaa assess`` then takes the reference path).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping

from kaa.columnar.canonical import ARRIVALS, BASES, FORMS, PROGRAMMES, QUALIFICATIONS
from kaa.columnar.identity import canonical_of_key, centenarian_separator
from kaa.errors import PluginError
from kaa.formats.cells import spreadsheet_cell
from kaa.formats.decisions import decision_record
from kaa.identity import IdentityNumber
from kaa.model.youth import (
    Enrolment,
    Programme,
    Qualification,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.rules.target_group import TIMELINE, Decision, EquivalenceRuling, Reason, assess

try:
    import polars as pl
except ImportError:  # pragma: no cover - the extra kaa[fast] is not installed
    pl = None  # type: ignore[assignment]

__all__ = ["Evaluator", "Rulings", "csv_cell"]

Rulings = Mapping[tuple[SchoolForm, Programme], EquivalenceRuling]
"""The answers to the open questions of T3, per school form and programme."""

_NONE = pl.lit(None, dtype=pl.String) if pl is not None else None


def csv_cell(value: str) -> str:
    """``value`` as :func:`kaa.formats.cells.spreadsheet_writer` writes it in a row (quoted
    where the ``csv`` module quotes it, a formula start escaped)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([spreadsheet_cell(value), ""])
    return buffer.getvalue()[:-2]


def _day(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text)


class Evaluator:
    """Decides the target group for frames of youths, remembering every key it has decided.

    Args:
        on: The day of the decisions.
        municipality: The municipality asking (see :func:`~kaa.rules.target_group.assess`).
        rulings: The answers to the open questions of T3.
        reveal_ids: Write whole identity numbers (the reference writers' ``reveal_ids``).
        json_output: Render JSON objects (as :func:`kaa.formats.decisions.decision_record`
            and ``json.dumps``) instead of CSV rows.

    Raises:
        RuleNotInForce: If ``on`` is before the rule came into force.
    """

    def __init__(
        self,
        *,
        on: dt.date,
        municipality: str | None,
        rulings: Rulings,
        reveal_ids: bool = False,
        json_output: bool = False,
    ) -> None:
        self.on = on
        self.municipality = municipality
        self.rulings = rulings
        self.reveal_ids = reveal_ids
        self.json_output = json_output
        self.version = TIMELINE.at(on)
        self._reasons: list[Reason] = []
        self._index: dict[Reason, int] = {}
        self._texts: list[str] = []
        self._bare: list[bool] = []
        self._fragments: list[str] = []
        self._memo: list[dict[str, int]] = [{} for _ in range(5)]
        self._ages_out: dict[str, str] = {}
        self._home: dict[str, str | None] = {}
        self._cells: dict[str, str] = {}

    # -- the reference, once per key ---------------------------------------------------------

    def _equivalence(self, youth: Youth, enrolment: Enrolment, day: dt.date) -> EquivalenceRuling:
        try:
            return self.rulings[(enrolment.school_form, enrolment.programme)]
        except KeyError:
            raise PluginError(
                "no plugin decided whether an enrolment counts as equivalent education "
                f"({enrolment.school_form.value}, {enrolment.programme.value}); is the "
                "built-in plugin blocked?"
            ) from None

    def _decide(self, youth: Youth) -> Decision:
        return assess(
            youth, on=self.on, municipality=self.municipality, equivalence=self._equivalence
        )

    def _reason(self, decision: Decision, i: int) -> int:
        reason = decision.reasons[i]
        found = self._index.get(reason)
        if found is None:
            found = self._index[reason] = len(self._reasons)
            self._reasons.append(reason)
            if self.json_output:
                record = decision_record(decision)["reasons"][i]
                self._fragments.append(json.dumps(record, ensure_ascii=False))
            else:
                text = f"{reason.condition.code}: {reason.explanation} [{reason.citation}]"
                self._texts.append(text)
                # a text the csv module writes as it is, in any place of the reasons' cell
                self._bare.append(csv_cell(text) == text and text.strip() == text)
        return found

    def _new_keys(self, frame: pl.DataFrame, slot: int, column: str) -> None:
        memo = self._memo[slot]
        fresh = frame.filter(~pl.col(column).is_in(list(memo))) if memo else frame
        if fresh.height == 0:
            return
        for row in fresh.unique(column, keep="first", maintain_order=True).iter_rows(named=True):
            key = row[column]
            ident = IdentityNumber(row["canonical"])
            born = _day(row["birth"])
            if slot == 0:
                decision = self._decide(Youth(id=ident, birth_date=born))
                memo[key] = self._reason(decision, 0)
                self._ages_out[key] = decision.ages_out.isoformat()
            elif slot == 1:
                arrival = row["arrival"]
                youth = Youth(
                    id=ident,
                    birth_date=born,
                    compulsory_school_completed=_day(row["compulsory"]),
                    folkbokford_in_sweden=_day(arrival.split("/")[0]) if arrival else None,
                    arrived_after_compulsory_school_age=(
                        ARRIVALS[arrival.split("/")[1]] if arrival else None
                    ),
                    residences=_residences(row["residences"]) if arrival else (),
                )
                memo[key] = self._reason(self._decide(youth), 1)
            elif slot == 2:
                enrolments = tuple(
                    Enrolment(
                        school_form=FORMS[form],
                        programme=PROGRAMMES[programme],
                        start=dt.date.fromisoformat(start),
                    )
                    for form, programme, start in (t.split("/") for t in _items(key))
                )
                memo[key] = self._reason(self._decide(Youth(id=ident, enrolments=enrolments)), 2)
            elif slot == 3:
                held = tuple(
                    Qualification(kind=QUALIFICATIONS[kind], issued=dt.date.fromisoformat(day))
                    for kind, day in (t.split("/") for t in _items(key))
                )
                decision = self._decide(Youth(id=ident, qualifications=held))
                memo[key] = self._reason(decision, 3) << 32 | self._reason(decision, 4)
            else:
                residences: tuple[Residence, ...] = ()
                if key:
                    basis, code = key.split("/")
                    residences = (Residence(municipality=code, basis=BASES[basis]),)
                decision = self._decide(Youth(id=ident, residences=residences))
                memo[key] = self._reason(decision, 5)
                self._home[key] = decision.home_municipality

    # -- the columns -------------------------------------------------------------------------

    def decide(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Decide every youth of ``rows`` (the frame of
        :func:`kaa.columnar.canonical.rows_frame`, or of the profile reader): the rows of one
        kind (``record``) are in file order; the kinds may follow each other.

        Returns:
            One row per youth, in file order: ``first`` (its first line), ``text`` (the
            rendered CSV row without its line end, or the JSON object) and ``outcome``
            (``in``, ``out`` or ``undecided``).
        """
        if rows.height == 0:
            return pl.DataFrame(schema={"first": pl.Int64, "text": pl.String, "outcome": pl.String})
        day = self.on
        record = pl.col("record")
        start = pl.col("start")
        end = pl.col("end")
        covers = (end.is_null() | (end >= day)) & (start.is_null() | (start <= day))
        basis = pl.when(pl.col("kind") == "").then(pl.lit("folkbokford")).otherwise("kind")
        programme = pl.when(pl.col("programme") == "").then(pl.lit("none")).otherwise("programme")
        tokens = rows.lazy().with_columns(
            enrolment=pl.when((record == "enrolment") & covers)
            .then(pl.concat_str(["kind", programme, "start_text"], separator="/"))
            .otherwise(_NONE),
            qualification=pl.when((record == "qualification") & (start <= day))
            .then(pl.concat_str(["kind", "start_text"], separator="/"))
            .otherwise(_NONE),
            home=pl.when((record == "residence") & covers)
            .then(pl.concat_str([basis, "municipality"], separator="/"))
            .otherwise(_NONE),
            # the residence that holds on the day: the latest-starting, the later row on a
            # tie (days since 1970 in the high bits, the line in the low 40; no residence
            # that holds ranks below all)
            rank=pl.when((record == "residence") & covers)
            .then(start.fill_null(dt.date.min).dt.epoch("d") * 2**40 + pl.col("line"))
            .otherwise(pl.lit(-(2**63), dtype=pl.Int64)),
            compulsory=pl.when(record == "compulsory_school").then("start_text").otherwise(_NONE),
            birth=pl.when(record == "birth_date").then("start_text").otherwise(_NONE),
            arrival=pl.when(record == "arrival")
            .then(pl.concat_str(["start_text", "kind"], separator="/"))
            .otherwise(_NONE),
        )
        youths = (
            tokens.group_by("youth")  # in file order by the sort below
            .agg(
                pl.col("line").min().alias("first"),
                pl.col("key").first(),
                # lists joined after the grouping (a join inside it is several times slower)
                pl.col("enrolment").drop_nulls().alias("k2"),
                pl.col("qualification").drop_nulls().alias("k3"),
                pl.col("home").get(pl.col("rank").arg_max()).alias("k4"),
                pl.col("compulsory").drop_nulls().first(),
                pl.col("birth").drop_nulls().first(),
                pl.col("arrival").drop_nulls().first(),
            )
            .with_columns(
                pl.col("k2", "k3").list.join(";"),
                canonical=canonical_of_key(pl.col("key")),
            )
            .sort("first")
            .collect()
        )
        # every residence, for the few youths who arrived (T2 asks where they lived)
        arrived = youths.filter(pl.col("arrival").is_not_null()).select("youth")
        residences = (
            rows.lazy()
            .join(arrived.lazy(), on="youth", how="semi", maintain_order="left")
            .filter(record == "residence")
            .group_by("youth", maintain_order=True)
            .agg(
                pl.concat_str([basis, "municipality", "start_text", "end_text"], separator="/")
                .str.join(";")
                .alias("residences")
            )
            .collect()
        )
        youths = youths.join(
            residences, on="youth", how="left", maintain_order="left"
        ).with_columns(pl.col("residences").fill_null(""))
        birth_year = pl.col("birth").str.slice(0, 4).fill_null(pl.col("canonical").str.slice(0, 4))
        youths = youths.with_columns(
            k0=pl.concat_str(
                [pl.col("canonical").str.slice(0, 8), pl.col("birth").fill_null("")],
                separator="|",
            ),
            k1=pl.concat_str(
                [
                    pl.col("compulsory").fill_null(""),
                    pl.when(pl.col("arrival").is_not_null())
                    .then(pl.concat_str(["arrival", birth_year, "residences"], separator="|"))
                    .otherwise(pl.lit("")),
                ],
                separator="|",
            ),
            k4=pl.col("k4").fill_null(""),
        )
        for slot in range(5):
            self._new_keys(youths, slot, f"k{slot}")
        memo = self._memo
        reasons = youths.select(
            "first",
            "canonical",
            *[
                pl.col(f"k{slot}")
                .replace_strict(memo[slot], return_dtype=pl.Int64)
                .alias(f"m{slot}")
                for slot in range(5)
            ],
            pl.col("k0").replace_strict(self._ages_out, return_dtype=pl.String).alias("ages_out"),
            pl.col("k4").replace_strict(self._home, return_dtype=pl.String).alias("home"),
        )
        index = [
            pl.col("m0"),
            pl.col("m1"),
            pl.col("m2"),
            pl.col("m3") // 2**32,
            pl.col("m3") % 2**32,
            pl.col("m4"),
        ]
        reasons = reasons.with_columns([ix.alias(f"r{i}") for i, ix in enumerate(index)])
        return self._render(reasons)

    def _render(self, frame: pl.DataFrame) -> pl.DataFrame:
        holds = pl.Series([r.holds for r in self._reasons], dtype=pl.Boolean)
        settled = pl.Series([r.settled for r in self._reasons], dtype=pl.Boolean)
        texts = pl.Series(self._fragments if self.json_output else self._texts, dtype=pl.String)
        lazy = frame.lazy().with_columns(
            *[pl.lit(holds).gather(pl.col(f"r{i}")).alias(f"h{i}") for i in range(6)],
            *[pl.lit(settled).gather(pl.col(f"r{i}")).alias(f"s{i}") for i in range(6)],
            *[pl.lit(texts).gather(pl.col(f"r{i}")).alias(f"t{i}") for i in range(6)],
        )
        inside = pl.all_horizontal([pl.col(f"h{i}") for i in range(6)])
        out = pl.any_horizontal([~pl.col(f"h{i}") & pl.col(f"s{i}") for i in range(6)])
        lazy = lazy.with_columns(
            inside=inside,
            outcome=pl.when(inside)
            .then(pl.lit("in"))
            .when(out)
            .then(pl.lit("out"))
            .otherwise(pl.lit("undecided")),
        )
        canonical = pl.col("canonical")
        if self.reveal_ids:
            ident = pl.concat_str(
                [
                    canonical.str.slice(0, 8),
                    centenarian_separator(canonical, dt.date.today()),
                    canonical.str.slice(8, 4),
                ]
            )
        else:
            ident = pl.concat_str([canonical.str.slice(0, 8), pl.lit("-****")])
        day = self.on.isoformat()
        version = self.version.start.isoformat()
        if self.json_output:
            home = (
                pl.when(pl.col("home").is_null())
                .then(pl.lit("null"))
                .otherwise(pl.concat_str([pl.lit('"'), pl.col("home"), pl.lit('"')]))
            )
            text = pl.concat_str(
                [
                    pl.lit('{"id": "'),
                    ident,
                    pl.lit(f'", "day": "{day}", "in_target_group": '),
                    pl.when(pl.col("inside")).then(pl.lit("true")).otherwise(pl.lit("false")),
                    pl.lit(', "outcome": "'),
                    pl.col("outcome"),
                    pl.lit('", "ages_out": "'),
                    pl.col("ages_out"),
                    pl.lit('", "home_municipality": '),
                    home,
                    pl.lit(f', "rule_version": "{version}", "reasons": ['),
                    pl.concat_str([pl.col(f"t{i}") for i in range(6)], separator=", "),
                    pl.lit("]}"),
                ]
            )
            return lazy.select("first", text.alias("text"), "outcome").collect()
        failed = pl.concat_str(
            [
                pl.when(~pl.col(f"h{i}")).then(pl.lit(f"T{i + 1}")).otherwise(_NONE)
                for i in range(6)
            ],
            separator=" ",
            ignore_nulls=True,
        )
        shown = pl.concat_str(
            [
                pl.when(pl.col("inside") | ~pl.col(f"h{i}")).then(pl.col(f"t{i}")).otherwise(_NONE)
                for i in range(6)
            ],
            separator=" | ",
            ignore_nulls=True,
        )
        # The cell is the shown texts as they are when each of them is (the csv module
        # quotes a cell for the characters it holds, and " | " holds none it quotes for);
        # otherwise the csv module writes it.
        bare = pl.Series(self._bare, dtype=pl.Boolean)
        frame = lazy.with_columns(
            failed=failed,
            shown=shown,
            bare=pl.all_horizontal(
                [
                    ~(pl.col("inside") | ~pl.col(f"h{i}")) | pl.lit(bare).gather(pl.col(f"r{i}"))
                    for i in range(6)
                ]
            ),
        ).collect()
        quoted = frame.filter(~pl.col("bare"))["shown"].unique().to_list()
        for value in quoted:
            if value not in self._cells:
                if len(self._cells) >= 200_000:
                    self._cells.clear()
                self._cells[value] = csv_cell(value)
        cells = {value: self._cells[value] for value in quoted}
        text = pl.concat_str(
            [
                ident,
                pl.lit(day),
                pl.when(pl.col("inside")).then(pl.lit("yes")).otherwise(pl.lit("no")),
                pl.col("outcome"),
                pl.col("ages_out"),
                pl.col("home").fill_null(""),
                pl.col("failed"),
                pl.when(pl.col("bare"))
                .then(pl.col("shown"))
                .otherwise(pl.col("shown").replace(cells))
                if cells
                else pl.col("shown"),
                pl.lit(version),
            ],
            separator=",",
        )
        return frame.select("first", text.alias("text"), "outcome")


def _items(key: str) -> list[str]:
    return key.split(";") if key else []


def _residences(text: str) -> tuple[Residence, ...]:
    found = []
    for item in _items(text):
        basis, code, start, end = item.split("/")
        found.append(
            Residence(municipality=code, basis=BASES[basis], start=_day(start), end=_day(end))
        )
    return tuple(found)
