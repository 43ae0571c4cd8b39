"""Local rules of individual municipalities, one module per municipality (by name).

Each module is a built-in plugin that answers only for its own kommunkod.
"""
