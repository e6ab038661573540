"""Write the nasty inputs (hostile pages) into a directory, at test time.

The big ones (a 50 MB page, a 5 MB paragraph, 10,000-deep nesting...) are generated, never
committed; the small hand-written ones live in tests/nasty/files/ and are copied beside them.

    python -m tests.nasty.make_nasty OUT_DIR [--small]   # --small: skip the 50 MB page
    python -m tests.nasty.make_nasty --check DIR [NAME...] # extract each file, one JSON line each

Each entry of `NASTY` is (file name, expectation): "article" means a clean article must come
out, "error" a clear per-file ExtractionError, "either" that both are acceptable (what
matters is that it finishes within the bound and never stops a batch).
"""

from __future__ import annotations

import gzip
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

PARA = ("The harbour commission met on Tuesday to discuss the dredging of the outer channel, "
        "which has silted up since the winter storms and now limits the size of ships. ")


def page(body: str, *, head: str = "", title: str = "Harbour commission approves dredging plan",
         charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!DOCTYPE html><html lang=\"en\"><head>{meta}<title>{title}</title>{head}</head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def _body(n: int = 4) -> str:
    return "".join(f"<p>{PARA}Paragraph {i}.</p>" for i in range(n))


def generated(big: bool = True) -> dict[str, tuple[bytes, str]]:
    rnd = random.Random(1234)
    out: dict[str, tuple[bytes, str]] = {}
    # binary files named .html
    out["binary-random.html"] = (bytes(rnd.getrandbits(8) for _ in range(64 * 1024)), "error")
    out["binary-png.html"] = (b"\x89PNG\r\n\x1a\n" + bytes(rnd.getrandbits(8) for _ in range(4096)), "error")
    out["binary-pdf.html"] = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(rnd.getrandbits(8) for _ in range(8192)), "error")
    out["binary-elf.html"] = (b"\x7fELF\x02\x01\x01\x00" + bytes(2000), "error")
    out["zip.html"] = (b"PK\x03\x04" + bytes(rnd.getrandbits(8) for _ in range(2048)), "error")
    # empty and almost-empty
    out["empty.html"] = (b"", "error")
    out["whitespace.html"] = (b" \n\t\r\n  " * 100, "error")
    out["bom-only.html"] = (b"\xef\xbb\xbf", "error")
    out["tags-only.html"] = (b"<html><head></head><body></body></html>", "error")
    out["nul-only.html"] = (b"\x00" * 10000, "error")
    # NUL bytes sprinkled in a real page
    out["nul-bytes.html"] = (page(_body()).encode().replace(b"commission", b"commis\x00sion")
                             .replace(b"<p>", b"<p>\x00"), "article")
    # a 50 MB page (cut at MAX_BYTES) and a 5 MB single paragraph
    if big:
        filler = ("<div class=\"c\"><span>" + PARA + "</span></div>\n")
        n = (50 * 1024 * 1024) // len(filler) + 1
        out["huge-50mb.html"] = (page(_body() + filler * n).encode(), "either")
    words = [PARA.split()[i % 25] for i in range(5 * 1024 * 1024 // 6)]
    out["paragraph-5mb.html"] = (page("<p>" + " ".join(words) + "</p>").encode(), "article")
    # one 5 MB word with no spaces, and a 2 MB attribute
    out["word-5mb.html"] = (page("<p>" + "a" * (5 * 1024 * 1024) + "</p>" + _body(2)).encode(), "either")
    out["attribute-2mb.html"] = (page(f'<p class="{"x" * (2 * 1024 * 1024)}">{PARA}</p>' + _body(2)).encode(),
                                 "article")
    # deep nesting: 10,000 divs, 10,000 unclosed <b>, 10,000 tables
    out["nesting-div-10k.html"] = (page("<div>" * 10000 + _body() + "</div>" * 10000).encode(), "article")
    out["nesting-unclosed-10k.html"] = (page("<b><i>" * 10000 + _body()).encode(), "either")
    out["nesting-table-10k.html"] = (page("<table><tr><td>" * 10000 + _body()).encode(), "either")
    out["nesting-blockquote-100k.html"] = (page("<blockquote>" * 100000 + _body()).encode(), "either")
    # broken gzip
    good = gzip.compress(page(_body()).encode())
    out["broken-gzip-truncated.html.gz"] = (good[: len(good) // 2], "either")  # what survives is parsed
    out["broken-gzip-header.html"] = (b"\x1f\x8b\x08\x00garbage-after-the-magic", "error")
    out["broken-gzip-crc.html.gz"] = (good[:-8] + b"\x00" * 8, "either")
    out["gzip-bomb.html.gz"] = (gzip.compress(b"<p>" + b"a" * (200 * 1024 * 1024)), "either")
    out["gzip-of-gzip.html.gz"] = (gzip.compress(gzip.compress(page(_body()).encode())), "either")
    out["gzip-ok.html.gz"] = (good, "article")
    # mislabelled charsets
    text = page(_body() + "<p>Zoë’s café — naïve façade, Straße, Ærø.</p>", charset=None)
    out["utf8-says-latin1.html"] = (text.replace("<head>", '<head><meta charset="iso-8859-1">').encode(), "article")
    out["latin1-says-utf8.html"] = (text.replace("<head>", '<head><meta charset="utf-8">')
                                    .encode("cp1252", "replace"), "article")
    out["utf16-says-utf8.html"] = (text.replace("<head>", '<head><meta charset="utf-8">').encode("utf-16-le"),
                                   "either")
    out["utf8-says-utf16.html"] = (text.replace("<head>", '<head><meta charset="utf-16">').encode(), "article")
    out["bogus-charset.html"] = (text.replace("<head>", '<head><meta charset="x-no-such-charset-42">').encode(),
                                 "article")
    out["charset-rot13.html"] = (text.replace("<head>", '<head><meta charset="rot13">').encode(), "article")
    out["charset-idna.html"] = (text.replace("<head>", '<head><meta charset="idna">').encode(), "article")
    out["charset-base64.html"] = (text.replace("<head>", '<head><meta charset="base64">').encode(), "article")
    out["charset-utf7.html"] = (text.replace("<head>", '<head><meta charset="utf-7">').encode(), "article")
    for label in ("rot13", "base64", "idna", "punycode", "undefined", "hex", "zlib", "utf-7", "unicode_escape"):
        # codecs Python knows but no page is encoded in, on bytes that are not UTF-8
        out[f"cp1252-says-{label}.html"] = (text.replace("<head>", f'<head><meta charset="{label}">')
                                            .encode("cp1252", "replace"), "article")
    out["sjis-says-utf8.html"] = (page("<p>" + "日本語の記事本文です。" * 50 + "</p>", charset="utf-8")
                                  .encode("shift_jis"), "either")
    out["mixed-encodings.html"] = (page(_body()).encode() + "Zoë café".encode("cp1252") + "日本".encode(),
                                   "article")
    out["bom-utf16be.html"] = (codecs_bom_be(page(_body())), "article")
    # all script, all style
    out["all-script.html"] = (("<html><head><script>" + "var x = 1;\n" * 100000 + "</script></head>"
                               "<body><script>document.write('<p>hello</p>')</script></body></html>").encode(), "error")
    out["all-style.html"] = (("<html><head><style>" + "p{color:red}\n" * 50000 + "</style></head><body>"
                              "</body></html>").encode(), "error")
    out["unclosed-script.html"] = (("<html><body><script>" + "var x = '<p>not text</p>';\n" * 20000)
                                   .encode(), "either")
    out["unclosed-title.html"] = (("<html><head><title>Harbour dredging" + _body(30)).encode(), "either")
    out["unclosed-comment.html"] = (("<html><body><h1>Harbour</h1><!-- " + _body(30)).encode(), "either")
    # many tags, many attributes, many links
    out["tags-500k.html"] = (page("<span></span>" * 500_000 + _body()).encode(), "either")
    out["attrs-100k.html"] = (page("<p " + " ".join(f"a{i}=\"{i}\"" for i in range(100_000)) + ">" + PARA
                                   + "</p>").encode(), "either")
    out["links-only.html"] = (page("".join(f'<a href="/{i}">link {i}</a> ' for i in range(50000))).encode(), "either")
    out["entities-1m.html"] = (page("<p>" + "&amp;&#x1F600;&#0;&#xD800;&#99999999999;" * 100_000 + "</p>").encode(),
                               "either")
    # hostile metadata
    out["jsonld-deep.html"] = (page(_body(), head='<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000
                                    + "</script>").encode(), "article")
    out["jsonld-huge.html"] = (page(_body(), head='<script type="application/ld+json">{"@type":"NewsArticle",'
                                    '"headline":"' + "h" * 1_000_000 + '","datePublished":"99999-99-99",'
                                    '"author":' + '{"name":' * 5000 + '"x"' + '}' * 5000 + '}</script>').encode(),
                               "article")
    out["meta-dates-bad.html"] = (page(_body(), head="".join(
        f'<meta property="article:published_time" content="{d}">' for d in
        ["0000-00-00", "9999-99-99T99:99:99", "-1", "1e308", "2021-02-30", "２０２１-０３-０４", "x" * 100000]))
        .encode(), "article")
    out["time-els-many.html"] = (page("".join(f'<time datetime="{i}">{i} hours ago</time>' for i in range(20000))
                                      + _body()).encode(), "article")
    out["url-hostile.html"] = (page(_body(), head='<link rel="canonical" href="javascript:alert(1)">'
                                    '<meta property="og:url" content="http://[::1">').encode(), "article")
    out["control-chars.html"] = (page(_body() + "<p>" + "".join(chr(i) for i in range(1, 32)) * 100
                                      + "\u202e\ufeff\ufffe\U0010ffff</p>").encode("utf-8", "surrogatepass"), "either")  # many control bytes: may be refused as binary
    out["lone-surrogates.html"] = (page(_body()).encode() + b"\xed\xa0\x80\xed\xbf\xbf", "article")
    out["crlf-only.html"] = (page(_body()).replace("\n", "\r").encode(), "article")
    out["xml-not-html.html"] = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "' + b"A" * 1000 + b'">'
                                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><item><title>&b;</title>'
                                b'</item></rss>', "either")
    out["svg-script.html"] = (page(_body() + '<svg><script>alert(1)</script><foreignObject><p>'
                                   + PARA + '</p></foreignObject></svg>').encode(), "article")
    out["plain-text.html"] = ((PARA * 50).encode(), "error")
    return out


def codecs_bom_be(text: str) -> bytes:
    return b"\xfe\xff" + text.encode("utf-16-be")


def committed() -> dict[str, tuple[bytes, str]]:
    """The small hand-written nasty files (expectation from the name: error-*, either-*, else article)."""
    out = {}
    for p in sorted(FILES.glob("*")):
        if p.is_file():
            kind = "error" if p.name.startswith("error-") else "either" if p.name.startswith("either-") else "article"
            out[p.name] = (p.read_bytes(), kind)
    return out


def write_all(directory: str | os.PathLike[str], *, big: bool = True) -> dict[str, str]:
    """Write every nasty input into `directory`; return {file name: expectation}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    kinds = {}
    for name, (data, kind) in {**generated(big), **committed()}.items():
        (directory / name).write_bytes(data)
        kinds[name] = kind
    return kinds




def check_dir(directory: str | os.PathLike[str], names: list[str] | None = None) -> list[dict]:
    """Extract each file of `directory` in this process: [{name, outcome, cpu_seconds, rss_mb, detail}].

    `outcome` is "article", "error" (ExtractionError) or "crash" (any other exception).
    `cpu_seconds` is the CPU time the extraction used (not wall time, which a loaded machine
    stretches); `rss_mb` is this process's peak resident memory after the file (it only grows).
    """
    import resource
    import time

    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract

    out = []
    for name in names or sorted(os.listdir(directory)):
        data = (Path(directory) / name).read_bytes()
        started = time.process_time()
        try:
            art = extract(data, path=name)
            outcome, detail = "article", f"{art.headline[:60]!r}, {len(art.body)} body chars"
        except ExtractionError as exc:
            outcome, detail = "error", str(exc)
        except BaseException as exc:  # noqa: BLE001 - the point is to see every failure
            outcome, detail = "crash", f"{type(exc).__name__}: {exc}"[:300]
        del data
        out.append({"name": name, "outcome": outcome, "cpu_seconds": round(time.process_time() - started, 3),
                    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "detail": detail})
    return out


if __name__ == "__main__":  # pragma: no cover
    import json

    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--check":
        for row in check_dir(sys.argv[2], sys.argv[3:] or None):
            print(json.dumps(row), flush=True)
    else:
        kinds = write_all(sys.argv[1], big="--small" not in sys.argv)
        print(f"{len(kinds)} nasty files written to {sys.argv[1]}")
