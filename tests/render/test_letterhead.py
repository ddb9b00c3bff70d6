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
