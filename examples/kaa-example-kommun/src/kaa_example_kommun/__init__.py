"""An example municipality plugin for kaa (kommunkod 1884): source, timetable and measures.

The hook implementations live in :mod:`kaa_example_kommun.plugin`, which the package declares
under the entry-point group ``kaa``.
"""

__version__ = "0.1.0"

KOMMUNKOD = "1884"
"""The municipality this plugin answers for (Nora, used as an example only)."""
