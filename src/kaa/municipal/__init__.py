"""The shipped municipalities: one package per municipality (by name), each an ordinary
plugin that answers only for its own kommunkod and holds its own data files.

- :mod:`kaa.municipal.askersund` (1882) — contact timetable, measures, plan follow-up and
  goal of its plan;
- :mod:`kaa.municipal.stockholm` (0180) — the measures of its plan;
- :mod:`kaa.municipal.trollhattan` (1488) — the work-placement allowance (as at PwC's audit
  2016–2017).

They are registered by :func:`kaa.plugins.manager.make_plugin_manager` as built-ins, the same
way a municipality's own plugin package is (see ``examples/kaa-example-kommun``). The national
defaults never look up municipal files.
"""
