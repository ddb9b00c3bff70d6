import io
import time
import zipfile

import pytest

from app.render.letterhead import OLE_MAGIC, LetterheadError, check_letterhead
from tests.render.fixtures.letters import letterhead_docx

MB = 1024 * 1024


def refused(data: bytes, **kwargs) -> str:
    with pytest.raises(LetterheadError) as caught:
        check_letterhead(data, **kwargs)
    return str(caught.value)


def repackaged(source: bytes, add=(), change=None) -> bytes:
    """A copy of the .docx `source` with members added and [Content_Types].xml edited."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "[Content_Types].xml" and change:
                data = data.replace(*change)
            new.writestr(info, data)
        for name, data in add:
            new.writestr(name, data)
    return out.getvalue()


def test_a_word_letterhead_is_accepted():
    check_letterhead(letterhead_docx())


def test_a_zip_bomb_is_refused_without_being_inflated(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        with zipfile.ZipFile(io.BytesIO(letterhead_docx())) as real:
            for info in real.infolist():
                bomb.writestr(info.filename, real.read(info))
        with bomb.open("word/media/image1.png", "w") as member:
            chunk = bytes(MB)
            for _ in range(200):
                member.write(chunk)
    data = out.getvalue()
    assert len(data) < MB
    opened = []
    original = zipfile.ZipFile.open

    def watching(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", watching)
    started = time.perf_counter()
    assert "expands to far more than a letterhead needs" in refused(data)
    assert time.perf_counter() - started < 2
    assert "word/media/image1.png" not in opened


def test_a_member_compressed_far_beyond_any_document_is_refused():
    data = repackaged(letterhead_docx(), add=[("word/media/image1.bmp", bytes(2 * MB))])
    assert "expands to far more" in refused(data)


def test_too_many_members_are_refused():
    data = repackaged(letterhead_docx(), add=[(f"extra/item{i}.xml", b"<a/>") for i in range(500)])
    assert "expands to far more" in refused(data)


def test_a_text_file_is_refused_as_not_a_word_document():
    assert refused(b"North Rheumatology\n12 Main St\n").startswith(
        "The letterhead must be a Word document (.docx)."
    )


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert "must be a Word document (.docx)" in refused(out.getvalue())


def test_a_macro_enabled_document_is_refused():
    docm = repackaged(
        letterhead_docx(),
        add=[("word/vbaProject.bin", b"\x00" * 64)],
        change=(
            b"officedocument.wordprocessingml.document.main+xml",
            b"ms-word.document.macroEnabled.main+xml",
        ),
    )
    assert "contains macros" in refused(docm)


def test_a_macro_enabled_content_type_is_refused_even_without_the_macros():
    docm = repackaged(
        letterhead_docx(),
        change=(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
    )
    assert "macro-enabled Word file" in refused(docm)


def test_a_template_is_refused_with_how_to_save_it_as_a_document():
    dotx = repackaged(letterhead_docx(), change=(b"document.main+xml", b"template.main+xml"))
    message = refused(dotx)
    assert "Word template (.dotx)" in message
    assert "Save As" in message


def test_an_old_doc_file_is_refused():
    assert "older Word .doc file" in refused(OLE_MAGIC + bytes(4096))


def test_a_password_protected_document_is_refused():
    encrypted = OLE_MAGIC + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    assert "password-protected" in refused(encrypted)


def test_an_oversize_file_is_refused_with_its_size_and_the_limit():
    message = refused(letterhead_docx() + bytes(6 * MB))
    assert message.startswith("The letterhead file is 6.0 MB; the limit is 5.0 MB.")
    assert "Compress Pictures" in message
    assert "is 2.0 MB; the limit is 1.0 MB" in refused(bytes(2 * MB), max_bytes=MB)


def test_a_broken_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(letterhead_docx())) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = b"not xml" if info.filename == "word/document.xml" else old.read(info)
            new.writestr(info, data)
    assert "could not be opened" in refused(out.getvalue())


# --- what a letterhead may carry into every letter ----------------------------------------

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
URL = "https://tracker.example.net/template.dotm"


def edited(source: bytes, add=(), edit=None) -> bytes:
    """A copy of the .docx `source`: members added (or replaced), others edited by `edit`."""
    edit = edit or {}
    added = dict(add)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = added.pop(info.filename, None) or old.read(info)
            if info.filename in edit:
                data = edit[info.filename](data)
            new.writestr(info, data)
        for name, data in added.items():
            new.writestr(name, data)
    return out.getvalue()


def rel(rid: str, kind: str, target: str, external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"{mode}/>'.encode()


def before_close(tag: bytes, extra: bytes):
    return lambda data: data.replace(tag, extra + tag, 1)


def rels_of(*relationships: bytes) -> bytes:
    return b'<?xml version="1.0"?><Relationships xmlns="%s">%s</Relationships>' % (
        PKG.encode(),
        b"".join(relationships),
    )


def hostile_letterhead() -> bytes:
    """A letterhead whose every letter would make Word fetch three web addresses, carrying a
    comment, custom properties and a hyperlink (which may stay)."""
    blip = (
        b'<w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        b' r:link="rId91"/></w:drawing></w:r>'
    )
    ole = (
        b'<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office"'
        b' r:id="rId92"/></w:object></w:r>'
    )
    link = b'<w:hyperlink r:id="rId93"><w:r><w:t>northrheum.example.org</w:t></w:r></w:hyperlink>'
    comment = b'<w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
    return edited(
        letterhead_docx(),
        add=[
            ("word/_rels/settings.xml.rels", rels_of(rel("rId1", "attachedTemplate", URL, True))),
            (
                "word/_rels/header1.xml.rels",
                rels_of(
                    rel("rId91", "image", "https://tracker.example.net/pixel.png", True),
                    rel("rId92", "oleObject", "file://tracker.example.net/share/x.xls", True),
                    rel("rId93", "hyperlink", "https://northrheum.example.org/", True),
                ),
            ),
            ("word/comments.xml", f'<w:comments xmlns:w="{W}"><w:comment w:id="0"/></w:comments>'),
            ("docProps/custom.xml", b"<Properties><property name='Ward'/></Properties>"),
        ],
        edit={
            "word/settings.xml": before_close(
                b"</w:settings>", b'<w:attachedTemplate r:id="rId1"/>'
            ),
            "word/header1.xml": before_close(b"</w:p>", blip + ole + link + comment),
            "word/_rels/document.xml.rels": before_close(
                b"</Relationships>", rel("rId99", "comments", "comments.xml")
            ),
            "_rels/.rels": before_close(
                b"</Relationships>",
                b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/'
                b'2006/relationships/custom-properties" Target="docProps/custom.xml"/>',
            ),
            "[Content_Types].xml": before_close(
                b"</Types>",
                b'<Override PartName="/word/comments.xml" ContentType="application/vnd.openxml'
                b'formats-officedocument.wordprocessingml.comments+xml"/>'
                b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxml'
                b'formats-officedocument.custom-properties+xml"/>',
            ),
        },
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_outside_links_comments_and_custom_properties_are_removed_and_named():
    accepted = check_letterhead(hostile_letterhead())
    assert set(accepted.removed) == {
        f"a template attached from outside the file ({URL})",
        "a picture linked from outside the file (https://tracker.example.net/pixel.png)",
        "an embedded object linked from outside the file (file://tracker.example.net/share/x.xls)",
        "comments",
        "custom document properties",
    }
    kept = package(accepted.data)
    everything = b"".join(kept.values())
    assert b"tracker.example.net" not in everything
    assert b"northrheum.example.org" in kept["word/_rels/header1.xml.rels"]  # a hyperlink stays
    assert b'TargetMode="External"' in kept["word/_rels/header1.xml.rels"]
    assert "word/comments.xml" not in kept and "docProps/custom.xml" not in kept
    assert b"comments" not in kept["[Content_Types].xml"]
    assert b"custom-properties" not in kept["[Content_Types].xml"]
    assert b"attachedTemplate" not in kept["word/settings.xml"]
    header = kept["word/header1.xml"]
    assert b"r:link" not in header and b"OLEObject" not in header and b"comment" not in header
    assert b"North Rheumatology" in header
    check_letterhead(accepted.data)  # what is kept is a letterhead that needs nothing removed
    assert check_letterhead(accepted.data).removed == ()


def test_a_letterhead_kept_before_cleaning_gives_letters_without_outside_links():
    from app.render.letterhead import base_document

    out = io.BytesIO()
    base_document(hostile_letterhead()).save(out)
    letter = b"".join(package(out.getvalue()).values())
    assert b"tracker.example.net" not in letter and b"Ward" not in letter


def test_a_clean_letterhead_is_kept_byte_for_byte():
    data = letterhead_docx()
    accepted = check_letterhead(data)
    assert accepted.data == data and accepted.removed == ()


def test_macros_under_another_name_are_refused():
    vba = OLE_MAGIC + bytes(64) + "_VBA_PROJECT".encode("utf-16-le") + bytes(64)
    renamed = edited(letterhead_docx(), add=[("word/media/logo.png", vba)])
    assert "contains macros" in refused(renamed)
    declared = edited(
        letterhead_docx(),
        add=[("word/settings2.bin", b"\x00" * 64)],
        edit={
            "[Content_Types].xml": before_close(
                b"</Types>",
                b'<Override PartName="/word/settings2.bin" '
                b'ContentType="application/vnd.ms-office.vbaProject"/>',
            )
        },
    )
    assert "contains macros" in refused(declared)
