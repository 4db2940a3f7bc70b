"""``govkg serve``: dereferenceable IRIs and a SPARQL endpoint over HTTP.

``negotiate`` picks a representation, ``sparql`` runs queries in worker processes, ``app`` routes
requests and ``wsgi`` serves them with waitress. What is shown comes from ``govkg.web``.
"""
