"""The records of the data folders: what curated and derived YAML files say, checked.

``model`` holds the record types, ``fields`` and ``sections`` read them from YAML, ``reader`` reads
a folder, ``merge`` puts curated records over derived ones, ``duties`` expands duty records into
duty blocks and ``checks`` checks the cross-references. ``govkg.load`` runs them in that order.
"""
