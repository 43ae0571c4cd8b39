"""The frozen facts the rules decide on: a youth (:mod:`kaa.model.youth`), a KAA case
(:mod:`kaa.model.case`) and its documentation — individual plans and consent
(:mod:`kaa.model.documentation`).

Models hold no file format and no rule: structuring from plain data lives in
:mod:`kaa.convert`, file forms in :mod:`kaa.formats`, decisions in :mod:`kaa.rules`.
"""
