"""The dependency audit tells the truth: when its database cannot be reached it says nothing
was audited (never "no known vulnerabilities"), and `--require` (`make audit`) fails then."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / ".ci" / "audit_deps.py"


def audit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once it is closed


def test_an_unreachable_index_is_reported_as_not_audited():
    proxy = f"http://127.0.0.1:{closed_port()}"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "all_proxy")}
    env |= {"HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "https_proxy": proxy, "http_proxy": proxy}
    lenient = audit(env=env)
    assert lenient.returncode == 0, lenient.stderr
    assert "NOT audited" in lenient.stdout
    assert "pypi:" in lenient.stdout and "osv:" in lenient.stdout
    assert "No known vulnerabilities" not in lenient.stdout + lenient.stderr
    assert "no known vulnerability" not in lenient.stdout
    required = audit("--require", env=env)
    assert required.returncode == 2 and "NOT audited" in required.stdout


def report(tmp_path, dependencies) -> str:
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return str(path)


def test_a_report_that_skipped_every_package_is_not_an_audit(tmp_path):
    # What pip-audit writes when PyPI answers 404 for every package, then exits 0.
    skipped = [
        {"name": n, "skip_reason": "Dependency not found on PyPI and could not be audited"}
        for n in ("flask", "lxml")
    ]
    lenient = audit("--report", report(tmp_path, skipped))
    assert lenient.returncode == 0 and "NOT audited" in lenient.stdout
    assert "nothing could be audited (2 skipped" in lenient.stdout
    assert audit("--require", "--report", report(tmp_path, skipped)).returncode == 2


def test_a_known_vulnerability_fails_and_a_clean_audit_says_how_many(tmp_path):
    vulnerable = [
        {"name": "flask", "version": "3.1.0", "vulns": []},
        {
            "name": "lxml",
            "version": "4.0.0",
            "vulns": [{"id": "PYSEC-2020-62", "fix_versions": ["4.6.2"]}],
        },
    ]
    found = audit("--report", report(tmp_path, vulnerable))
    assert found.returncode == 1
    assert "lxml 4.0.0: PYSEC-2020-62 (fixed in 4.6.2)" in found.stdout
    clean = audit("--require", "--report", report(tmp_path, vulnerable[:1]))
    assert clean.returncode == 0 and "1 packages audited, no known vulnerability" in clean.stdout
