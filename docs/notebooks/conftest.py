"""The notebooks are run by ``tests/test_notebooks.py`` in a temporary folder, not imported
by pytest's doctest collection (importing one would run it where pytest was started)."""

collect_ignore_glob = ["*.py"]
