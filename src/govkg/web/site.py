"""The static site (``govkg site``): the server's pages and three representations of every
resource written as files into build/site/, with content-negotiation rules for nginx and Apache,
so any static host can serve the graph.

A resource at ``id/org/x`` becomes ``id/org/x.html``, ``.ttl`` and ``.jsonld`` (``def/`` becomes
``def/index.*``); the other formats come from ``govkg serve`` and the dumps. The rules map the
extensionless IRI to one of them by Accept. Org charts exist for each snapshot date, comparisons
for each snapshot and the one before it; a small script sends the date forms to them. The
downloads are linked in beside (copied where a link cannot be made).

The site is rebuilt only as far as it changed: ``.govkg-site.json`` records the sha256 of every
file written and of what the site was made from (the build's manifest and this package's code).
Nothing is done when neither changed; otherwise every page is rendered and only files whose
content changed are written, and files no longer made are removed. The pages are rendered by
processes forked once the model is read, each taking every n-th run of neighbouring resources;
how they are divided never changes a byte (tests/test_site_parallel.py). A page that reads no
language itself is rendered once for both languages (``bilingual``; tests/test_site_bilingual.py).
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from .. import i18n
from ..formats import FILE_MEDIA, HTML, SITE_FORMATS, file_name
from ..iris import Iris
from ..outdir import contained
from . import bilingual, describe, government, national, pages, retired
from .assets import static_asset
from .model import Model, base_of

DOWNLOADS = ("govkg.nq", "govkg.trig", "govkg.ttl", "govkg.jsonld", "context.jsonld", "void.ttl",
             "ontology", "queries", "shapes")
STATE = ".govkg-site.json"
RUN = 256  # resources or pages that go to one process together


@dataclass(frozen=True)
class SiteSummary:
    written: int
    unchanged: int
    removed: int
    skipped: bool  # nothing had changed since the last run


def build_site(build: Path, out: Path | None = None) -> SiteSummary:
    """Brings ``out`` (default ``build/site``) up to date with the published ``build`` folder."""
    out = out or build / "site"
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    source = hashlib.sha256(json.dumps([manifest["files"], _code_digest()], sort_keys=True).encode()).hexdigest()
    state = _read_state(out)
    if state.get("source") == source and _all_present(out, state.get("files", {})):
        return SiteSummary(0, len(state["files"]), 0, True)
    before: dict[str, str] = state.get("files", {})
    store = Store()
    store.bulk_load(path=str(build / "govkg.nq"), format=RdfFormat.N_QUADS)
    model = Model.from_build(store, build, Iris(base_of(build)))
    model.resources()  # read once here, before the fork, not once per child
    government.of(model)  # likewise
    pages.compile_templates()
    global _SITE
    _SITE = (model, build, manifest["files"], out, before, not _holds_start(build))  # what the forked writers read
    shares = max(1, min(os.cpu_count() or 1, 4))
    gc.collect()
    gc.freeze()  # what the model holds stays shared with the children: their collections never touch it
    try:
        with ProcessPoolExecutor(shares, mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_write_share, [(i, shares) for i in range(shares)]))
    finally:
        gc.unfreeze()
        _SITE = None
    files = {path: digest for part, _ in done for path, digest in part.items()}
    written = sum(n for _, n in done)
    gone = sorted(set(before) - set(files))
    for path in gone:
        contained(out, path).unlink(missing_ok=True)
    tmp = out / f"{STATE}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps({"source": source, "files": files}, ensure_ascii=False, sort_keys=True, indent=0),
                   encoding="utf-8")
    tmp.replace(out / STATE)
    return SiteSummary(written, len(files) - written, len(gone), False)


_SITE: tuple | None = None


def _write_share(share: tuple[int, int]) -> tuple[dict[str, str], int]:
    """Renders and writes one share of the site (in a forked child); its files' digests and how many were written."""
    model, build, published, out, before, once = _SITE
    files: dict[str, str] = {}
    written = 0
    made: set[Path] = set()
    for path, digest, content in _files(model, build, published, share, once):
        files[path] = digest
        target = contained(out, path)
        if before.get(path) == digest and target.is_file():
            continue
        if target.parent not in made:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(content, Path):  # a release file: linked, not copied, where the folders allow it
            target.unlink(missing_ok=True)
            try:
                os.link(content, target)
            except OSError:
                shutil.copyfile(content, target)
        else:
            _write(target, content)
        written += 1
    return files, written


def _write(target: Path, content: bytes) -> None:
    """``target.write_bytes(content)`` in three system calls: the site writes a quarter of a
    million files, and a buffered file object costs more than the write itself."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _all_present(out: Path, files: dict[str, str]) -> bool:
    """Whether every file of the last run is still in ``out``: one walk of the folder (its
    entries' types come with the listing), not a lookup per file."""
    present: set[str] = set()
    todo = [(str(out), "")]
    while todo:
        folder, prefix = todo.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((entry.path, prefix + entry.name + "/"))
                    elif entry.is_file(follow_symlinks=False):
                        present.add(prefix + entry.name)
        except OSError:
            return False
    return present.issuperset(files)


def _read_state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def _code_digest() -> str:
    """The sha256 of the code that renders the site: a change to a page's code changes the site."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".css", ".js", ".html"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _files(model: Model, release: Path, published: dict[str, str], share: tuple[int, int] = (0, 1),
           once: bool | None = None) -> Iterator[tuple[str, str, bytes | Path]]:
    """The files of the site in ``share`` (i, n): of the resources and pages, taken in runs of
    ``RUN``, every n-th run from the i-th on. A run keeps neighbours (a unit's duties, a law
    version's provisions) in one process, where they share what the model read for them.

    Each file is (path, sha256, content or the release file to copy).
    """
    counter = iter(range(1 << 62))

    def mine() -> bool:
        return next(counter) // RUN % share[1] == share[0]

    def made(path: str, text: str | bytes):
        data = text.encode("utf-8") if isinstance(text, str) else text
        return path, hashlib.sha256(data).hexdigest(), data

    once = not _holds_start(release) if once is None else once
    downloads = {name: digest for name, digest in published.items()
                 if name in DOWNLOADS or name.split("/", 1)[0] in DOWNLOADS}
    for name, digest in sorted(downloads.items()):
        if mine():
            yield name, digest, release / name
    for iri in model.resources():
        path = model.local(iri)
        if path in downloads or not path or not mine():
            continue
        target = retired.replacement(model, iri)
        if target:
            for name, _ in _variants(model, path, file_name(path, HTML)):
                yield made(name, retired.redirect_page(model, path, target))
        else:
            for name, text in _in_each_language(model, path, file_name(path, HTML),
                                                lambda p: pages.resource_page(p, iri), once):
                yield made(name, text)
        for fmt, body in describe.representations(model, iri, SITE_FORMATS[1:]).items():
            yield made(file_name(path, fmt), body)
    for fmt in SITE_FORMATS[1:]:
        if mine():
            yield made(file_name(".well-known/void", fmt), describe.representation(model, model.void_dataset(), fmt))

    def page(path: str, render, bilingual_too: bool = False):  # the pages that read no language themselves
        return ([made(name, text) for name, text in _in_each_language(model, path, path + ".html", render,
                                                                     once and bilingual_too)] if mine() else [])

    yield from page("index", pages.home_page)
    yield from page("orgchart", pages.orgchart_index)
    yield from page("government", national.index_page)
    for n in government.of(model).snapshots:
        yield from page(f"government/{n.date}", lambda p: national.national_page(p, n.date))
    yield from page("sparql", lambda p: pages.sparql_page(p))
    # The host serves 404.html at any depth, so its links start from the site's root.
    if mine():
        yield made("404.html", pages.not_found_page(pages.Page(model, "404", static=True, absolute=True), None))
    yield from page(".well-known/void", pages.dataset_page)
    for body, snaps in sorted(model.snapshots.items()):
        key = model.iris.key(body)
        yield from page(f"orgchart/{key}", lambda p: pages.orgchart_page(p, key, None), True)
        for a in snaps:
            yield from page(f"orgchart/{key}/{a.date}", lambda p: pages.orgchart_page(p, key, a.date), True)
        for a, b in zip(snaps, snaps[1:]):
            yield from page(f"compare/{key}/{a.date}/{b.date}", lambda p: pages.compare_page(p, key, a.date, b.date), True)
    if mine():
        for name in ("govkg.css", "govkg.js"):
            yield made(f"static/{name}", static_asset(name))
        yield made("nginx.conf", _nginx(model))
        yield made(".htaccess", _htaccess(model))
        yield made(retired.GONE_PAGE, retired.gone_page(model))


def variant(html_name: str, lang: str) -> str:
    """The file of a page in ``lang``: ``X.html`` in Korean (the default), ``X.en.html`` in English."""
    return html_name if lang == i18n.DEFAULT else f"{html_name[:-len('.html')]}.{lang}.html"


def _variants(model: Model, path: str, html_name: str) -> Iterator[tuple[str, pages.Page]]:
    """The page at ``path`` in each language, each linking to the other's file (the host picks
    one by the ``lang`` cookie or Accept-Language: nginx.conf, .htaccess)."""
    for lang in i18n.LANGS:
        other = variant(html_name, i18n.other(lang)).rsplit("/", 1)[-1]
        yield variant(html_name, lang), pages.Page(model, path, static=True, lang=lang, switch=other)


def _in_each_language(model: Model, path: str, html_name: str, render, once: bool) -> list[tuple[str, str]]:
    """The page at ``path`` (``render`` of its ``Page``) in each language: rendered ``once`` for
    both (``bilingual``), or once per language where a page reads its language itself."""
    names = {lang: variant(html_name, lang) for lang in i18n.LANGS}
    if once:
        with bilingual.rendering():
            try:
                switch = bilingual.chosen({lang: names[i18n.other(lang)].rsplit("/", 1)[-1] for lang in i18n.LANGS})
                both = render(pages.Page(model, path, static=True, lang=bilingual.LANG, switch=switch))
                return [(names[lang], bilingual.fill(both, lang, lambda local, lang: pages.kind_text(model, local, lang)))
                        for lang in i18n.LANGS]
            except bilingual.Unfilled:
                pass
    return [(name, render(page)) for name, page in _variants(model, path, html_name)]


def _holds_start(release: Path) -> bool:
    """Whether the data holds the character that starts a placeholder of ``bilingual``, raw or
    escaped: text the filling could not tell from its own, so the pages are then rendered once
    per language. One read of the dataset (half a second for MOIS)."""
    needles = (bilingual.START.encode(), b"\\u0002", b"\\U00000002")
    for name in ("govkg.nq", "ontology/govkg.ttl", "void.ttl"):
        with (release / name).open("rb") as data:
            tail = b""
            while chunk := data.read(1 << 24):
                window = tail + chunk  # a needle may straddle two chunks
                if any(needle in window for needle in needles):
                    return True
                tail = chunk[-16:]
    return False


_MEDIA_SUFFIXES: dict[str, list[str]] = {}
for _suffix, _media in FILE_MEDIA.items():
    _MEDIA_SUFFIXES.setdefault(_media, []).append(_suffix[1:])
_TYPES = "".join(f"    {media} {' '.join(suffixes)};\n" for media, suffixes in _MEDIA_SUFFIXES.items())


def _nginx(model: Model) -> str:
    return f"""# govkg static site: include this in a server block whose root is build/site/.
# Extensionless IRIs get the file of the type Accept asks for; the first match below wins (q-values
# are not weighed: `govkg serve` weighs them). Suffix URLs (.ttl, .jsonld …) are plain files.
# Replaced IRIs answer 301 to the IRI that replaces them, withdrawn ones 410 (docs/identity.md).
# Put the maps in the http block. The page's language: the `lang` cookie the switch sets, else
# English when Accept-Language names English first; Korean (the X.html files) otherwise.
{retired.nginx_maps(model)}map "$cookie_lang:$http_accept_language" $govkg_lang {{
    default                       "";
    "~^en:"                       ".en";
    "~^:\\s*en"                   ".en";
}}
map $http_accept $govkg_suffix {{
    default                       html;
    "~*text/html"                 html;
    "~*application/xhtml\\+xml"    html;
    "~*text/turtle"               ttl;
    "~*application/ld\\+json"      jsonld;
}}

# In the server block:
types {{
{_TYPES}}}
charset utf-8;
charset_types text/turtle application/ld+json application/n-triples application/rdf+xml application/trig
              application/n-quads text/css text/javascript application/sparql-query text/tab-separated-values;
error_page 404 /404.html;
{retired.NGINX_GONE}location / {{
{retired.NGINX_CHECKS}    add_header Vary "Accept, Accept-Language, Cookie";
    add_header X-Content-Type-Options nosniff;
    try_files $uri $uri$govkg_lang.$govkg_suffix $uri.$govkg_suffix $uri/index$govkg_lang.$govkg_suffix
              $uri/index.$govkg_suffix =404;
}}
location = / {{
    add_header Vary "Accept-Language, Cookie";
    try_files /index$govkg_lang.html /index.html =404;
}}
# A live SPARQL endpoint, if `govkg serve` runs beside:
# location = /sparql {{ proxy_pass http://127.0.0.1:8080; }}
"""

def _rule(media: str, condition: str, target: str) -> str:
    pattern = media.replace("+", "\\+")
    return (f"RewriteCond %{{HTTP_ACCEPT}} {pattern}\n{condition}"
            f"RewriteCond %{{REQUEST_FILENAME}}{target} -f\nRewriteRule ^(.*)$ $1{target} [L]\n")


_RULES = "".join(_rule(f.media, "RewriteCond %{REQUEST_URI} /$\n", f"index.{f.suffix}") + _rule(f.media, "", f".{f.suffix}")
                 for f in SITE_FORMATS)

_ADD_TYPES = "".join(f"AddType {media} {suffix}\n" for suffix, media in FILE_MEDIA.items())


def _htaccess(model: Model) -> str:
    return f"""# govkg static site on Apache (mod_rewrite, mod_headers): DocumentRoot build/site/, AllowOverride All.
# Extensionless IRIs get the file of the type Accept asks for; the first match wins (q-values are
# not weighed: `govkg serve` weighs them); otherwise HTML. Replaced IRIs answer 301 to the IRI that
# replaces them, withdrawn ones 410 (docs/identity.md).
Options -MultiViews -Indexes
DirectorySlash Off
DirectoryIndex index.html
AddDefaultCharset utf-8
{_ADD_TYPES}AddCharset utf-8 .ttl .jsonld .nt .rdf .trig .nq .rq .tsv .css .js
ErrorDocument 404 /404.html
Header append Vary "Accept, Accept-Language, Cookie"
Header set X-Content-Type-Options nosniff

RewriteEngine On
RewriteBase /
{retired.htaccess_rules(model)}RewriteCond %{{REQUEST_FILENAME}} -f
RewriteRule ^ - [L]
{_RULES}# The page's language: the `lang` cookie the switch sets, else English when Accept-Language names
# English first; Korean (the X.html files) otherwise.
RewriteCond %{{HTTP_COOKIE}} (^|;\\s*)lang=en(;|$) [OR]
RewriteCond %{{HTTP_COOKIE}}::%{{HTTP:Accept-Language}} ^(?!.*lang=)[^:]*::\\s*en
RewriteRule ^ - [E=GOVKG_LANG:.en]
RewriteCond %{{REQUEST_URI}} /$
RewriteCond %{{REQUEST_FILENAME}}index%{{ENV:GOVKG_LANG}}.html -f
RewriteRule ^(.*)$ $1index%{{ENV:GOVKG_LANG}}.html [L]
RewriteCond %{{REQUEST_URI}} /$
RewriteCond %{{REQUEST_FILENAME}}index.html -f
RewriteRule ^(.*)$ $1index.html [L]
RewriteCond %{{REQUEST_FILENAME}}%{{ENV:GOVKG_LANG}}.html -f
RewriteRule ^(.*)$ $1%{{ENV:GOVKG_LANG}}.html [L]
RewriteCond %{{REQUEST_FILENAME}}.html -f
RewriteRule ^(.*)$ $1.html [L]
"""
