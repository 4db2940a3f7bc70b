"""Rewrites queries/*.tsv from the current curated data, for review with `git diff`.

Run after a deliberate data change: `.venv/bin/python scripts/refresh_query_results.py`.
"""

from pathlib import Path

from govkg import queries
from govkg.iris import Iris
from govkg.load import load
from govkg.transform import transform

ROOT = Path(__file__).resolve().parent.parent

store = transform(load(ROOT / "data/curated"), Iris())
for example in queries.read_examples(ROOT / "queries", Iris()):
    example.expected_path.write_bytes(queries.run(store, example.text))
    print(example.expected_path.relative_to(ROOT))
