"""The import arrows between apps point down the floors of ARCHITECTURE.md, never up, and
there is no cycle: each app imports only the apps listed for it here."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# app -> the apps it may import (root urls and settings aside).
MAY_IMPORT = {
    "ctpat": set(),
    "accounts": {"ctpat"},
    "notifications": {"ctpat", "accounts"},
    "partners": {"ctpat", "accounts", "notifications"},
    "validations": {"ctpat", "accounts", "notifications", "partners"},
    "forced_labor": {"ctpat", "accounts", "notifications", "partners"},
    # The Security Profile reads the criteria catalogue; validations never imports profiles.
    "profiles": {"ctpat", "accounts", "notifications", "partners", "validations"},
    "benefits": {"ctpat", "accounts", "notifications", "partners", "forced_labor"},
    "deadlines": {
        "ctpat",
        "accounts",
        "notifications",
        "partners",
        "validations",
        "forced_labor",
        "benefits",
    },
    "dashboard": {
        "ctpat",
        "accounts",
        "notifications",
        "partners",
        "validations",
        "forced_labor",
        "benefits",
        "deadlines",
    },
}


def _imports(app: str) -> dict[str, set[str]]:
    """{imported app: files importing it} for every module of `app` but its migrations."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts or str(relative) in {
            "ctpat/urls.py",
            "ctpat/settings.py",
        }:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in MAY_IMPORT and top != app:
                    found.setdefault(top, set()).add(str(relative))
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_floors_below_it(app):
    wrong = {other: files for other, files in _imports(app).items() if other not in MAY_IMPORT[app]}
    assert not wrong, f"{app} imports apps above it: {wrong}"


def test_every_app_is_placed_on_a_floor():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= set(MAY_IMPORT), f"place {apps - set(MAY_IMPORT)} in MAY_IMPORT"
