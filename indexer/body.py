"""The main text: which blocks of the page are the article, and which lines are furniture.

The body is the best-scoring container (text density × (1 − link density), weighted by
explicit markup such as ``<article>`` or ``itemprop="articleBody"``), joined by other strong
boxes of prose and qualifying siblings, minus boilerplate blocks (share bars, related lists,
captions, credits, date lines, translation notices, ...).
"""

from __future__ import annotations

import re

from morgue.indexer import dates
from morgue.indexer.byline import BYLINE_LINE
from morgue.indexer.density import PARA_TAGS, Block, class_weight
from morgue.indexer.metadata import ld_text
from morgue.indexer.page import Page, attribute_text, normalize_space, token_overlap, word_tokens

_LETTERS = re.compile(r"[\d\W_]+")

#: Short lines in a body that are page furniture, not article text.
BOILERPLATE_LINE = re.compile(
    r"^(?:"
    r"beta v\.?\s*\d.*powered by automated translation|.*\bpowered by automated translation\b.*|"
    r".*\b(?:automated|automatic|machine) translation\b.*|"
    r"advertisement|advertising|anzeige|publicité|werbung|sponsored|ad|"
    r"share(?: this(?: article| story)?)?(?: on| via)?.{0,40}|teilen.{0,30}|partager.{0,30}|"
    r"(?:follow|like) us.{0,60}|tweet|print(?: this)?(?: article| page| story)?|e-?mail(?: this)?(?: article| story| page)?|"
    r"read more.{0,60}|continue reading.{0,60}|weiterlesen.{0,30}|lire la suite.{0,30}|"
    r"click here.{0,80}|"
    r"(?:sign up|subscribe|register)\b.{0,120}|"
    r"(?:also read|read also|see also|lire aussi|à lire aussi|a lire aussi|mehr zum thema|lesen sie auch)\b.{0,80}|"
    r"licensing and reprint.{0,120}|reprints? and permissions.{0,80}|"
    r"(?:bild anzeigen|beitragsbild|titelbild|bildquelle|quelle|source|crédits? photos?|credits?|image source)\s*:?.{0,80}|"
    r"(?:auch interessant|das (?:thema|könnte) .{0,40}interessieren|notas relacionadas|lee también|leer más|"
    r"weitere (?:informationen|artikel|beiträge|tipps|tourentipps|nachrichten)|vorschau auf den nächsten artikel|"
    r"you (?:may|might) also like|more from .{0,40}|related (?:posts|articles|stories|content)|"
    r"war (?:der|dieser) (?:artikel|beitrag) (?:nützlich|hilfreich)\??|möchten sie (?:den|diesen) artikel teilen\??|"
    r"(?:artikel|beitrag) teilen|if you enjoyed (?:reading )?this.{0,120}|verraten sie .{0,60}kommentaren.{0,60}|"
    r"kommentare (?:sind )?geschlossen\.?|comments are closed\.?)\.?|"
    r"never miss .{0,140}|zapraszamy .{0,100}|jede kleine spende.{0,200}|do you want to be (?:informed|notified).{0,140}|"
    r"we want to hear what you think.{0,140}|(?:jetzt )?abonnieren\b.{0,120}|this post contains (?:affiliate )?(?:links|references).{0,200}|"
    r"we recommend the best products.{0,200}|materiał chroniony prawem.{0,200}|"
    r"\d+\s*min(?:ute)?s?\.? read|lesezeit:?\s*\d+.{0,20}|(?:das|dieses|den) .{0,40}als pdf herunterladen|pdf|"
    r"(?:warning|notice|deprecated|fatal error): .{0,300}|"
    r"(?:der|dieser) (?:beitrag|eintrag|artikel) wurde .{0,200}(?:veröffentlicht|abgelegt|geschrieben).{0,100}|"
    r"this (?:story|article|report) (?:was |is )?(?:distributed|provided|supplied|syndicated|originally published|first published) by.{0,120}|"
    r"(?:related|more|recommended|popular|trending|most read|most popular)(?: (?:articles?|stories|news|content|posts|links|coverage|reading|on [\w ]{1,30}))?:?|"
    r"tags?:.{0,200}|topics?:.{0,200}|filed under:?.{0,200}|posted in .{0,200}|categories:.{0,200}|schlagwörter:.{0,200}|"
    r"(?:this|our) (?:site|website) uses cookies.*|.{0,80}\buse(?:s)? cookies\b.{0,200}|accept(?: all)? cookies.{0,80}|"
    r"we use cookies.*|cookie (?:policy|settings|preferences).{0,80}|"
    r"(?:copyright|©|\(c\)).{0,200}all rights reserved.{0,80}|all rights reserved.{0,80}|"
    r"(?:photo|image|picture|foto|credit|bild)s?\s*:\s*.{1,80}|"
    r"\(?(?:ap|afp|reuters|getty images|epa|pa|dpa)(?: photo)?(?:\s*/\s*[\w .'-]{1,40})?\)?|"
    r"©\s*.{1,80}|"
    r"comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply).{0,40}|"
    r"back to top|top of page|nach oben|zurück|skip to (?:main )?content|"
    r"(?:previous|next) (?:article|story|post).{0,120}|"
    r"loading\.{0,3}|please enable javascript.*|javascript (?:is )?(?:required|disabled).*"
    r")$",
    re.IGNORECASE,
)
#: A line that labels a date ("Updated:", "Publié le"): furniture in a body, evidence of a date.
DATE_LINE = re.compile(
    r"^(?:(?:last\s+)?(?:updated|published|posted|modified|created|date|dated|first published|"
    r"veröffentlicht|aktualisiert|stand|erstellt|publié|mis à jour|publicado|actualizado|"
    r"pubblicato|aggiornato)(?:\s+(?:on|at|am|le))?\s*:?\s*)",
    re.IGNORECASE,
)


def _block_ok(b: Block, container_dist: int | None) -> bool:
    if b.caption:
        return False
    if container_dist is not None and b.boiler < container_dist:
        return False
    ld = b.link_chars / b.chars if b.chars else 1.0
    if ld > 0.5 and not (b.chars > 250 and ld < 0.7):
        return False
    if b.in_li and ld > 0.35:
        return False
    if b.chars < 200 and BOILERPLATE_LINE.match(b.text):
        return False
    if b.chars < 120 and DATE_LINE.match(b.text) and dates.parse_text(b.text, use_dateparser=False):
        return False
    if b.chars < 60 and len(_LETTERS.sub("", b.text)) <= 20 and dates.parse_text(b.text, use_dateparser=False):
        return False  # a bare date line ("06/25/2008", "Tuesday, March 4, 2008")
    return True


def _score_blocks(blocks: list[Block], stats: dict, use_boiler: bool) -> None:
    for st in stats.values():
        st.score = 0.0
    for b in blocks:
        if b.caption or b.chars < 25 or (use_boiler and b.boiler < 10**6):
            continue
        if b.link_chars > b.chars * 0.5:
            continue
        s = 1.0 + b.text.count(",") + b.text.count("，") + min(b.chars // 100, 3)
        anc = b.anc
        if b.tag in PARA_TAGS:
            targets = anc[1:3]
        else:
            targets = anc[0:2]
        for k, aid in enumerate(targets):
            st = stats.get(aid)
            if st is not None:
                st.score += s if k == 0 else s / 2


#: A second prose box scoring at least this share of the best one joins the body.
UNION_SHARE = 0.35


def select_body(page: Page, head_idx: int, headline: str, standfirst: str) -> tuple[list[Block], set]:
    """(the body's blocks in page order, ids of the containers chosen for it)."""
    w = page.walk
    blocks, stats = w.blocks, w.stats
    if not blocks:
        return [], set()
    chosen: list[Block] = []
    container_ids: set = set()
    # A "boilerplate" region holding most of the page's text is a misleading class name
    # (a wrapper called "feed", "content-sidebar"...), not boilerplate.
    # Likewise a region flagged by a weak name ("ad", "meta", "tools"...) that holds several
    # real paragraphs. Comments, navigation, footers and related lists stay flagged.
    total = sum(b.chars for b in blocks) or 1
    good: dict = {}
    for b in blocks:
        if b.boiler_id and b.chars >= 120 and b.link_chars < 0.2 * b.chars and not b.caption:
            good[b.boiler_id] = good.get(b.boiler_id, 0) + 1
    unflag = set()
    for bid in {b.boiler_id for b in blocks if b.boiler_id}:
        st = stats.get(bid)
        if st is None:
            continue
        if st.chars > 0.5 * total:
            unflag.add(bid)
        elif good.get(bid, 0) >= 2 and st.el.name not in ("nav", "footer", "aside", "header") \
                and not _STRONG_BOILER.search(attribute_text(st.el)):
            unflag.add(bid)
    if unflag:
        for b in blocks:
            if b.boiler_id in unflag:
                b.boiler, b.boiler_id = 10**6, 0
    for use_boiler in (True, False):
        _score_blocks(blocks, stats, use_boiler)
        finals = {}
        for aid, st in stats.items():
            if st.score <= 0:
                continue
            ld = st.link_chars / st.chars if st.chars else 1.0
            finals[aid] = (st.score + class_weight(st.el) * min(1.0, st.score / 10)) * (1 - ld)
        if not finals:
            continue
        ranked = sorted(finals.items(), key=lambda kv: kv[1], reverse=True)
        top_id, top_score = ranked[0]
        top = stats[top_id].el
        # Strong candidates related to the top one: a comparable ancestor holds more of the
        # article (text split over several boxes); a common ancestor close above joins them.
        for a, sc in ranked[1:6]:
            if sc < top_score * 0.5:
                break
            el = stats[a].el
            if el.name in ("body", "html", "[document]"):
                continue
            up = _ancestor_distance(el, top)
            if up is not None:
                if up <= 1 and sc >= top_score * 0.8:
                    top, top_id = el, a
                continue
            if _ancestor_distance(top, el) is not None:
                continue
            lca, k = _common_ancestor(top, el)
            if lca is not None and k <= 3 and lca.name not in ("body", "html", "[document]"):
                st = stats.get(id(lca))
                if st is not None and st.chars and st.link_chars / st.chars < 0.3:
                    top, top_id = lca, id(lca)
        selected = {top_id}
        # Other strong, separate boxes of prose (pages built of several text boxes).
        for a, sc in ranked[1:12]:
            if sc < top_score * UNION_SHARE:
                break
            el = stats[a].el
            st = stats[a]
            if el.name in ("body", "html", "[document]") or not st.chars or st.link_chars > 0.25 * st.chars:
                continue
            if _ancestor_distance(el, top) is not None or _ancestor_distance(top, el) is not None:
                continue
            if any(_ancestor_distance(stats[x].el, el) is not None or _ancestor_distance(el, stats[x].el) is not None
                   for x in selected):
                continue
            selected.add(a)
        # siblings of the container that look like more of the same article
        parent = top.parent
        if parent is not None and parent.name not in ("[document]",):
            thresh = max(10.0, top_score * 0.2)
            for sib in parent.contents:
                if sib is top or getattr(sib, "name", None) is None:
                    continue
                st = stats.get(id(sib))
                if st is None or not st.chars:
                    continue
                ld = st.link_chars / st.chars
                if finals.get(id(sib), 0) >= thresh and ld < 0.3:
                    selected.add(id(sib))
                elif sib.name == "p" and ld < 0.25 and st.chars > 80:
                    selected.add(id(sib))
        out = []
        for b in blocks:
            dist = None
            for k, aid in enumerate(b.anc):
                if aid in selected:
                    dist = k
                    break
            if dist is None:
                continue
            if not _block_ok(b, dist if use_boiler else None):
                continue
            out.append(b)
        if out and use_boiler:
            out = _extend(blocks, out, top, stats, selected)
        out = _trim(out, head_idx, headline, standfirst)
        if out:
            chosen = out
            container_ids = selected
            break
    return chosen, container_ids


_STRONG_BOILER = re.compile(
    r"comment|reply|respond|disqus|discussion|footer|nav|menu|sidebar|related|cookie|consent|"
    r"newsletter|subscribe|most-?read|popular|trending|recommend|teaser|promo|share|social|author-?bio|"
    r"translat|disclaimer|license|licensing|rights|syndicat|also-?read|see-?also|more-")


def _extend(blocks: list[Block], out: list[Block], top, stats: dict, selected: set) -> list[Block]:
    """Add real paragraphs just outside the container (a lead paragraph or a second text box
    next to it): long, link-free, not boilerplate, under the same parent or grandparent."""
    near = set()
    p = top.parent
    for _ in range(2):
        if p is None or p.name in ("body", "html", "[document]"):
            break
        near.add(id(p))
        p = p.parent
    if not near:
        return out
    first, last = out[0].index, out[-1].index
    chosen = {b.index for b in out}
    extra = []
    for b in blocks[max(0, first - 12): min(len(blocks), last + 12)]:
        if b.index in chosen or b.caption or b.boiler < 10**6 or b.chars < 100:
            continue
        if b.link_chars > 0.1 * b.chars or b.tag not in ("p", "div", "blockquote", "li", "td"):
            continue
        if any(a in selected for a in b.anc):
            continue
        if not any(a in near for a in b.anc[:6]):
            continue
        if BOILERPLATE_LINE.match(b.text):
            continue
        extra.append(b)
    if not extra:
        return out
    return sorted(out + extra, key=lambda b: b.index)


def _ancestor_distance(a, el) -> int | None:
    """How many levels `a` is above `el`, or None if it is not an ancestor."""
    p = el.parent
    n = 1
    while p is not None and n < 200:
        if p is a:
            return n
        p = p.parent
        n += 1
    return None


def _common_ancestor(top, el):
    """(lowest common ancestor of top and el, its distance above top)."""
    chain = {}
    p = el.parent
    n = 0
    while p is not None and n < 200:
        chain[id(p)] = p
        p = p.parent
        n += 1
    p = top.parent
    k = 1
    while p is not None and k < 200:
        if id(p) in chain:
            return p, k
        p = p.parent
        k += 1
    return None, 0


def _trim(out: list[Block], head_idx: int, headline: str, standfirst: str) -> list[Block]:
    ht = word_tokens(headline) if headline else None
    st = word_tokens(standfirst) if standfirst else None
    res = []
    for b in out:
        if head_idx >= 0 and b.index <= head_idx and b.chars < 200:
            continue  # kicker, breadcrumbs, the headline itself
        tt = None
        if b.chars < 800:
            tt = word_tokens(b.text)
            if ht and tt == ht:
                continue
            if st and tt == st:
                continue
            if not tt:
                continue
        if b.heading and b.chars < 200 and b.heading <= 2 and ht and tt == ht:
            continue
        if b.chars < 80 and BYLINE_LINE.match(b.text) and len(b.text.split()) <= 8:
            continue
        res.append(b)
    # drop short trailing furniture after the last real paragraph (e.g. lone headings, "Share")
    while res and (res[-1].heading or (res[-1].chars < 25 and not res[-1].text.endswith((".", "!", "?", "\"", "”")))):
        res.pop()
    return res


def body_from_ld(page: Page, body: str, headline: str) -> str | None:
    """The JSON-LD ``articleBody`` when the page renders its text with scripts (the visible
    body is short and the JSON-LD copy, of the same headline, is much longer); else None."""
    ld_body = ld_text(page.ld_value("articleBody")) if page.article_ld is not None else None
    ld_head = ld_text(page.ld_value("headline")) if page.article_ld is not None else None
    if ld_body and len(body) < 600 and len(ld_body) > 2 * len(body) + 200 and (
            not ld_head or token_overlap(word_tokens(ld_head), word_tokens(headline)) >= 0.6):
        paras = [normalize_space(p) for p in re.split(r"\n\s*\n|\r?\n", ld_body) if normalize_space(p)]
        return "\n\n".join(paras)
    return None
