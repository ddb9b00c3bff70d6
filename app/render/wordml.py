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
from datetime import date, datetime

from docx.document import Document as DocxDocument
from docx.opc.pkgwriter import _ContentTypesItem  # python-docx's [Content_Types].xml writer
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

_R, _RPR, _T, _TAB, _BR = qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:br")
_STYLE, _BOLD, _ITALIC = qn("w:rStyle"), qn("w:b"), qn("w:i")
_SIZE, _VERT, _VAL = qn("w:sz"), qn("w:vertAlign"), qn("w:val")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTHS += ("September", "October", "November", "December")
# Table properties that follow tblBorders in the schema: Word refuses a file out of order.
_AFTER_BORDERS = {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook")}


def long_date(day: date) -> str:
    """ "November 23, 2026". Not strftime("%B"): the server's locale must not change the
    language of a document."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def properties(doc: DocxDocument, title: str, day: date) -> None:
    """A title and a date in the document's properties; nothing that names a patient, an
    author or the clinic. Dated by the document, not the clock, so re-exporting gives the
    same file."""
    props = doc.core_properties
    blank = ("author", "category", "comments", "content_status", "identifier", "keywords")
    for name in (*blank, "language", "last_modified_by", "subject", "version"):
        setattr(props, name, "")
    props.title = title
    props.revision = 1
    stamp = datetime(day.year, day.month, day.day)
    props.created = props.modified = props.last_printed = stamp


def borders(table, value: str) -> None:
    """All borders of a table: "single" lines, or "nil" for none."""
    tblPr = table._tbl.tblPr
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        edges.append(element)
    successor = next((child for child in tblPr if child.tag in _AFTER_BORDERS), None)
    if successor is None:
        tblPr.append(edges)
    else:
        successor.addprevious(edges)


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
    # A zip file's member dates run from 1980 to 2107.
    when = (min(max(day.year, 1980), 2107), day.month, day.day, 0, 0, 0)
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


def fixed_widths(table, widths) -> None:
    """Fixed column widths, and cells spaced 1 pt above and below at single line spacing, so
    rows are as tall as their text."""
    # Word reads the cell widths, LibreOffice the grid: both are set so they agree.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    # The XML rows and cells directly: python-docx's row.cells recomputes the grid each time.
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
            for p in tc.p_lst:
                spacing = p.get_or_add_pPr().get_or_add_spacing()
                spacing.set(qn("w:before"), "20")
                spacing.set(qn("w:after"), "20")
                spacing.set(qn("w:line"), "240")
                spacing.set(qn("w:lineRule"), "auto")
