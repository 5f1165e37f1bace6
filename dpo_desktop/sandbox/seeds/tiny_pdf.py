"""A tiny valid one-page PDF naming a person: cheap enough to stand for 200,000 scans of the large seed.

The page text is Latin (the standard Helvetica font has no Cyrillic); the document's Title carries
the Russian wording in UTF-16, as PDF metadata may. Offsets in the cross-reference table are exact,
so PDF readers open it without repair.
"""

from __future__ import annotations


def render_tiny_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    text = ["BT /F1 14 Tf 56 780 Td 18 TL"]
    for line in lines:
        escaped = line.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    title_hex = ("FEFF" + title.encode("utf-16-be").hex().upper()).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title <" + title_hex + b"> /Producer (DPO Desk sandbox) >>",
    ]
    return pdf_of(objects, b"/Info %d 0 R" % len(objects))


def pdf_of(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from its object bodies (numbered from 1, object 1 the catalog) with an exact xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)
