"""Formats: the library's own file forms, and the plumbing every reader and writer shares.

- plumbing: text decoding and separators (:mod:`kaa.formats.text`), JSON reading
  (:mod:`kaa.formats.json`), the one per-youth row-grouping engine
  (:mod:`kaa.formats.grouping`), problems and read summaries (:mod:`kaa.formats.problems`),
  atomic output files (:mod:`kaa.formats.files`), a streaming ``.xlsx`` writer
  (:mod:`kaa.formats.xlsx`), the sections every mapping file shares
  (:mod:`kaa.formats.mapping`);
- the library's own files: canonical youths (:mod:`kaa.formats.canonical`) and cases
  (:mod:`kaa.formats.cases`), decisions (:mod:`kaa.formats.decisions`), the not-registered
  list (:mod:`kaa.formats.not_registered`), a municipality's goals (:mod:`kaa.formats.goals`).

Formats never import :mod:`kaa.adapters`: a register system's export is read by an adapter,
which builds on these.
"""
