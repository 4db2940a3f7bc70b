"""Rendering the graph for people and for linked-data clients, the same for ``govkg serve`` and the
static site: ``model`` reads one release, ``describe`` gives each IRI its RDF description,
``pages`` and ``orgchart`` render HTML and SVG, ``assets`` holds the stylesheet and script, and
``site`` writes it all as files. The HTTP layer (``govkg.server``) imports this package; this
package imports nothing of it.
"""
