"""What a letterhead .docx may carry into every letter, and what is taken out of it first.

A letterhead is copied into each exported letter, so anything in it that makes Word reach
out, or that travels with the file unseen, would go to every payer: a template attached from
a web address (settings.xml.rels), a picture or an embedded object linked from outside the
file (`TargetMode="External"`), comments, custom document properties. Those are removed
and named for the user; hyperlinks stay (Word opens them only when clicked). Macros are
refused, under whatever name or content type they hide.

Works on the zip itself (the checks in letterhead.py have sized it first) so that every part
is seen, including those no relationship reaches.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

HYPERLINK = R_NS + "/hyperlink"
# What each kind of outside link would make Word do, in the words the user is told.
EXTERNAL = {
    "attachedTemplate": "a template attached from outside the file",
    "image": "a picture linked from outside the file",
    "oleObject": "an embedded object linked from outside the file",
    "subDocument": "a subdocument linked from outside the file",
    "frame": "a frame linked from outside the file",
}
COMMENT_PARTS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible", "people")
CUSTOM_PROPERTIES = "custom-properties"
MACRO_MARKS = ("vbaproject", "vbadata", "macroenabled", "ms-office.vbaproject")
COMMENT_MARKS = ("commentRangeStart", "commentRangeEnd", "commentReference")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class MacrosFound(ValueError):
    """The package carries macros (a VBA project), whatever its parts are called."""


@dataclass(frozen=True)
class Cleaned:
    """The package with nothing that reaches outside it, and what was removed (for the user)."""

    data: bytes
    removed: tuple[str, ...]


def clean_docx(data: bytes, refuse_macros: bool = True) -> Cleaned:
    """Remove outside links (not hyperlinks), comments and custom properties from the .docx
    `data`. Raises MacrosFound for a VBA project (with `refuse_macros`; else removes it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        contents = {m.filename: archive.read(m) for m in members}
    types = etree.fromstring(contents["[Content_Types].xml"], _PARSER)
    removed: list[str] = []
    drop: set[str] = set()
    macros = _macro_parts(contents, types)
    if macros and refuse_macros:
        raise MacrosFound(", ".join(sorted(macros)))
    if macros:
        drop |= macros
        removed.append("macros")
    changed: dict[str, bytes] = {}
    for name in [n for n in contents if n.endswith(".rels")]:
        rels = etree.fromstring(contents[name], _PARSER)
        source = _source_of(name)
        gone: set[str] = set()
        for rel in list(rels):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            part = None if external else _resolve(source, target)
            why = None
            if external and rel.get("Type") != HYPERLINK:
                why = EXTERNAL.get(kind, "a link to something outside the file")
                why += f" ({_shown(target)})"
            elif kind in COMMENT_PARTS:
                why = "comments"
            elif kind == CUSTOM_PROPERTIES:
                why = "custom document properties"
            elif part in drop:
                why = ""
            if why is None:
                continue
            rels.remove(rel)
            gone.add(rel.get("Id", ""))
            if part:
                drop.add(part)
            if why and why not in removed:
                removed.append(why)
        if gone:
            changed[name] = _xml(rels)
            if source in contents:
                changed[source] = _unreference(changed.get(source, contents[source]), gone)
    if "comments" in removed:
        for name in contents:
            if name.startswith("word/") and name.endswith(".xml") and name not in drop:
                content = changed.get(name, contents[name])
                if b"comment" in content:
                    changed[name] = _without_comment_marks(content)
    if not drop and not changed:
        return Cleaned(data, ())
    for override in list(types):
        if override.get("PartName", "").lstrip("/") in drop:
            types.remove(override)
    changed["[Content_Types].xml"] = _xml(types)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for member in members:
            if member.filename not in drop:
                package.writestr(member, changed.get(member.filename, contents[member.filename]))
    return Cleaned(out.getvalue(), tuple(removed))


def _macro_parts(contents: dict[str, bytes], types: etree._Element) -> set[str]:
    """Parts that are, or are declared as, a VBA project: by name, content type or bytes."""
    found = set()
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "").lower()
        for d in types
        if d.tag == f"{{{TYPES_NS}}}Default"
    }
    overrides = {
        o.get("PartName", "").lstrip("/"): o.get("ContentType", "").lower()
        for o in types
        if o.tag == f"{{{TYPES_NS}}}Override"
    }
    for name, content in contents.items():
        kind = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        if (
            "vbaproject" in name.lower()
            or any(mark in kind for mark in MACRO_MARKS)
            # A VBA project is a compound file holding a `_VBA_PROJECT` stream.
            or (content.startswith(OLE_MAGIC) and "_VBA_PROJECT".encode("utf-16-le") in content)
        ):
            found.add(name)
    return found


def _source_of(rels_name: str) -> str:
    """`word/_rels/settings.xml.rels` -> `word/settings.xml` (`_rels/.rels`: the package)."""
    folder, file = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), file[: -len(".rels")])


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _shown(target: str) -> str:
    return target if len(target) <= 80 else target[:77] + "..."


def _unreference(content: bytes, ids: set[str]) -> bytes:
    """The part without what pointed at the removed relationships: a picture keeps its place
    without the outside link; an attached template or linked object goes."""
    root = etree.fromstring(content, _PARSER)
    for element in list(root.iter()):
        for attribute, value in list(element.attrib.items()):
            if attribute.startswith(f"{{{R_NS}}}") and value in ids:
                if attribute == f"{{{R_NS}}}link":
                    del element.attrib[attribute]
                elif element.getparent() is not None:
                    element.getparent().remove(element)
                    break
    return _xml(root)


def _without_comment_marks(content: bytes) -> bytes:
    root = etree.fromstring(content, _PARSER)
    for mark in COMMENT_MARKS:
        for element in list(root.iter(f"{{{W_NS}}}{mark}")):
            element.getparent().remove(element)
    return _xml(root)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
