"""A team's letterhead: the checks on an upload, and the letterhead as a letter's base document.

The letterhead is only ever a base document: its header, footer, styles and page setup frame
the letter, and its body is thrown away. Nothing in it is evaluated (no template tags are
rendered, no fields updated, no macros run), so it needs no sandbox. What can hurt is the
file itself: a zip that inflates to gigabytes, a macro-enabled or encrypted package, or
something that is not a Word document at all. `check_letterhead` refuses those with a
message a clinic's office manager can act on, reading only the zip's directory (never
inflating a member it has not sized first).

`base_document` opens the letterhead (or a plain page when there is none) for a letter, and
the style helpers add what a letterhead made outside Word may lack.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor
from docx.styles.style import BaseStyle

from app.render.docx_parts import Cleaned, MacrosFound, clean_docx

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
# Word's own XML compresses about 10:1; a tiny member can show a large ratio without being
# dangerous, so the ratio is judged only on members big enough to matter.
RATIO_FLOOR = 256 * 1024
MAX_MEMBERS = 500
MAX_CONTENT_TYPES = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SAVE_AS = "Open it in Word and use File > Save As > Word Document (.docx)."
MACROS = (
    "The letterhead contains macros, which are not accepted. Save it as a Word Document "
    "(.docx), not a macro-enabled one, and upload it again."
)


class LetterheadError(ValueError):
    """The uploaded file cannot be used as a letterhead; str() is a message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_letterhead(data: bytes, max_bytes: int = MAX_BYTES) -> Cleaned:
    """Accept `data` as a letterhead .docx or raise `LetterheadError` saying why not; returns
    the letterhead to keep, without outside links, comments and custom properties, and what
    was removed (docx_parts.py).

    Refused: files over `max_bytes`; anything that is not a .docx (plain files, .doc,
    templates, macro-enabled documents, any package carrying a VBA project under any name);
    password-protected documents; zip bombs (over 500 members, over 50 MB uncompressed in
    total, or a member compressed more than 100:1); and documents Word's format reader cannot
    open.
    """
    if len(data) > max_bytes:
        raise LetterheadError(
            f"The letterhead file is {_megabytes(len(data))}; the limit is "
            f"{_megabytes(max_bytes)}. Remove large pictures or compress them in Word "
            "(Picture Format > Compress Pictures) and upload it again."
        )
    if data.startswith(OLE_MAGIC):
        # Word stores a password-protected .docx inside the old compound-file container.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise LetterheadError(
                "The letterhead is password-protected. Remove the password in Word "
                "(File > Info > Protect Document) and upload it again."
            )
        raise LetterheadError(f"The letterhead is an older Word .doc file. {SAVE_AS}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise LetterheadError(_not_word()) from None
    with archive:
        members = archive.infolist()
        _check_sizes(members)
        names = {m.filename for m in members}
        if any(m.flag_bits & 0x1 for m in members):
            raise LetterheadError(
                "The letterhead is encrypted. Save an unprotected copy in Word and upload that."
            )
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise LetterheadError(MACROS)
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise LetterheadError(_not_word())
        content_types = _read(archive, "[Content_Types].xml")
    _check_content_type(content_types)
    try:
        cleaned = clean_docx(data)
        docx.Document(io.BytesIO(cleaned.data))
    except MacrosFound:
        raise LetterheadError(MACROS) from None
    except Exception as error:
        raise LetterheadError(
            f"The letterhead looks like a Word document but could not be opened. {SAVE_AS}"
        ) from error
    return cleaned


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    bomb = (
        "The letterhead file expands to far more than a letterhead needs and was refused "
        "as unsafe. Save the letterhead again from Word and upload the new copy."
    )
    if len(members) > MAX_MEMBERS:
        raise LetterheadError(bomb)
    # The directory's sizes are trusted only as upper bounds: Python's zipfile stops
    # inflating a member at its declared size, so a lying entry fails its CRC instead.
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise LetterheadError(bomb)
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise LetterheadError(bomb)


def _read(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > MAX_CONTENT_TYPES:
        raise LetterheadError(_not_word())
    try:
        return archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
        raise LetterheadError(_not_word()) from None


def _check_content_type(content_types: str) -> None:
    lowered = content_types.lower()
    if "macroenabled" in lowered:
        raise LetterheadError(
            "The letterhead is a macro-enabled Word file (.docm or .dotm), which is not "
            f"accepted. {SAVE_AS}"
        )
    if "wordprocessingml.template.main+xml" in lowered:
        raise LetterheadError(f"The letterhead is a Word template (.dotx). {SAVE_AS}")
    if DOCUMENT_TYPE not in content_types:
        raise LetterheadError(_not_word())


def _not_word() -> str:
    return f"The letterhead must be a Word document (.docx). {SAVE_AS}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- the letterhead as the base document of a letter ------------------------------------


def base_document(letterhead: bytes | None) -> DocxDocument:
    """The document a letter is written into: the letterhead with its body removed (header,
    footer, styles and page setup kept; outside links, comments, custom properties and
    macros removed), or a plain page with house styles."""
    if letterhead is None:
        doc = docx.Document()
        _house_styles(doc)
        return doc
    # A letterhead kept before uploads were cleaned is cleaned here: no letter links outside.
    doc = docx.Document(io.BytesIO(clean_docx(letterhead, refuse_macros=False).data))
    body = doc.element.body
    # The final sectPr carries the header/footer references and page setup: keep it only.
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _house_styles(doc: DocxDocument) -> None:
    """Plain, fax-friendly styles for a letter without a letterhead."""
    section = doc.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.08
    # The default template's headings and captions are blue theme text that faxes poorly.
    for name, size, bold, italic in (("Heading 2", 12, True, False), ("Caption", 9, False, True)):
        style = doc.styles[name]
        _clear_theme_font(style)
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        style.font.color.rgb = RGBColor(0, 0, 0)
    heading = doc.styles["Heading 2"].paragraph_format
    heading.space_before = Pt(14)
    heading.space_after = Pt(4)


def _clear_theme_font(style: BaseStyle) -> None:
    # Theme font attributes win over an explicit font name, so they must go.
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    color = rpr.find(qn("w:color")) if rpr is not None else None
    if color is not None:
        color.attrib.pop(qn("w:themeColor"), None)


def has_style(doc: DocxDocument, name: str, kind: WD_STYLE_TYPE) -> bool:
    """Whether `doc` defines a style `name` of the given kind."""
    try:
        return doc.styles[name].type == kind
    except KeyError:
        return False


def heading_style(doc: DocxDocument) -> str:
    """Return "Heading 2", added as a real outline-level heading if the letterhead lacks it."""
    if not has_style(doc, "Heading 2", WD_STYLE_TYPE.PARAGRAPH):
        style = doc.styles.add_style("Heading 2", WD_STYLE_TYPE.PARAGRAPH)
        # Word's own built-in heading, not a custom style that merely shares its name.
        style.element.attrib.pop(qn("w:customStyle"), None)
        style.base_style = doc.styles["Normal"]
        style.font.bold = True
        fmt = style.paragraph_format
        fmt.keep_with_next = True
        fmt.space_before = Pt(12)
        fmt.space_after = Pt(4)
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "1")
        style.element.get_or_add_pPr().append(level)
    return "Heading 2"


def numbered_style(doc: DocxDocument) -> str | None:
    """Return "List Number" if the base document has it and it really numbers paragraphs."""
    if not has_style(doc, "List Number", WD_STYLE_TYPE.PARAGRAPH):
        return None
    ppr = doc.styles["List Number"].element.pPr
    return "List Number" if ppr is not None and ppr.numPr is not None else None


def body_size(doc: DocxDocument) -> float:
    """The body text size in points: Normal's, else the document default, else Word's 11."""
    size = doc.styles["Normal"].font.size
    if size is not None:
        return size.pt
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:sz"))
    sz = doc.styles.element.find(path)
    return int(sz.get(qn("w:val"))) / 2 if sz is not None else 11.0


def text_width(doc: DocxDocument) -> Emu:
    """The width between the margins of the last section."""
    section = doc.sections[-1]
    sizes = (section.page_width, section.left_margin, section.right_margin)
    if any(s is None for s in sizes):
        return Inches(6.5)
    return Emu(sizes[0] - sizes[1] - sizes[2])
