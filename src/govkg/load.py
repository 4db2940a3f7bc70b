"""Load stage: curated and derived YAML files → checked records (``govkg.records``).

Derived files (data/derived/, written by ``govkg import-law``) use the same sections as curated
ones. Where a derived and a curated record share a key, they merge and the curated one wins (see
``records.merge``). Cross-references are checked last, so the transform stage can assume a
consistent catalogue.
"""

from __future__ import annotations

from pathlib import Path

from .records import government
from .records.checks import check_references
from .records.duties import duty_blocks
from .records.merge import merge
from .records.model import Records
from .records.reader import read_records


def load(curated_dir: Path, derived_dir: Path | None = None, *, cache: Path | None = None) -> Records:
    """Reads every ``*.yaml`` under ``curated_dir`` and, merged into it, under ``derived_dir`` (if
    given and present); checks the references and turns duty records into duty blocks. With
    ``cache``, a file that did not change since an earlier run is not parsed again."""
    records = read_records(curated_dir, cache=cache)
    if derived_dir is not None and derived_dir.is_dir():
        records = merge(records, read_records(derived_dir, required=False, cache=cache))
    government.fill_in(records)
    records.duties = duty_blocks(records)
    check_references(records)
    return records
