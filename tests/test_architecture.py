"""The plan of the house (docs/architecture.md), checked on the import graph of ``src/kaa``.

The layers themselves are the import-linter contracts in ``pyproject.toml`` (run by
``lint-imports`` in ``make test``, and by the first test here); these tests add what a layers
contract cannot say: no import circle between any two modules, no function-local import of the
library, and a plugin-marker package that imports nothing but pluggy. The last tests keep the
test suite's plan: ``tests/`` mirrors ``src/kaa/`` file by file.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kaa"
ROOT = SRC.parents[1]
TESTS = ROOT / "tests"


def _graph(*, exclude_type_checking: bool) -> grimp.ImportGraph:
    return grimp.build_graph(
        "kaa", exclude_type_checking_imports=exclude_type_checking, cache_dir=None
    )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_no_two_modules_import_each_other_at_module_level() -> None:
    graph = _graph(exclude_type_checking=True)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _function_local_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("kaa"):
                    found.append(f"{path.relative_to(SRC)}:{inner.lineno} {inner.module}")
                elif isinstance(inner, ast.Import):
                    found.extend(
                        f"{path.relative_to(SRC)}:{inner.lineno} {alias.name}"
                        for alias in inner.names
                        if alias.name.startswith("kaa")
                    )
    return found


def test_no_module_of_the_library_is_imported_inside_a_function() -> None:
    found = [hit for path in sorted(SRC.rglob("*.py")) for hit in _function_local_imports(path)]
    assert found == []


def test_the_plugin_markers_import_only_pluggy() -> None:
    tree = ast.parse((SRC / "plugins" / "__init__.py").read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert imported == {"__future__", "pluggy"}


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [
        pytest.param("kaa.rules", "kaa.plugins.manager", id="rules never import the facade"),
        pytest.param("kaa.formats", "kaa.adapters", id="formats never import adapters"),
        pytest.param("kaa.model", "kaa.formats", id="the model imports no file format"),
        pytest.param("kaa.model", "kaa.rules", id="the model imports no rule"),
    ],
)
def test_a_never_rule_holds_even_indirectly(importer: str, forbidden: str) -> None:
    graph = _graph(exclude_type_checking=False)
    assert not graph.chain_exists(importer, forbidden, as_packages=True)


def test_hooks_default_is_called_only_at_the_face() -> None:
    face = {"__init__.py", "cli.py"}
    callers = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if str(rel) in face or rel.parts[0] in {"commands", "plugins"}:
            continue
        if "Hooks.default()" in path.read_text(encoding="utf-8"):
            callers.append(str(rel))
    assert callers == []


def _layers() -> list[grimp.Layer]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = (c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    layers = []
    for spec in contract["layers"]:
        independent = "|" in spec
        names = [n.strip() for n in spec.replace("|", ":").split(":")]
        layers.append(grimp.Layer(*names, independent=independent))
    return layers


def test_the_layers_are_kept_today() -> None:
    assert (
        _graph(exclude_type_checking=False).find_illegal_dependencies_for_layers(_layers()) == set()
    )


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        pytest.param(
            "kaa.rules.target_group", "kaa.plugins.manager", id="a rule importing the facade"
        ),
        pytest.param(
            "kaa.formats.canonical", "kaa.adapters.tabular", id="a format importing an adapter"
        ),
        pytest.param("kaa.model.youth", "kaa.rules.target_group", id="the model importing a rule"),
        pytest.param("kaa.errors", "kaa.identity", id="the vocabulary importing upwards"),
        pytest.param("kaa.worklist", "kaa.year", id="a product importing the use case"),
    ],
)
def test_a_new_upward_arrow_breaks_the_layers(importer: str, imported: str) -> None:
    graph = _graph(exclude_type_checking=False)
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="x")
    assert graph.find_illegal_dependencies_for_layers(_layers()) != set()


# --- tests/ mirrors src/kaa/ file by file ------------------------------------------------------

MIRROR_EXCEPTIONS: dict[str, str] = {
    # "package/module.py": "why it cannot have its own test file",
}
"""Modules allowed to have no mirrored test file, each with the reason. Empty today: keep it
that way, or say here why a module cannot be tested in its own file."""


def _has_logic(path: Path) -> bool:
    """Whether a module defines a function or a class (a package ``__init__.py`` holding only
    a docstring, re-exports or markers has no logic of its own to test)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for node in tree.body
    )


def _mirrors(module: Path, src: Path, tests: Path) -> list[Path]:
    """Where the tests of ``module`` may live: ``pkg/mod.py`` → ``tests/pkg/test_mod.py``; a
    package's ``pkg/sub/__init__.py`` → ``tests/pkg/sub/test_init.py`` or
    ``tests/pkg/test_sub.py`` (one test file per package, as for the municipalities)."""
    rel = module.relative_to(src)
    if rel.name != "__init__.py":
        return [tests / rel.parent / f"test_{rel.stem}.py"]
    package = rel.parent
    found = [tests / package / "test_init.py"]
    if package.parts:
        found.append(tests / package.parent / f"test_{package.name}.py")
    return found


def _missing_mirrors(src: Path, tests: Path) -> list[str]:
    """Every module with logic under ``src`` whose mirrored test file does not exist."""
    return [
        str(module.relative_to(src))
        for module in sorted(src.rglob("*.py"))
        if (module.name != "__init__.py" or _has_logic(module))
        and not any(path.is_file() for path in _mirrors(module, src, tests))
    ]


def test_every_module_has_its_mirrored_test_file() -> None:
    missing = [m for m in _missing_mirrors(SRC, TESTS) if m not in MIRROR_EXCEPTIONS]
    assert missing == [], "add tests/<package>/test_<module>.py for each (see _mirrors)"


def test_every_mirror_exception_is_still_needed() -> None:
    assert set(MIRROR_EXCEPTIONS) <= set(_missing_mirrors(SRC, TESTS))


def test_the_mirror_check_finds_a_module_without_tests(tmp_path: Path) -> None:
    src, tests = tmp_path / "src", tmp_path / "tests"
    for path, text in {
        src / "__init__.py": '"""Only a docstring."""\n',
        src / "tested.py": "def f() -> None: ...\n",
        src / "untested.py": "def g() -> None: ...\n",
        src / "pkg" / "__init__.py": "class Registry: ...\n",
        src / "town" / "__init__.py": "def hook() -> None: ...\n",
        src / "lonely" / "__init__.py": "def hook() -> None: ...\n",
        src / "empty" / "__init__.py": "from x import y\n",
        tests / "test_tested.py": "",
        tests / "pkg" / "test_init.py": "",
        tests / "test_town.py": "",
    }.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert _missing_mirrors(src, tests) == [str(Path("lonely", "__init__.py")), "untested.py"]
