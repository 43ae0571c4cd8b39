"""Identity numbers over a column: the checks of :meth:`kaa.identity.IdentityNumber.parse`,
vectorised, for the forms the columnar path accepts with certainty.

:func:`identity_columns` reads a column of written numbers and gives, for each one it can
decide, the canonical 12-character form (``YYYYMMDDNNNC``, an interim letter in upper case)
and the compact integer key of :func:`kaa.formats.grouping.compact_key`; it gives ``null``
for everything else. ``null`` never means "invalid": it means "not decided here", and the
caller sends such a row through the reference reader, which decides it and words the problem.
A number is decided here only when it is written without whitespace in one of the four forms
``YYMMDD-NNNC``, ``YYMMDD+NNNC``, ``YYMMDDNNNC``, ``YYYYMMDD-NNNC``/``YYYYMMDDNNNC`` (the
separator of a 12-digit form may be ``-`` or ``+``), with a digit or one of the interim
letters ``T R S U W X J K L M N`` (either case) after the date — and every check of the
reference holds: the Luhn check digit (an interim letter counting as ``1``), the serial not
``000``, a month 01-12 (00 only in a samordningsnummer), a day of the month (day + 60 for a
samordningsnummer, which an interim number cannot have), the century of a 10-digit form
resolved against the reference day as the reference does, and a real calendar date for a
personnummer or an interim number. The property tests of ``tests/columnar`` compare this,
number by number, with :meth:`~kaa.identity.IdentityNumber.parse`.
"""

from __future__ import annotations

import datetime as dt

try:
    import polars as pl
except ImportError:  # pragma: no cover - the extra kaa[fast] is not installed
    pl = None  # type: ignore[assignment]

__all__ = ["INTERIM_LETTERS", "canonical_of_key", "centenarian_separator", "identity_columns"]

INTERIM_LETTERS = "TRSUWXJKLMN"
"""The interim letters, in the order :func:`kaa.formats.grouping.compact_key` numbers them."""

_SHAPE = (
    rf"^(?:[0-9]{{6}}|[0-9]{{8}})[-+]?[0-9{INTERIM_LETTERS}{INTERIM_LETTERS.lower()}][0-9]{{3}}$"
)


def _int(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int64, strict=False)


def _digit(number: pl.Expr, power: int, *, doubled: bool) -> pl.Expr:
    """The digit at ``10**power`` of ``number``, as the Luhn sum counts it (a doubled digit
    ``d`` counts ``2d``, less 9 when that is over 9)."""
    d: pl.Expr = number // 10**power % 10
    if doubled:
        return d * 2 - (d >= 5).cast(pl.Int64) * 9
    return d


def _month_days(month: pl.Expr, february: int) -> pl.Expr:
    """The days of ``month`` (0 for month 00), February having ``february``."""
    return (
        pl.when(month == 2)
        .then(february)
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .when(month == 0)
        .then(0)
        .otherwise(31)
    )


def _leap(year: pl.Expr) -> pl.Expr:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def identity_columns(frame: pl.DataFrame, written: str, on: dt.date) -> pl.DataFrame:
    """The canonical form and the compact key of each written number it can decide.

    Args:
        frame: The frame holding the written numbers.
        written: The name of the string column with the numbers, as the cells hold them.
        on: The reference day for the century of a 10-digit form (as ``parse(..., on=on)``).

    Returns:
        ``frame`` with two more columns: ``canonical``, the form ``YYYYMMDDNNNC`` (``null``
        where not decided), and ``key``, the key of
        :func:`kaa.formats.grouping.compact_key` as an ``Int64`` (``null`` likewise). Working
        columns whose names start with ``_id_`` are dropped again.
    """
    s = pl.col(written)
    n = s.str.len_bytes()
    c = pl.col
    work = (
        frame.lazy()  # one query: polars shares the working columns' evaluation
        .with_columns(
            _id_shaped=s.str.contains(_SHAPE).fill_null(False),
            _id_long=n >= 12,
            _id_head=pl.when(n >= 12).then(s.str.slice(0, 8)).otherwise(s.str.slice(0, 6)),
            _id_sep=pl.when(n == 13)
            .then(s.str.slice(8, 1))
            .when(n == 11)
            .then(s.str.slice(6, 1))
            .otherwise(pl.lit("")),
            _id_first=s.str.slice(-4, 1),
            _id_rest=s.str.slice(-3, 3),
        )
        .with_columns(
            _id_interim=~c("_id_first").str.contains("^[0-9]$"),
            _id_date6=c("_id_head").str.slice(-6, 6),
        )
        .with_columns(
            _id_ten=pl.concat_str(
                [
                    c("_id_date6"),
                    pl.when(c("_id_interim")).then(pl.lit("1")).otherwise(c("_id_first")),
                    c("_id_rest"),
                ]
            ),
            _id_month=_int(c("_id_date6").str.slice(2, 2)),
            _id_day_part=_int(c("_id_date6").str.slice(4, 2)),
            _id_reference=pl.when(c("_id_sep") == "+")
            .then(pl.lit(on.year - 100))
            .otherwise(pl.lit(on.year)),
        )
        .with_columns(_id_number=_int(c("_id_ten")))
        .with_columns(
            _id_luhn=pl.sum_horizontal(
                [_digit(c("_id_number"), 9 - i, doubled=i % 2 == 0) for i in range(10)]
            ),
            _id_coordination=c("_id_day_part") >= 60,
            _id_day=pl.when(c("_id_day_part") >= 60)
            .then(c("_id_day_part") - 60)
            .otherwise(c("_id_day_part")),
            _id_mi=c("_id_month").clip(0, 12),
            _id_short=c("_id_reference")
            - c("_id_reference") % 100
            + _int(c("_id_date6").str.slice(0, 2)),
        )
        .with_columns(
            _id_key_day=pl.when(c("_id_day") <= _month_days(c("_id_mi"), 29))
            .then(c("_id_day"))
            .otherwise(0),
        )
        .with_columns(
            _id_year=pl.when(c("_id_long"))
            .then(_int(c("_id_head").str.slice(0, 4)))
            .when(
                c("_id_short") * 10_000 + c("_id_month") * 100 + c("_id_key_day")
                > c("_id_reference") * 10_000 + (on.month * 100 + on.day)
            )
            .then(c("_id_short") - 100)
            .otherwise(c("_id_short")),
        )
        .with_columns(
            _id_days_in=pl.when((c("_id_mi") == 2) & _leap(c("_id_year")))
            .then(29)
            .otherwise(_month_days(c("_id_mi"), 28)),
            _id_letter=c("_id_first").str.to_uppercase(),
        )
    )
    day = c("_id_day")
    valid = (
        c("_id_shaped")
        & c("_id_sep").is_in(["", "-", "+"])
        & (c("_id_luhn") % 10 == 0)
        & (pl.concat_str([c("_id_first"), c("_id_rest").str.slice(0, 2)]) != "000")
        & (c("_id_month") <= 12)
        & pl.when(c("_id_coordination"))
        .then(~c("_id_interim") & (day <= 31))
        .otherwise((c("_id_month") != 0) & (day >= 1) & (day <= 31))
        & (c("_id_year") >= 1)
        & (c("_id_coordination") | (day <= c("_id_days_in")))
    ).fill_null(False)
    work = work.with_columns(
        _id_valid=valid,
        _id_canonical=pl.concat_str(
            [
                c("_id_year").cast(pl.String).str.zfill(4),
                c("_id_date6").str.slice(2, 4),
                c("_id_letter"),
                c("_id_rest"),
            ]
        ),
        _id_code=c("_id_letter").replace_strict(
            list(INTERIM_LETTERS),
            [f"{i:02d}" for i in range(len(INTERIM_LETTERS))],
            default="00",
        ),
    )
    key = (
        pl.when(c("_id_interim"))
        .then(
            -_int(pl.concat_str([c("_id_canonical").str.slice(0, 8), c("_id_code"), c("_id_rest")]))
        )
        .otherwise(_int(c("_id_canonical")))
    )
    work = work.with_columns(
        canonical=pl.when(c("_id_valid"))
        .then(c("_id_canonical"))
        .otherwise(pl.lit(None, dtype=pl.String)),
        key=pl.when(c("_id_valid")).then(key).otherwise(pl.lit(None, dtype=pl.Int64)),
    )
    return work.select(pl.exclude("^_id_.*$")).collect()


def centenarian_separator(canonical: pl.Expr, today: dt.date) -> pl.Expr:
    """The separator :meth:`~kaa.identity.IdentityNumber.full` writes in the separated forms
    on ``today``: ``+`` when the person may be 100 or older, else ``-`` (compared as the
    reference compares, an unknown or impossible day as 0)."""
    year = _int(canonical.str.slice(0, 4))
    month = _int(canonical.str.slice(4, 2))
    day_part = _int(canonical.str.slice(6, 2))
    day = pl.when(day_part >= 60).then(day_part - 60).otherwise(day_part)
    key_day = pl.when(day <= _month_days(month.clip(0, 12), 29)).then(day).otherwise(0)
    old = (year + 100) * 10_000 + month * 100 + key_day <= (
        today.year * 10_000 + today.month * 100 + today.day
    )
    return pl.when(old).then(pl.lit("+")).otherwise(pl.lit("-"))


def canonical_of_key(key: pl.Expr) -> pl.Expr:
    """The canonical ``YYYYMMDDNNNC`` of a key made by :func:`identity_columns` (the inverse
    of :func:`kaa.formats.grouping.compact_key`)."""
    digits = key.abs().cast(pl.String).str.zfill(13)
    letter = digits.str.slice(8, 2).replace_strict(
        [f"{i:02d}" for i in range(len(INTERIM_LETTERS))], list(INTERIM_LETTERS), default="?"
    )
    return (
        pl.when(key >= 0)
        .then(key.cast(pl.String).str.zfill(12))
        .otherwise(pl.concat_str([digits.str.slice(0, 8), letter, digits.str.slice(10, 3)]))
    )
