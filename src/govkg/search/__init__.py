"""Search over the names of bodies and units and the text of their duties: ``index`` builds the
tantivy index at build time (published as ``search/``), ``query`` answers from it."""
