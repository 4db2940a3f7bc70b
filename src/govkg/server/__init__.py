"""Linked data on the web: dereferenceable IRIs, HTML pages with org charts, a SPARQL endpoint,
and the same pages written as a static site.

``model`` reads the graph, ``describe`` gives each IRI its description, ``pages`` and ``orgchart``
render HTML and SVG, ``negotiate`` picks a representation, ``sparql`` runs queries in worker
processes, ``app`` is the HTTP server and ``site`` the static writer.
"""
