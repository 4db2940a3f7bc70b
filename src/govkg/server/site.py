"""The static site: the server's pages and representations written as files into build/site/, with
content-negotiation rules for nginx and Apache, so any static host can serve the graph.

A resource at ``id/org/x`` becomes ``id/org/x.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``,
``.trig`` and ``.nq`` (``def/`` becomes ``def/index.*``); the rules map the extensionless IRI to one
of them by Accept. Org charts exist for each snapshot date, comparisons for each snapshot and the one
before it; a small script sends the date forms to them. The downloads are copied in beside.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import describe, pages
from ..outdir import contained
from .app import static_asset
from .model import Model
from .negotiate import HTML, RESOURCE_FORMATS, file_name

DOWNLOADS = ("govkg.nq", "govkg.trig", "govkg.ttl", "govkg.jsonld", "context.jsonld", "void.ttl",
             "ontology", "queries", "shapes")


def write_site(model: Model, out: Path, release: Path) -> None:
    """Writes the site into ``out``; ``release`` is the folder holding the other published files."""
    out.mkdir(parents=True, exist_ok=True)
    made: set[Path] = set()

    def _write(out: Path, path: str, text: str | bytes) -> None:
        target = contained(out, path)
        if target.parent not in made:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)

    published = set()
    for name in DOWNLOADS:
        source = release / name
        if source.is_dir():
            shutil.copytree(source, out / name)
            published.update(p.relative_to(release).as_posix() for p in source.rglob("*") if p.is_file())
        else:
            shutil.copyfile(source, out / name)
            published.add(name)
    for iri in model.resources():
        path = model.local(iri)
        if path in published or not path:
            continue
        _write(out, file_name(path, HTML), pages.resource_page(pages.Page(model, path, static=True), iri))
        for fmt, body in describe.representations(model, iri, RESOURCE_FORMATS[1:]).items():
            _write(out, file_name(path, fmt), body)
    for fmt in RESOURCE_FORMATS[1:]:
        _write(out, file_name(".well-known/void", fmt), describe.representation(model, model.void_dataset(), fmt))

    def page(path: str, render) -> None:
        _write(out, path + ".html", render(pages.Page(model, path, static=True)))

    page("index", pages.home_page)
    page("orgchart", pages.orgchart_index)
    page("sparql", lambda p: pages.sparql_page(p))
    # The host serves 404.html at any depth, so its links start from the site's root.
    _write(out, "404.html", pages.not_found_page(pages.Page(model, "404", static=True, absolute=True), None))
    page(".well-known/void", pages.dataset_page)
    for body, snaps in sorted(model.snapshots.items()):
        key = model.local(body)[len("id/org/"):]
        page(f"orgchart/{key}", lambda p: pages.orgchart_page(p, key, None))
        for a in snaps:
            page(f"orgchart/{key}/{a.date}", lambda p: pages.orgchart_page(p, key, a.date))
        for a, b in zip(snaps, snaps[1:]):
            page(f"compare/{key}/{a.date}/{b.date}", lambda p: pages.compare_page(p, key, a.date, b.date))
    for name in ("govkg.css", "govkg.js"):
        _write(out, f"static/{name}", static_asset(name))
    _write(out, "nginx.conf", NGINX)
    _write(out, ".htaccess", HTACCESS)


_TYPES = "".join(f"    {f.media} {f.suffix};\n" for f in RESOURCE_FORMATS)

NGINX = f"""# govkg static site: include this in a server block whose root is build/site/.
# Extensionless IRIs get the file of the type Accept asks for; the first match below wins (q-values
# are not weighed: `govkg serve` weighs them). Suffix URLs (.ttl, .jsonld …) are plain files.
# Put the map in the http block.
map $http_accept $govkg_suffix {{
    default                       html;
    "~*text/html"                 html;
    "~*application/xhtml\\+xml"    html;
    "~*text/turtle"               ttl;
    "~*application/ld\\+json"      jsonld;
    "~*application/n-triples"     nt;
    "~*application/rdf\\+xml"      rdf;
    "~*application/trig"          trig;
    "~*application/n-quads"       nq;
}}

# In the server block:
types {{
{_TYPES}    text/css css;
    text/javascript js;
    application/sparql-query rq;
    text/tab-separated-values tsv;
    application/json json;
}}
charset utf-8;
charset_types text/turtle application/ld+json application/n-triples application/rdf+xml application/trig
              application/n-quads text/css text/javascript application/sparql-query text/tab-separated-values;
error_page 404 /404.html;
location / {{
    add_header Vary Accept;
    add_header X-Content-Type-Options nosniff;
    try_files $uri $uri.$govkg_suffix $uri/index.$govkg_suffix =404;
}}
location = / {{
    try_files /index.html =404;
}}
# A live SPARQL endpoint, if `govkg serve` runs beside:
# location = /sparql {{ proxy_pass http://127.0.0.1:8080; }}
"""

def _rule(media: str, condition: str, target: str) -> str:
    pattern = media.replace("+", "\\+")
    return (f"RewriteCond %{{HTTP_ACCEPT}} {pattern}\n{condition}"
            f"RewriteCond %{{REQUEST_FILENAME}}{target} -f\nRewriteRule ^(.*)$ $1{target} [L]\n")


_RULES = "".join(_rule(f.media, "RewriteCond %{REQUEST_URI} /$\n", f"index.{f.suffix}") + _rule(f.media, "", f".{f.suffix}")
                 for f in RESOURCE_FORMATS)

HTACCESS = f"""# govkg static site on Apache (mod_rewrite, mod_headers): DocumentRoot build/site/, AllowOverride All.
# Extensionless IRIs get the file of the type Accept asks for; the first match wins (q-values are
# not weighed: `govkg serve` weighs them); otherwise HTML.
Options -MultiViews -Indexes
DirectorySlash Off
DirectoryIndex index.html
AddDefaultCharset utf-8
{"".join(f"AddType {f.media} .{f.suffix}{chr(10)}" for f in RESOURCE_FORMATS)}AddType application/sparql-query .rq
AddType text/tab-separated-values .tsv
AddCharset utf-8 .ttl .jsonld .nt .rdf .trig .nq .rq .tsv .css .js
ErrorDocument 404 /404.html
Header append Vary Accept
Header set X-Content-Type-Options nosniff

RewriteEngine On
RewriteBase /
RewriteCond %{{REQUEST_FILENAME}} -f
RewriteRule ^ - [L]
{_RULES}RewriteCond %{{REQUEST_URI}} /$
RewriteCond %{{REQUEST_FILENAME}}index.html -f
RewriteRule ^(.*)$ $1index.html [L]
RewriteCond %{{REQUEST_FILENAME}}.html -f
RewriteRule ^(.*)$ $1.html [L]
"""
