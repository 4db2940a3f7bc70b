"""A curated file with an error gets file, line and field, exit code 2, and build/ stays intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govkg.cli import main

from .conftest import ROOT

UNITS = "mois-2020/units.yaml"
EVENTS = "mois-2020/events.yaml"

# (case id, file, text to replace, replacement, field named in the message, words in the message)
CASES = [
    ("bad-date", UNITS, "began: 2020-04-28", "began: 2020-02-30", "began", "not a valid date"),
    ("unknown-unit", EVENTS, "to: [행정안전부/디지털정부국/디지털정부기반과]",
     "to: [행정안전부/디지털정부국/없는과]", "from/to", "unknown unit"),
    ("missing-source", UNITS, "    sources: [dec-30545 art4 par1, dec-30636 art4 par1]\n", "",
     "sources", "missing"),
    ("unknown-source", EVENTS, "sources: [etoday-1888627, rule-175 art10 par2, rule-179 art10 par2]",
     "sources: [etoday-999, rule-175 art10 par2]", "sources", "unknown source"),
    ("yaml-syntax", EVENTS, "    type: merger\n", "    type: [merger\n", None, "YAML syntax error"),
    ("unknown-field", UNITS, "    rank: bureau\n", "    rank: bureau\n    colour: blue\n", "colour", "unknown field"),
    ("english-without-source", UNITS, "en: Digital Government Bureau, en_source: mois-english-site",
     "en: Digital Government Bureau", "name.en", "English name without a source"),
    ("not-nfc", UNITS, "name: {ko: 운영지원과}", "name: {ko: \u110b\u116e\u11ab영지원과}", "name.ko", "NFC"),
    ("bad-reference-syntax", EVENTS, "framework: [dec-30636, rule-179]\n    sources: [etoday-1888627, dec-30545 art4 par1",
     "framework: [dec-30636, rule-179]\n    sources: [etoday-1888627, dec-30545 article4", "sources",
     "cannot read source reference"),
]


@pytest.mark.parametrize("case, file, old, new, field, words", CASES, ids=[c[0] for c in CASES])
def test_error_names_file_line_field(case, file, old, new, field, words, curated_copy, tmp_path, capsys):
    path = curated_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text for {case} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "build"
    out.mkdir()
    (out / "govkg.nq").write_text("last good output\n")
    (out / ".govkg-build").write_text("")  # as an earlier build left it
    code = main(["build", "-q", "--data", str(curated_copy), "--out", str(out),
                 "--ontology", str(ROOT / "ontology/govkg.ttl"), "--shapes", str(ROOT / "shapes"),
                 "--queries", str(ROOT / "queries")])
    err = capsys.readouterr().err
    assert code == 2, err
    match = re.search(r"error: (\S+?):(\d+):", err)
    assert match, f"no file:line in {err!r}"
    assert Path(match[1]).name == path.name
    assert int(match[2]) > 0
    if field:
        assert f" {field}:" in err
    assert words in err
    assert "how to fix" in err or case == "missing-source"
    assert (out / "govkg.nq").read_text() == "last good output\n"
    assert sorted(p.name for p in out.iterdir()) == [".govkg-build", "govkg.nq"]


def test_error_points_at_the_right_line(curated_copy, capsys):
    path = curated_copy / UNITS
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if "began: 2020-04-28" in line)
    lines[target] = lines[target].replace("2020-04-28", "2020-13-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "-q", "--data", str(curated_copy), "--ontology", str(ROOT / "ontology/govkg.ttl"),
                 "--shapes", str(ROOT / "shapes")]) == 2
    assert f"{path}:{target + 1}: began:" in capsys.readouterr().err
