"""Adapters: one module per external file format or register source."""
