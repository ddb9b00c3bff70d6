"""Runs of text and the saved package, written straight as WordprocessingML.

python-docx builds each run through its generic element machinery: every `add_run`, and every
property set on it, searches the parent for the place the schema puts the child. A letter is
hundreds of runs whose properties are known in advance, so here a run is appended with its
properties already in schema order. `save` writes the package once, with fixed timestamps, so
the same document always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from docx.document import Document as DocxDocument
from docx.opc.pkgwriter import _ContentTypesItem  # python-docx's [Content_Types].xml writer
from docx.oxml.ns import qn
from lxml import etree

_R, _RPR, _T, _TAB, _BR = qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:br")
_STYLE, _BOLD, _ITALIC = qn("w:rStyle"), qn("w:b"), qn("w:i")
_SIZE, _VERT, _VAL = qn("w:sz"), qn("w:vertAlign"), qn("w:val")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def run(
    p: etree._Element,
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    superscript: bool = False,
) -> etree._Element:
    """Append a run of `text` to the paragraph element `p`; tabs become tab characters and
    newlines line breaks, as in Word. `style` is a character style id; `size` is in points."""
    r = etree.SubElement(p, _R)
    if style or bold or italic or size or superscript:
        props = etree.SubElement(r, _RPR)
        # The schema's order: rStyle, b, i, sz, vertAlign.
        if style:
            etree.SubElement(props, _STYLE).set(_VAL, style)
        if bold:
            etree.SubElement(props, _BOLD)
        if italic:
            etree.SubElement(props, _ITALIC)
        if size:
            etree.SubElement(props, _SIZE).set(_VAL, str(round(size * 2)))
        if superscript:
            etree.SubElement(props, _VERT).set(_VAL, "superscript")
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, _BR)
        for j, piece in enumerate(line.split("\t")):
            if j:
                etree.SubElement(r, _TAB)
            if piece:
                t = etree.SubElement(r, _T)
                t.text = piece
                if piece[0].isspace() or piece[-1].isspace():
                    t.set(_SPACE, "preserve")
    return r


def save(doc: DocxDocument, day: date) -> bytes:
    """The document as .docx bytes, every member dated `day` (zip dates start in 1980)."""
    package = doc.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    when = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(name: str, blob: bytes) -> None:
            member = zipfile.ZipInfo(name, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            archive.writestr(member, blob)

        write("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob)
        write("_rels/.rels", package.rels.xml)
        for part in parts:
            write(part.partname.membername, part.blob)
            if len(part.rels):
                write(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()
