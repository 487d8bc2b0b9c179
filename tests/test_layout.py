"""The folder tree is the architecture: each role subpackage of `pipeline/` imports only what its
`__init__` docstring allows, and the stage entry points stay thin modules at the top."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"
STAGES = ("ingest", "extract", "resolve", "validate", "publish")

#: Role -> the roles its modules may import (besides itself and `schemas`).
ALLOWED = {
    "core": set(),
    "extraction": {"core"},
    "resolution": {"core", "extraction"},
    "release": {"core", "resolution"},
    "runtime": {"core", "extraction", "resolution", "release"},
    "quality": {"core", "extraction", "resolution", "release", "runtime"},
}


def _imported_roles(path: Path) -> set[str]:
    """The `pipeline` subpackages a module imports, at any depth of its code (type-checking imports too)."""
    roles = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "pipeline" and len(parts) > 1:
                roles.add(parts[1])
    return roles


def test_every_role_is_a_documented_subpackage():
    found = {p.name for p in PIPELINE.iterdir() if (p / "__init__.py").exists()}
    assert found == set(ALLOWED)
    for role in ALLOWED:
        doc = ast.get_docstring(ast.parse((PIPELINE / role / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"pipeline/{role}/__init__.py must say what it may import"


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_role_imports_only_what_it_may(role):
    bad = {}
    for path in sorted((PIPELINE / role).rglob("*.py")):
        roles = _imported_roles(path) & (set(ALLOWED) | set(STAGES) | {"cli"})
        forbidden = roles - ALLOWED[role] - {role}
        if forbidden:
            bad[path.relative_to(PIPELINE).as_posix()] = sorted(forbidden)
    assert bad == {}


def test_the_import_check_sees_a_forbidden_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("if True:\n    from pipeline.release.card import render_card\nimport pipeline.core.ids\n")
    assert _imported_roles(module) == {"release", "core"}


@pytest.mark.parametrize("stage", STAGES)
def test_stage_entry_points_are_thin_modules_at_the_top(stage):
    path = PIPELINE / f"{stage}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert functions == ["main"], f"pipeline/{stage}.py should hold only main(), found {functions}"
    assert f"python -m pipeline.{stage}" in ast.get_docstring(tree)
