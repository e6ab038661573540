"""Coverage-guided fuzz target (atheris/libFuzzer) for the extractor.

    python -m tests.fuzz.fuzz_extract [libFuzzer flags] [CORPUS_DIR...]
    python -m tests.fuzz.fuzz_extract -runs=20000 -max_total_time=300 -timeout=20 tests/fuzz/seeds

Contract under test: `extract(bytes)` returns an `Article` or raises `ExtractionError`;
anything else (another exception, a hang past -timeout, memory past -rss_limit_mb) is a bug
and libFuzzer writes the input to crash-*/timeout-*/oom-*.

Without atheris installed, `--hypothesis N` runs N random inputs through the same check.
"""

from __future__ import annotations

import os
import sys

try:
    import atheris
except ImportError:  # pragma: no cover - hypothesis fallback
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["indexer"]):
        from morgue.errors import ExtractionError
        from morgue.indexer.extract import extract
else:  # pragma: no cover
    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")


def check(data: bytes) -> None:
    """One input: an Article with string fields, or ExtractionError. Anything else raises."""
    try:
        art = extract(data, path="fuzz.html", url="https://fuzz.test/a/b",
                      content_type="text/html; charset=utf-8" if data[:1] == b"\x01" else None)
    except ExtractionError as exc:
        assert str(exc), "ExtractionError without a message"
        return
    assert art.headline or art.body
    for name in ("headline", "body", "standfirst"):
        v = getattr(art, name)
        assert v is None or isinstance(v, str)
        assert v is None or "\x00" not in v, f"NUL byte in {name}"


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris expects
    check(data)


def main(argv: list[str]) -> None:
    if atheris is None:
        from tests.fuzz._fallback import run_hypothesis
        run_hypothesis(check, argv)
        return
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
