"""The columnar package's entry (:mod:`kaa.columnar`)."""

from __future__ import annotations

import importlib.util

from kaa import columnar


def test_available_says_whether_polars_is_installed() -> None:
    assert columnar.available() is (importlib.util.find_spec("polars") is not None)
