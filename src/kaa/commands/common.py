"""Pieces shared by the ``kaa`` subcommands."""

from __future__ import annotations

import argparse
import datetime as dt

from kaa.problems import Problem

__all__ = ["Strict", "day_argument"]


class Strict(Exception):
    """Raised from a problem callback to stop at the first problem (``--strict``)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def day_argument(text: str) -> dt.date:
    """An argparse type for a day written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day; write it as YYYY-MM-DD") from None
