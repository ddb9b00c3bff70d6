"""The arrows between the layers, pinned: request -> view -> service -> domain -> render.

`app/domain` decides on plain data and imports neither Flask nor SQLAlchemy nor the models;
`app/render` draws what it is given and imports no model, service or view; services never
read `request`; a view (a module that defines a blueprint) imports no other view."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def names_used(path: Path) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Name)}


VIEWS = {
    module_name(p)
    for p in APP.rglob("*.py")
    if "Blueprint(" in p.read_text() and "services" not in p.parts
}


def layer(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


def reaching(found: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in found if m.startswith(prefixes))


@pytest.mark.parametrize("path", layer("domain"), ids=lambda p: p.name)
def test_the_domain_imports_no_flask_sqlalchemy_models_or_services(path):
    bad = ("flask", "sqlalchemy", "flask_login", "app.models", "app.services", "app.extensions")
    assert reaching(imports(path), bad) == []
    assert reaching(imports(path), tuple(f"{v}." for v in VIEWS) + tuple(VIEWS)) == []


@pytest.mark.parametrize("path", layer("render"), ids=lambda p: p.name)
def test_render_imports_no_models_services_or_views(path):
    bad = ("app.models", "app.services", "app.extensions", "sqlalchemy", "flask")
    assert reaching(imports(path), bad + tuple(VIEWS)) == []


@pytest.mark.parametrize("path", layer("services"), ids=lambda p: p.name)
def test_services_read_no_request_and_import_no_view(path):
    assert "request" not in names_used(path)
    assert reaching(imports(path), ("flask.request",)) == []
    assert reaching(imports(path), tuple(VIEWS)) == []


def test_no_view_imports_another_view():
    crossing = {}
    for path in APP.rglob("*.py"):
        name = module_name(path)
        if name not in VIEWS:
            continue
        others = [
            m for m in imports(path) for v in VIEWS - {name} if m == v or m.startswith(f"{v}.")
        ]
        if others:
            crossing[name] = sorted(set(others))
    assert crossing == {}


def test_the_views_are_found():
    assert {"app.brief", "app.cases", "app.documents", "app.teams"} <= VIEWS
