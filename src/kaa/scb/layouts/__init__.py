"""Layout profiles shipped with `kaa` (TOML); see :mod:`kaa.scb.layout`."""
