"""The ``kaa`` subcommands, one module each; see :mod:`kaa.cli`."""
