"""kaa — kommunernas aktivitetsansvar as code.

The municipality's duty (29 kap. 9 § skollagen) to keep track of every youth under 20 who
has left compulsory school without being in, or having completed, upper-secondary school:
who is in the target group on a day and why, with statute citations and every dated change of
the law.

    >>> import datetime as dt
    >>> import kaa
    >>> youth = kaa.Youth(
    ...     id=kaa.IdentityNumber.parse("200808122394"),
    ...     residences=(kaa.Residence(municipality="1882"),),
    ...     compulsory_school_completed=dt.date(2024, 6, 12),
    ... )
    >>> decision = kaa.assess(youth, on=dt.date(2026, 11, 23))
    >>> decision.in_target_group, decision.youth
    (True, IdentityNumber('20080812-****'))
"""

from __future__ import annotations

from kaa.dated import Timeline, Version
from kaa.errors import (
    ConfigurationError,
    InvalidIdentityNumber,
    InvalidInput,
    KaaError,
    PluginError,
    RuleNotInForce,
    StructureError,
    UnknownMunicipality,
)
from kaa.identity import IdentityKind, IdentityNumber, Sex
from kaa.law import Citation, DocumentReference
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.municipalities import Municipality, municipality
from kaa.period import HalfYear, Year
from kaa.plugins.manager import Hooks, make_plugin_manager
from kaa.rules.consent import may_share
from kaa.rules.plan import check_plan
from kaa.rules.target_group import Condition, Decision, Membership, Reason, assess, membership
from kaa.worklist import Worklist, build_worklist

__version__ = "0.1.0"

__all__ = [
    "Citation",
    "Condition",
    "ConfigurationError",
    "Decision",
    "DocumentReference",
    "Enrolment",
    "HalfYear",
    "HomeBasis",
    "Hooks",
    "IdentityKind",
    "IdentityNumber",
    "InvalidIdentityNumber",
    "InvalidInput",
    "KaaError",
    "Membership",
    "Municipality",
    "PluginError",
    "Programme",
    "Qualification",
    "QualificationKind",
    "Reason",
    "Residence",
    "RuleNotInForce",
    "SchoolForm",
    "Sex",
    "StructureError",
    "Timeline",
    "UnknownMunicipality",
    "Version",
    "Worklist",
    "Year",
    "Youth",
    "__version__",
    "assess",
    "build_worklist",
    "check_plan",
    "make_plugin_manager",
    "may_share",
    "membership",
    "municipality",
]
