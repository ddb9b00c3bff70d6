"""The library stands alone: importable without the web app or Flask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import citations

PACKAGE = Path(citations.__file__).parent


def test_import_pulls_in_neither_app_nor_flask() -> None:
    code = (
        "import sys, citations; "
        "bad = [m for m in sys.modules if m == 'app' or m.startswith(('app.', 'flask'))]; "
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_no_module_imports_the_app() -> None:
    for path in PACKAGE.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not line.lstrip().startswith(("import app", "from app")), path.name


def test_modules_stay_small() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name
