"""pip-audit over the installed dependencies, for a CI that reaches package registries only.

pip-audit asks a vulnerability database about each installed package (PyPI's per-release JSON
API, else OSV). Where neither answers, pip-audit either fails with a connection error or, when
PyPI answers 404, "audits" nothing and exits 0 all the same. This wrapper tells those apart:

- a known vulnerability in an installed package: listed, exit 1;
- packages audited and none vulnerable: exit 0;
- the database cannot be reached: says so plainly (nothing was audited) and exits 0, so an
  offline CI goes on; with --require (`make audit`) exits 2 instead;
- pip-audit failing for any other reason: its error, exit 1.

Usage: python .ci/audit_deps.py [--require] [--report FILE]   (FILE: a pip-audit JSON report)
"""

import argparse
import json
import subprocess  # nosec B404  # runs pip-audit, a fixed command
import sys
import tempfile
from pathlib import Path

SERVICES = ("pypi", "osv")
# What requests and urllib3 print when there is no route to the database.
UNREACHABLE = (
    "ConnectionError",
    "ProxyError",
    "NameResolutionError",
    "Max retries exceeded",
    "ConnectTimeout",
    "ReadTimeout",
    "SSLError",
)


class Unreachable(Exception):
    pass


def run(service: str) -> dict:
    """pip-audit's JSON report of the installed packages against one database."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--local",
            "--skip-editable",  # Peerbrief itself is not on PyPI
            "--progress-spinner=off",
            f"--vulnerability-service={service}",
            "--timeout=20",
            "--format=json",
            f"--output={out}",
        ]
        done = subprocess.run(command, capture_output=True, text=True)  # nosec B603  # a fixed argv
        if out.exists() and out.stat().st_size:
            return json.loads(out.read_text())
    lines = done.stderr.strip().splitlines()
    if any(marker in done.stderr for marker in UNREACHABLE):
        raise Unreachable(lines[-1] if lines else "no answer")
    print(done.stderr, file=sys.stderr)
    raise SystemExit(f"pip-audit failed ({done.returncode}) without a report: see above.")


def judge(report: dict, service: str) -> int:
    """Exit status for a report: 1 with a vulnerability; raises Unreachable when nothing could
    be audited (every package skipped, as when the database answers 404 for everything)."""
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    if vulnerable:
        print(f"pip-audit ({service}): known vulnerabilities in {len(vulnerable)} package(s):")
        for d in vulnerable:
            for v in d["vulns"]:
                fixed = ", ".join(v.get("fix_versions") or []) or "no fixed release"
                print(f"  {d['name']} {d['version']}: {v['id']} (fixed in {fixed})")
        return 1
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "no package in the report"
        raise Unreachable(f"nothing could be audited ({len(skipped)} skipped, e.g. {reason})")
    print(f"pip-audit ({service}): {len(audited)} packages audited, no known vulnerability.")
    for d in skipped:
        print(f"  not audited: {d['name']} {d.get('version', '')}: {d['skip_reason']}")
    return 0


def not_audited(reasons: list[str], require: bool) -> int:
    """Say plainly that nothing was audited; exit 2 when an audit was required."""
    print("pip-audit: the vulnerability database could not be reached, so the dependencies were")
    print("NOT audited. Nothing is known about their vulnerabilities from this run.")
    if not require:
        print(
            "(This is expected in a CI without internet; run `make audit` where it is reachable.)"
        )
    print("Reasons:")
    for reason in reasons:
        print(f"  {reason}")
    return 2 if require else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="judge this pip-audit JSON report")
    parser.add_argument(
        "--require",
        action="store_true",
        help="fail (exit 2) when nothing could be audited, instead of passing with a notice",
    )
    args = parser.parse_args()
    if args.report:
        try:
            return judge(json.loads(args.report.read_text()), "report")
        except Unreachable as why:
            return not_audited([f"report: {why}"], args.require)
    reasons = []
    for service in SERVICES:
        try:
            return judge(run(service), service)
        except Unreachable as why:
            reasons.append(f"{service}: {why}")
    return not_audited(reasons, args.require)


if __name__ == "__main__":
    sys.exit(main())
