"""Page kinds on real article pages: how many Morgue keeps as articles (issue 21), per half.

    python -m bench.pagekind [--limit N] [--show K]

Every page of ``../shared/data/extraction/`` (both sets, read in place) is a real article
page, so every page not kept (`morgue.indexer.pagekind.INDEXED_KINDS`) is a loss. Pages the
extractor fails on are counted apart (they are not indexed today either).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from bench.captions import DATA, load
from bench.halves import half


def main(argv: list[str] | None = None) -> int:
    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract
    from morgue.indexer.pagekind import INDEXED_KINDS

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each data set")
    ap.add_argument("--show", type=int, default=0, help="list K pages of half A that are not kept")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"no benchmark data at {DATA} (../shared/data/extraction is not present)", file=sys.stderr)
        return 2
    kinds = {"A": Counter(), "B": Counter()}
    lost = []
    for _name, r, html in load(args.limit):
        h = half(r["file"])
        try:
            art = extract(html, url=r["url"])
        except ExtractionError:
            kinds[h]["(extraction failed)"] += 1
            continue
        kinds[h][art.kind] += 1
        if art.kind not in INDEXED_KINDS and h == "A":
            lost.append((r["file"], art.kind, art.kind_reason))
    print("| half | pages | kept | kept share | not kept | kinds |")
    print("|---|---|---|---|---|---|")
    for h, c in kinds.items():
        failed = c["(extraction failed)"]
        pages = sum(c.values()) - failed
        kept = sum(v for k, v in c.items() if k in INDEXED_KINDS)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
        print(f"| {h} | {pages} | {kept} | {kept / pages if pages else 0:.4f} | {pages - kept} | {detail} |")
    for f, k, why in lost[: args.show]:
        print(f"  {f}: {k}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
