"""The pages of each corpus site that are not articles: what a crawl of a news site also brings.

For every layout: a home page, a section front, a tag page, an author page with a short
biography, a paginated archive page, a search-results page, a "not found" page and a photo
gallery. Each is made the way the site makes its pages: the site's own chrome (head, header,
menus, sidebars, footer: taken from one of its rendered article pages) around the content
such a page has — teasers (headline link, dek, date) in the site's markup, an author bio,
pagination, a search box and result count, an apology, captioned photos. The head is made
what such a page's head is: its own title, canonical URL, ``og:type`` ``website`` and no
article metadata; the sites with JSON-LD declare the page type schema.org gives it.

Called by ``generate.py``; standard library only and deterministic.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

#: kind of page -> what `morgue index` does with it by default.
KINDS = {
    "home": "listing", "section": "listing", "tag": "listing", "author": "listing",
    "archive": "listing", "search": "listing", "notfound": "error", "gallery": "gallery",
}
#: JSON-LD @type of each kind of page, on the sites that declare one.
LD_TYPES = {
    "home": "WebSite", "section": "CollectionPage", "tag": "CollectionPage", "author": "ProfilePage",
    "archive": "CollectionPage", "search": "SearchResultsPage", "notfound": "WebPage",
    "gallery": "ImageGallery",
}
LD_SITES = {"meridian", "metronow", "gulf"}

FR = {"alpin"}
BIO = {
    "en": ("{name} has reported for {site} since {year}, covering local government, courts and the "
           "stories in between. Before that {name} worked for two regional weeklies. Send tips by "
           "email or follow on social media."),
    "fr": ("{name} est journaliste au {site} depuis {year}. Après des débuts dans la presse "
           "hebdomadaire, {name} suit l'actualité des vallées, des communes et des stations."),
}
WORDS = {
    "en": {"home": "Top stories", "tag": "Tagged: {x}", "author": "Latest from {x}",
           "archive": "Archive: {x}", "search": "Search results for “{x}”",
           "results": "{n} results found", "older": "« Older posts", "newer": "Newer posts »",
           "page": "Page {k} of {n}", "notfound": "Page not found",
           "sorry": "Sorry, the page you were looking for could not be found. It may have been moved or deleted.",
           "try": "Try searching the archive, or go to the home page.",
           "gallery": "In pictures: {x}", "intro": "Photographs from the week's stories.",
           "by": "By"},
    "fr": {"home": "À la une", "tag": "Mot-clé : {x}", "author": "Les articles de {x}",
           "archive": "Archives : {x}", "search": "Résultats de recherche pour « {x} »",
           "results": "{n} résultats", "older": "« Articles plus anciens", "newer": "Articles plus récents »",
           "page": "Page {k} sur {n}", "notfound": "Page introuvable",
           "sorry": "Désolé, la page que vous cherchez n'existe pas ou a été déplacée.",
           "try": "Essayez la recherche, ou revenez à la page d'accueil.",
           "gallery": "En images : {x}", "intro": "Les photos de la semaine.",
           "by": "Par"},
}


def e(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --------------------------------------------------------------------------- site markup

def teaser(layout: str, p, k: int, dek: bool = True) -> str:
    """One teaser (headline link, date, dek) in the site's own markup."""
    h, url, sf = e(p.headline), e(p.url or "/"), e(p.standfirst or p.paras[0][:160])
    date = p.pub_dt.strftime("%Y-%m-%d")
    if layout == "meridian":
        d = f'\n  <p class="card__standfirst">{sf}</p>' if dek else ""
        return (f'<div class="card card--{k}">\n  <h3 class="card__headline"><a href="{url}">{h}</a></h3>{d}\n'
                f'  <time datetime="{date}">{date}</time>\n</div>')
    if layout == "metronow":
        d = f"<p>{sf}</p>" if dek else ""
        return (f'<div class="story-card"><amp-img src="https://img.metrodailynow.com/thumb/{k}.jpg" width="120" '
                f'height="80" layout="fixed"></amp-img><h2><a href="{url}">{h}</a></h2>{d}</div>')
    if layout == "riverbend":
        d = f'<div class="entry-summary"><p>{sf} [&hellip;]</p></div>' if dek else ""
        return (f'<article class="post-{1000 + k} post type-post status-publish hentry">'
                f'<header class="entry-header"><h2 class="entry-title"><a href="{url}" rel="bookmark">{h}</a></h2>'
                f'<div class="entry-meta"><time class="entry-date published" datetime="{date}">{date}</time></div>'
                f'</header>{d}</article>')
    if layout == "courier":
        d = f'<br><font face="Arial, Helvetica, sans-serif" size="2">{sf}</font>' if dek else ""
        return (f'<tr><td valign="top"><font face="Georgia, Times New Roman, Times, serif" size="3"><b>'
                f'<a href="{url}">{h}</a></b></font><br><font face="Arial" size="1" color="#666666">'
                f'{p.pub_dt:%m/%d/%Y}</font>{d}</td></tr>\n<tr><td><img src="/images/spacer.gif" width="1" height="8"></td></tr>')
    if layout == "alpin":
        d = f'<p class="chapo">{sf}</p>' if dek else ""
        return f'<div class="bloc-article"><h2><a href="{url}">{h}</a></h2>{d}<span class="date">{date}</span></div>'
    if layout == "cpa":
        d = f"<p>{sf}</p>" if dek else ""
        return f'<div class="wire-item"><h3><a href="{url}">{h}</a></h3><p class="wire-time">{date}</p>{d}</div>'
    d = f'<p class="teaser__summary">{sf}</p>' if dek else ""  # gulf
    return f'<div class="teaser"><h3 class="teaser__title"><a href="{url}">{h}</a></h3>{d}</div>'


def figure(layout: str, c: dict, k: int) -> str:
    """A captioned photo with its credit shown the site's way."""
    text, credit = e(c["text"]), e(c.get("credit") or "")
    img = f'<img src="/gallery/photo-{k + 1}.jpg" width="800" height="533" alt="">'
    if layout == "metronow":
        img = f'<amp-img src="/gallery/photo-{k + 1}.jpg" width="800" height="533" layout="responsive"></amp-img>'
    if layout == "riverbend":
        cr = f" ({credit})" if credit else ""
        return f'<div class="wp-caption aligncenter">{img}<p class="wp-caption-text">{text}{cr}</p></div>'
    if layout == "courier":
        cr = f"<br><i>{credit}</i>" if credit else ""
        return (f'<table align="right" width="250" border="0" cellspacing="0" cellpadding="3" hspace="8">'
                f'<tr><td>{img}</td></tr><tr><td bgcolor="#F2F2F2"><font face="Arial, Helvetica, sans-serif" size="1">'
                f'{text}{cr}</font></td></tr></table>')
    style = {"meridian": f' <span class="credit">{credit}</span>', "metronow": f" Credit: {credit}",
             "alpin": f" © {credit}", "cpa": f" Photo: {credit}", "gulf": f" {credit}"}
    cr = style[layout] if credit else ""
    return f"<figure>{img}<figcaption>{text}{cr}</figcaption></figure>"


def wrap_list(layout: str, items: list[str]) -> str:
    if layout == "courier":
        return '<table width="100%" border="0" cellspacing="0" cellpadding="2">\n' + "\n".join(items) + "\n</table>"
    if layout == "riverbend":
        return "\n".join(items)
    cls = {"meridian": "section-front__cards", "metronow": "story-list", "alpin": "liste-articles",
           "cpa": "wire-list", "gulf": "teaser-list"}[layout]
    return f'<div class="{cls}">\n' + "\n".join(items) + "\n</div>"


def heading(layout: str, text: str) -> str:
    if layout == "courier":
        return f'<font face="Georgia, Times New Roman, Times, serif" size="5"><b>{e(text)}</b></font><br><br>'
    if layout == "riverbend":
        return f'<header class="page-header"><h1 class="page-title">{e(text)}</h1></header>'
    return f"<h1>{e(text)}</h1>"


def para(layout: str, text: str, cls: str = "") -> str:
    if layout == "courier":
        return f'<font face="Arial, Helvetica, sans-serif" size="2">{e(text)}</font><br><br>'
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{e(text)}</p>"


def pagination(layout: str, words: dict, k: int, n: int, base: str) -> str:
    older = f'<a href="{base}page/{k + 1}/">{e(words["older"])}</a>'
    newer = f'<a href="{base}page/{k - 1}/">{e(words["newer"])}</a>'
    if layout == "riverbend":
        return (f'<nav class="navigation posts-navigation" role="navigation"><div class="nav-links">'
                f'<div class="nav-previous">{older}</div><div class="nav-next">{newer}</div></div></nav>')
    if layout == "courier":
        return f'<font face="Arial" size="2">{older} | {e(words["page"].format(k=k, n=n))} | {newer}</font><br>'
    return (f'<div class="pagination"><span class="pagination__info">{e(words["page"].format(k=k, n=n))}</span> '
            f'{older} {newer}</div>')


# --------------------------------------------------------------------------- page content

def content(layout: str, kind: str, pages: list, lang: str, site: str) -> tuple[str, str, str]:
    """(page title, path under corpus/<layout>/, content markup) of one kind of page."""
    w = WORDS[lang]
    first = pages[0]
    sec = first.section
    if kind == "home":
        items = [teaser(layout, p, k, dek=k < 6) for k, p in enumerate(pages[:14])]
        return site, "index.html", heading(layout, w["home"]) + "\n" + wrap_list(layout, items)
    if kind == "section":
        same = [p for p in pages if p.section == sec] + [p for p in pages if p.section != sec]
        items = [teaser(layout, p, k) for k, p in enumerate(same[:10])]
        return f"{sec} | {site}", f"{slugify(sec)}/index.html", heading(layout, sec) + "\n" + wrap_list(layout, items)
    if kind == "tag":
        tag = next((t for p in pages for t in p.tags), sec)
        tagged = [p for p in pages if tag in p.tags] + [p for p in pages if tag not in p.tags]
        items = [teaser(layout, p, k) for k, p in enumerate(tagged[:8])]
        return (f"{tag} | {site}", f"tag/{slugify(tag)}/index.html",
                heading(layout, w["tag"].format(x=tag)) + "\n" + wrap_list(layout, items))
    if kind == "author":
        name = next((n for p in pages for n in p.byline), "Staff")
        mine = [p for p in pages if name in p.byline] + [p for p in pages if name not in p.byline]
        bio = BIO[lang].format(name=name, site=site, year=first.pub_dt.year)
        items = [teaser(layout, p, k) for k, p in enumerate(mine[:8])]
        photo = '<img class="author-photo" src="/static/authors/' + slugify(name) + '.jpg" width="120" height="120" alt="">'
        return (f"{name} | {site}", f"author/{slugify(name)}/index.html",
                heading(layout, name) + "\n" + photo + "\n" + para(layout, bio, "author-bio") + "\n"
                + heading(layout, w["author"].format(x=name)).replace("h1", "h2") + "\n" + wrap_list(layout, items))
    if kind == "archive":
        year = str(pages[len(pages) // 2].pub_dt.year)
        items = [teaser(layout, p, k) for k, p in enumerate((pages[3:] + pages[:3])[:10])]
        return (f"{w['archive'].format(x=year)} | {site}", f"{year}/page/2/index.html",
                heading(layout, w["archive"].format(x=year)) + "\n" + wrap_list(layout, items) + "\n"
                + pagination(layout, w, 2, 7, f"/{year}/"))
    if kind == "search":
        q = first.headline.split()[-1].strip(".,").lower()
        items = [teaser(layout, p, k) for k, p in enumerate(pages[1:9])]
        return (f"{w['search'].format(x=q)} | {site}", f"search/index.html@q={slugify(q)}.html",
                heading(layout, w["search"].format(x=q)) + "\n" + para(layout, w["results"].format(n=23), "search-count")
                + "\n" + wrap_list(layout, items) + "\n" + pagination(layout, w, 1, 3, f"/search/?q={q}&"))
    if kind == "notfound":
        return (f"{w['notfound']} | {site}", "404.html",
                heading(layout, w["notfound"]) + "\n" + para(layout, w["sorry"]) + "\n" + para(layout, w["try"]))
    # gallery: the site's captioned photos, one short intro line
    caps = [c for p in pages for c in p.captions][:8]
    topic = first.section
    figs = "\n".join(figure(layout, c, k) for k, c in enumerate(caps))
    return (f"{w['gallery'].format(x=topic)} | {site}", f"galleries/{slugify(topic)}-in-pictures/index.html",
            heading(layout, w["gallery"].format(x=topic)) + "\n" + para(layout, w["intro"]) + "\n" + figs)


# --------------------------------------------------------------------------- splicing into the chrome

_REGION = {  # (start, end) of the content column of an article page, by layout
    "courier": ('<td width="620">\n', '</td>\n</tr>\n<tr>\n<td colspan="3" align="center"'),
}
_DROP_META = re.compile(
    r'<meta (?:property|name)="(?:article:[^"]*|og:type|DC\.[^"]*|dateline|slug|twitter:[^"]*|news_keywords|'
    r'keywords|author|description|og:description|og:image)"[^>]*>\n?', re.I)
_LD = re.compile(r'<script type="application/ld\+json">.*?</script>\n?', re.S)


def splice(layout: str, donor: str, kind: str, title: str, url: str, body: str, site: str) -> str:
    """The donor article page with its article region, title and article metadata replaced."""
    head_end = donor.index("</head>")
    head, rest = donor[:head_end], donor[head_end:]
    head = re.sub(r"<title>.*?</title>", lambda m: f"<title>{e(title)}</title>", head, count=1, flags=re.S)
    head = _DROP_META.sub("", head)
    head = _LD.sub("", head)
    head = re.sub(r'(<link rel="canonical" href=")[^"]*', lambda m: m.group(1) + url, head)
    head = re.sub(r'(<meta property="og:url" content=")[^"]*', lambda m: m.group(1) + url, head)
    head = re.sub(r'(<meta property="og:title" content=")[^"]*', lambda m: m.group(1) + e(title), head)
    if "og:" in head:
        head = head.replace('<meta property="og:title"', '<meta property="og:type" content="website">\n<meta property="og:title"', 1)
    if layout in LD_SITES:
        ld = {"@context": "https://schema.org", "@type": LD_TYPES[kind], "name": title, "url": url,
              "publisher": {"@type": "Organization", "name": site}}
        head += f'<script type="application/ld+json">\n{json.dumps(ld, ensure_ascii=False)}\n</script>\n'
    if layout in _REGION:
        start_marker, end_marker = _REGION[layout]
        a = rest.index(start_marker) + len(start_marker)
        b = rest.rindex(end_marker)
    elif "<main" in rest:  # the whole main column: no comments or related posts on these pages
        a = rest.index(">", rest.index("<main")) + 1
        b = rest.index("</main>", a)
    else:
        a = rest.index("<article")
        b = rest.index("</article>", a) + len("</article>")
    rest = rest[:a] + f'<div class="{kind}-page">\n' + body + "\n</div>" + rest[b:]
    rest = re.sub(r'<body class="[^"]*"', f'<body class="{kind}-page"', rest, count=1)
    return head + rest


def build(pages: list, renderers: dict, site_names: dict) -> list[tuple[str, str, str, str]]:
    """[(layout, path under corpus/<layout>/, kind, page text)] for every layout's non-article pages."""
    out = []
    by_layout: dict[str, list] = {}
    for p in pages:
        if p.variant == "original":
            by_layout.setdefault(p.layout, []).append(p)
    for layout, lp in by_layout.items():
        lp = sorted(lp, key=lambda p: p.pub_dt, reverse=True)
        donor_page = next(p for p in lp if not p.gz)
        donor = renderers[layout](donor_page)[0]
        lang = "fr" if layout in FR else "en"
        site = site_names[layout]
        host = next((urlsplit(p.url).netloc for p in lp if p.url), f"www.{slugify(site).replace('-', '')}.com")
        for kind in KINDS:
            title, rel, body = content(layout, kind, lp, lang, site)
            url = f"https://{host}/{rel.removesuffix('index.html')}"
            out.append((layout, rel, kind, splice(layout, donor, kind, title, url, body, site)))
    return out
