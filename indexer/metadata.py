"""Machine-readable metadata: JSON-LD (``NewsArticle``, ``@graph``), OpenGraph, Twitter cards,
Dublin Core and other ``<meta>`` conventions, and schema.org microdata (``itemprop``)."""

from __future__ import annotations

import json
import re
from typing import Any

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "socialmediaposting", "liveblogposting", "posting", "report",
    "askpublicnewsarticle", "satiricalarticle", "advertisertcontentarticle", "medicalwebpage",
}
_WEAK_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage", "recipe", "product", "event"}


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower().rsplit("/", 1)[-1]}
    if isinstance(t, list):
        return {str(x).lower().rsplit("/", 1)[-1] for x in t}
    return set()


def _flatten(data: Any, out: list, depth: int = 0) -> None:
    """All dict objects of a JSON-LD payload (top level, lists and @graph), iteratively bounded."""
    stack = [(data, 0)]
    while stack:
        item, d = stack.pop()
        if d > 6:
            continue
        if isinstance(item, list):
            stack.extend((x, d + 1) for x in reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            g = item.get("@graph")
            if g is not None:
                stack.append((g, d + 1))


_CTRL = re.compile(r"[\x00-\x1f]")

#: A JSON-LD script longer than this is skipped (real ones are a few KB; articleBody copies
#: of long stories reach a few hundred KB).
MAX_LD_CHARS = 4_000_000


def parse_ld(scripts: list[str]) -> tuple[dict | None, list[dict]]:
    """(the best article object, all objects) from the page's JSON-LD scripts."""
    objs: list[dict] = []
    for raw in scripts:
        if not raw:
            continue
        raw = raw.strip()
        if raw.startswith("<!--"):
            raw = raw[4:]
        if raw.endswith("-->"):
            raw = raw[:-3]
        raw = raw.strip().rstrip(";")
        if len(raw) > MAX_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except RecursionError:  # [[[[...]]]] nested deeper than the interpreter's stack
            continue
        except ValueError:
            try:
                data = json.loads(_CTRL.sub(" ", raw))
            except (ValueError, RecursionError):
                continue
        _flatten(data, objs)
    best = None
    best_rank = 0
    for o in objs:
        t = _types(o)
        if t & ARTICLE_TYPES:
            rank = 3 if "headline" in o else 2
        elif t & _WEAK_TYPES and ("headline" in o or "datePublished" in o):
            rank = 1
        else:
            continue
        if rank > best_rank:
            best, best_rank = o, rank
    if best is not None:
        # The article may point to its main entity / author objects elsewhere in the graph.
        pass
    return best, objs


def ld_names(value: Any, objs_by_id: dict | None = None, limit: int = 20) -> list[str]:
    """Names of person/organisation values: "X", {"name": "X"}, [{"@id": ...}], ..."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:limit]:
        if isinstance(item, str):
            if item.strip() and not item.startswith(("http://", "https://")):
                out.append(item.strip())
        elif isinstance(item, dict):
            name = item.get("name")
            if not name and objs_by_id and item.get("@id") in objs_by_id:
                name = objs_by_id[item["@id"]].get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str) and name.strip():
                out.append(name.strip())
    return out


def ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("@id") or value.get("url")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


class Metas:
    """``<meta>`` values by lower-cased key (name / property / itemprop / http-equiv)."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.d: dict[str, list[str]] = {}
        for k, v in pairs:
            v = v.strip()
            if v:
                self.d.setdefault(k, []).append(v)

    def first(self, *keys: str) -> str | None:
        for k in keys:
            v = self.d.get(k)
            if v:
                return v[0]
        return None

    def all(self, key: str) -> list[str]:
        return self.d.get(key, [])


def microdata_value(el) -> str | None:
    """The value of an itemprop element the way schema.org microdata defines it."""
    a = el.attrs
    for attr in ("content", "datetime"):
        v = a.get(attr)
        if v:
            return str(v).strip()
    if el.name in ("a", "link") and a.get("href"):
        return str(a["href"]).strip()
    if el.name in ("img", "audio", "video", "source") and a.get("src"):
        return str(a["src"]).strip()
    text = el.get_text(" ", strip=True)
    return " ".join(text.split())[:2000] or None
