"""Coverage-guided fuzz target (atheris/libFuzzer) for the query parser.

    python -m tests.fuzz.fuzz_query -runs=50000 -max_total_time=300 -timeout=10 tests/fuzz/seeds-query

Contract under test: `search.querylang.parse(text, schema)` never raises (bad syntax falls
back to the plain words and sets a notice) and never builds a query of more than
`MAX_TERMS` leaf terms plus the fixed field fan-out.
"""

from __future__ import annotations

import os
import sys

try:
    import atheris
except ImportError:  # pragma: no cover
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["search", "whoosh.qparser"]):
        from morgue.indexer.schema import build_schema
        from morgue.search.querylang import parse
else:  # pragma: no cover
    from morgue.indexer.schema import build_schema
    from morgue.search.querylang import parse

SCHEMA = build_schema()
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds-query")


def check(text: str) -> None:
    parsed = parse(text, SCHEMA, lang_fields=("text_en", "text_de"))
    if parsed.query is not None:
        leaves = sum(1 for _ in parsed.query.leaves()) if hasattr(parsed.query, "leaves") else 1
        assert leaves < 20_000, f"{leaves} leaf queries for {text[:80]!r}"
        str(parsed.query)  # printable


def TestOneInput(data: bytes) -> None:  # noqa: N802
    if atheris is not None:
        text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    else:  # pragma: no cover
        text = data.decode("utf-8", "replace")
    check(text)


def main(argv: list[str]) -> None:
    if atheris is None:
        from tests.fuzz._fallback import run_hypothesis_text
        run_hypothesis_text(check, argv)
        return
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
