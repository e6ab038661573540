"""Turning raw page bytes into text: gzip, size cap, binary sniffing and charset detection.

Order of evidence (first that applies wins):

1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. the ``charset`` of an HTTP ``Content-Type`` header, when the caller has one;
3. ``<meta charset>`` / ``<meta http-equiv="Content-Type" content="...; charset=...">`` in the
   first 8 KB (as browsers do);
4. the bytes themselves: strict UTF-8 first (cheap, and never wrong when it succeeds on
   non-ASCII text), then charset-normalizer (a maintained detector) on a sample.

Labels are mapped the way browsers map them (WHATWG Encoding Standard): ``iso-8859-1``,
``latin1`` and ``us-ascii`` all mean windows-1252, so curly quotes from Word survive.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib

from morgue.errors import ExtractionError

#: The most bytes of (decompressed) HTML that are decoded and parsed. Bigger pages are cut
#: here: no news article needs more, and it bounds parse time and memory.
MAX_BYTES = 20 * 1024 * 1024

#: Gzip input is decompressed up to this many bytes (a gzip bomb stops here).
_GZIP_MAGIC = b"\x1f\x8b"

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)

# WHATWG: these labels are decoded as windows-1252 by every browser.
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "unicode": "utf-16",  # a meta that says utf-16 on an 8-bit page is a lie; checked below
}

# Single-byte Western encodings a detector may propose for a page that is really windows-1252.
_WESTERN = {"latin_1", "iso8859_15", "cp1252", "mac_roman", "cp850", "cp437", "iso8859_1", "ascii"}

_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_TEXT_CONTROL_NUL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


#: Python codecs that a page may name but that are not page encodings: bytes-to-bytes or
#: str-to-str transforms are refused by codecs.lookup(...)._is_text_encoding; these are text
#: codecs no browser decodes a page with (UTF-7 is a classic XSS vector; idna, punycode and
#: undefined raise whatever the error handler). A page naming one is treated as undeclared.
_NOT_PAGE_ENCODINGS = {
    "utf-7", "idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape",
    "unicode_escape", "raw_unicode_escape", "mbcs", "oem", "charmap", "palmos",
}


def _lookup(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None if unknown or not a page encoding."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    try:  # a page encoding decodes ASCII markup as ASCII with errors="replace"
        if b"<p>a</p>".decode(info.name, errors="replace") != "<p>a</p>":
            return None
    except (LookupError, UnicodeError, TypeError, ValueError):
        return None
    return info.name


def maybe_gunzip(data: bytes) -> bytes:
    """Decompress gzip data (magic bytes 1f 8b), capped at MAX_BYTES; other data unchanged."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, MAX_BYTES)
        # Concatenated gzip members are rare for pages; one member is enough.
        if not out and not d.eof:
            raise ExtractionError("broken gzip data: truncated or corrupt stream")
        return out
    except zlib.error as exc:
        raise ExtractionError(f"broken gzip data: {exc}") from None
    except (EOFError, OSError, gzip.BadGzipFile) as exc:  # pragma: no cover - defensive
        raise ExtractionError(f"broken gzip data: {exc}") from None


def looks_binary(data: bytes) -> str | None:
    """A reason string if the bytes are clearly not text (image, PDF, archive...), else None."""
    head = data[:1024]
    signatures = {
        b"%PDF": "a PDF document",
        b"\x89PNG": "a PNG image",
        b"GIF8": "a GIF image",
        b"\xff\xd8\xff": "a JPEG image",
        b"PK\x03\x04": "a ZIP archive",
        b"\x7fELF": "an executable",
        b"RIFF": "a RIFF media file",
        b"OggS": "an Ogg media file",
        b"\x00\x00\x01\x00": "an icon",
        b"BZh": "a bzip2 archive",
        b"\xfd7zXZ": "an xz archive",
        b"7z\xbc\xaf": "a 7z archive",
        b"%!PS": "a PostScript document",
        b"\xd0\xcf\x11\xe0": "an MS Office document",
        b"wOFF": "a web font",
        b"ID3": "an MP3 file",
    }
    for magic, what in signatures.items():
        if head.startswith(magic):
            return f"binary data ({what}), not HTML"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    sample = data[:8192]
    if not sample:
        return None
    # UTF-16 without BOM has a NUL every other byte: allow it when the pattern is regular.
    nuls = sample.count(b"\x00")
    if nuls and (sample[1::2].count(b"\x00") > len(sample) * 0.4 or sample[0::2].count(b"\x00") > len(sample) * 0.4):
        return None
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) * 0.05):
        return "binary data (too many control bytes), not HTML"
    return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset a BOM, the HTTP header or a <meta> declares (a Python codec name)."""
    if data.startswith(codecs.BOM_UTF8):
        try:  # a BOM on bytes that are not UTF-8 (a cp1251 page saved by a broken editor) lies
            data.decode("utf-8-sig")
            return "utf-8-sig"
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                return "utf-8-sig"  # cut in the middle of a character: still UTF-8
            data = data[3:]
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if content_type:
        m = _CT_CHARSET.search(content_type)
        if m and (enc := _lookup(m.group(1))):
            return enc
    m = _META_CHARSET.search(data[:8192])
    if m and (enc := _lookup(m.group(1).decode("ascii", "replace"))):
        if enc.startswith("utf-16") or enc.startswith("utf-32"):
            # An ASCII-compatible page cannot be UTF-16: browsers ignore such a meta.
            return None
        return enc
    return None


def detect(data: bytes) -> str:
    """The encoding of undeclared bytes: strict UTF-8, else charset-normalizer, else cp1252."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A page cut in the middle of a multi-byte character is still UTF-8.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    # Detection on the high-byte-bearing part of the page is enough and much faster.
    sample = data if len(data) <= 200_000 else data[:200_000]
    results = from_bytes(sample, steps=5, chunk_size=1024, threshold=0.3)
    best = results.best()
    enc = best.encoding if best is not None else None
    if best is not None and enc != "cp1252":
        # Ties are common on mostly-ASCII pages (cp1250, cp1257... decode "á ñ é" equally
        # cleanly): prefer windows-1252, the web's default for undeclared pages.
        for m in results:
            if "cp1252" in (m.could_be_from_charset or [m.encoding]) and \
                    m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01:
                enc = "cp1252"
                break
    if enc is None:
        return "cp1252"
    name = _lookup(enc) or "cp1252"
    if name in _WESTERN or name.replace("-", "_") in _WESTERN:
        # The web's undeclared Western pages are windows-1252 (a superset of latin-1 in practice).
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return name
    return name


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding) of page bytes. Raises ExtractionError for empty or binary data."""
    data = maybe_gunzip(data)
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
    if not data.strip():
        raise ExtractionError("empty page: no bytes to extract an article from")
    reason = looks_binary(data)
    if reason:
        raise ExtractionError(reason)
    enc = declared_charset(data, content_type)
    header_wins = bool(content_type and _CT_CHARSET.search(content_type) and _lookup(_CT_CHARSET.search(content_type).group(1)))
    if enc is not None and not header_wins and enc not in ("utf-8", "utf-8-sig", "utf-16") and not data.isascii():
        # Bytes that are valid UTF-8 *and* contain multi-byte sequences are UTF-8 whatever the
        # page claims (a single-byte text almost never forms valid UTF-8 sequences by chance).
        try:
            text = data.decode("utf-8")
            return _clean(text), "utf-8"
        except UnicodeDecodeError:
            pass
    if enc is not None:
        if enc == "utf-8":
            # A page that declares UTF-8 but is not (very common in old archives).
            try:
                text = data.decode("utf-8")
                return _clean(text), "utf-8"
            except UnicodeDecodeError:
                enc = detect(data)
        return _decode(data, enc)
    return _decode(data, detect(data))


def _decode(data: bytes, enc: str) -> tuple[str, str]:
    if enc != "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        return _clean(data.decode(enc, errors="replace")), enc
    except (LookupError, UnicodeError, TypeError, ValueError):  # a codec that cannot replace
        return _clean(data.decode("cp1252", errors="replace")), "cp1252"


def _clean(text: str) -> str:
    """Drop the BOM, NULs and C0 controls that lxml rejects."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text or _TEXT_CONTROL_NUL.search(text):
        text = _TEXT_CONTROL_NUL.sub("", text)
    return text
