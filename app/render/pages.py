"""The furniture of a letter's pages: "Page 2 of 3" in the footer, and on every page after the
first a header naming the patient, so a page that comes loose from a fax finds its letter.

Page 1 keeps the letterhead's own header (a different first page, `w:titlePg`). The
letterhead's footer stays on every page, with the page number added under it. A letterhead
that already has a first page of its own keeps it, and its later-page header gains the
running head. The running head's text comes from the Letter; nothing here decides it.
"""

from __future__ import annotations

import copy

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from lxml import etree

from app.render.wordml import run

FURNITURE_SIZE = 9  # points: smaller than the body, as Word's own Header and Footer styles
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = qn("w:type")
_ID = f"{{{_R_NS}}}id"


def furnish(doc: DocxDocument, running_head: str) -> None:
    """Page numbers in every footer and `running_head` at the head of pages 2 onwards, in
    each section of `doc` (a letter has one)."""
    for section in doc.sections:
        _furnish(section, running_head)


def _furnish(section: Section, running_head: str) -> None:
    had_first_page = section.different_first_page_header_footer
    if not had_first_page:
        # The letterhead's header and footer, until now on every page, become page 1's.
        _retype(section._sectPr, "w:headerReference", "default", "first")
        _retype(section._sectPr, "w:footerReference", "default", "first")
        section.different_first_page_header_footer = True
        # Later pages: the running head alone (the letterhead's header is page 1's), and the
        # letterhead's footer again, copied with the pictures and links it uses.
        if not section.first_page_footer.is_linked_to_previous:
            _copy_story(section.first_page_footer, section.footer)
    _append_running_head(_own(section.header), running_head)
    for footer in (section.first_page_footer, section.footer):
        _append_page_number(_own(footer))


def _own(story):
    """The XML of a header or footer of the section's own, made empty if it had none."""
    if story.is_linked_to_previous:
        story.is_linked_to_previous = False
        _clear(story._element)
    return story._element


def _retype(sectPr, tag: str, old: str, new: str) -> None:
    for ref in sectPr.findall(qn(tag)):
        if ref.get(_TYPE) == old:
            ref.set(_TYPE, new)


def _clear(story) -> None:
    for child in list(story):
        story.remove(child)


def _copy_story(source, target) -> None:
    """Put a copy of header/footer `source`'s content into `target` (a fresh part), with its
    relationships (pictures, hyperlinks) re-made in the target part."""
    story = _own(target)
    _clear(story)
    src_part, dst_part = source.part, target.part
    mapping: dict[str, str] = {}
    for child in source._element:
        copied = copy.deepcopy(child)
        for element in copied.iter():
            for name, value in element.attrib.items():
                if not name.startswith(f"{{{_R_NS}}}") or value not in src_part.rels:
                    continue
                if value not in mapping:
                    rel = src_part.rels[value]
                    if rel.is_external:
                        mapping[value] = dst_part.relate_to(rel.target_ref, rel.reltype, True)
                    else:
                        mapping[value] = dst_part.relate_to(rel.target_part, rel.reltype)
                element.set(name, mapping[value])
        story.append(copied)


def _paragraph(story) -> etree._Element:
    """A new paragraph at the end of a header or footer."""
    p = OxmlElement("w:p")
    story.append(p)
    return p


def _append_running_head(story, text: str) -> None:
    p = _paragraph(story)
    if text:
        run(p, text, size=FURNITURE_SIZE)


def _append_page_number(story) -> None:
    """ "Page 2 of 3", right-aligned, from Word's PAGE and NUMPAGES fields."""
    p = _paragraph(story)
    ppr = OxmlElement("w:pPr")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "right")
    ppr.append(jc)
    p.append(ppr)
    run(p, "Page ", size=FURNITURE_SIZE)
    _field(p, "PAGE", "1")
    run(p, " of ", size=FURNITURE_SIZE)
    _field(p, "NUMPAGES", "1")


def _field(p, instruction: str, shown: str) -> None:
    """A field as Word writes one: begin, the instruction, separate, the last result, end.
    Word and LibreOffice work out the result when they lay out the pages."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None)):
        r = run(p, "", size=FURNITURE_SIZE)
        if kind:
            char = etree.SubElement(r, qn("w:fldChar"))
            char.set(qn("w:fldCharType"), kind)
        else:
            instr = etree.SubElement(r, qn("w:instrText"))
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
    run(p, shown, size=FURNITURE_SIZE)
    end = run(p, "", size=FURNITURE_SIZE)
    etree.SubElement(end, qn("w:fldChar")).set(qn("w:fldCharType"), "end")
