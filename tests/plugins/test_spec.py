"""The hook specifications (:mod:`kaa.plugins.spec`): every hook documented, in one of the
three shapes, with a facade method and a built-in implementation."""

from __future__ import annotations

import inspect

import pytest

from kaa.plugins import PROJECT_NAME
from kaa.plugins import spec as hookspecs
from kaa.plugins.manager import Hooks, make_plugin_manager


def _hook_names() -> list[str]:
    return [n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("kaa_")]


@pytest.mark.parametrize("name", _hook_names())
def test_every_hook_is_documented_with_args_and_returns(name: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    assert "Args:" in doc
    assert "Returns:" in doc


@pytest.mark.parametrize("name", _hook_names())
def test_every_hook_has_a_facade_method(name: str) -> None:
    assert hasattr(Hooks, name.removeprefix("kaa_"))


@pytest.mark.parametrize("name", _hook_names())
def test_every_hook_has_a_builtin_implementation(name: str) -> None:
    pm = make_plugin_manager(load_entrypoints=False)
    assert getattr(pm.hook, name).get_hookimpls()


SHAPES = {
    "first result wins": "First result wins",
    "collect all": "Collect all",
    "register callback": "Register callback",
}
"""The three shapes of a hook, as each hook's docstring names its own (see the module)."""


def _shape(name: str) -> str:
    """The shape a hook has by its specification: ``firstresult``, or a ``register``
    parameter, or neither."""
    function = getattr(hookspecs, name)
    if getattr(function, f"{PROJECT_NAME}_spec")["firstresult"]:
        return "first result wins"
    if list(inspect.signature(function).parameters) == ["register"]:
        return "register callback"
    return "collect all"


@pytest.mark.parametrize("name", _hook_names())
def test_every_hook_says_which_of_the_three_shapes_it_has(name: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    said = [shape for shape, words in SHAPES.items() if words in doc]
    assert said == [_shape(name)]


def test_every_hook_specification_is_exported_and_starts_with_kaa() -> None:
    assert sorted(hookspecs.__all__) == _hook_names()
    assert all(name.startswith("kaa_") for name in hookspecs.__all__)


def test_every_shape_is_used() -> None:
    assert {_shape(name) for name in _hook_names()} == set(SHAPES)
