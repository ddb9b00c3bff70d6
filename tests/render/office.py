"""LibreOffice as a reader would open a .docx: convert to PDF, count its pages."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def to_pdf(docx: bytes, tmp_path: Path, name: str = "doc") -> Path:
    """`docx` converted by LibreOffice, as a PDF file in `tmp_path`."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui")
    source = tmp_path / f"{name}.docx"
    source.write_bytes(docx)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return tmp_path / f"{name}.pdf"


def pdf_pages(docx: bytes, tmp_path: Path, name: str = "doc") -> int:
    """How many pages `docx` takes, as LibreOffice lays it out."""
    pdf = to_pdf(docx, tmp_path, name).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
