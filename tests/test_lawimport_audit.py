"""``govkg audit``: the derived records confirmed against the law text (issue 9)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from govkg.cli import main
from govkg.lawimport import audit
from govkg.lawimport.importer import import_folder

from .conftest import ROOT
from .lawrepo import CASES, build_checkout

BUNDLE = ROOT.parent / "shared" / "sources" / "kr-org-law.bundle"
CLONE = Path("/tmp/kr-org-law")
MOIS = "행정안전부와그소속기관직제"


@pytest.fixture(scope="module")
def fidelity(tmp_path_factory) -> tuple[Path, Path]:
    checkout = build_checkout(CASES / "fidelity", tmp_path_factory.mktemp("checkout"))
    out = tmp_path_factory.mktemp("derived")
    import_folder(checkout, "검증부와그소속기관직제", out, None)
    return checkout, out / "검증부"


def test_the_import_of_the_fixture_passes_the_audit(fidelity):
    result = audit.run(*fidelity[:1], "검증부와그소속기관직제", fidelity[1], sample=3)
    assert not result.findings, result.findings
    assert result.checked["duty text"] > 20 and len(result.sample) == 3


def test_the_audit_finds_a_duty_its_item_does_not_word(fidelity, tmp_path, capsys):
    checkout, derived = fidelity
    broken = tmp_path / "검증부"
    broken.mkdir()
    for path in derived.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    doc = yaml.safe_load((broken / "duties.yaml").read_text(encoding="utf-8"))
    doc["duty_history"][0]["text"] += " 등"          # a wording no provision has
    first = doc["duty_history"][1]
    first["attested"]["from"] = "2020-12-31"        # before its first version takes effect
    (broken / "duties.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    units = yaml.safe_load((broken / "units.yaml").read_text(encoding="utf-8"))
    units["units"].append({"key": "검증부/혁신실~2", "rank": "office", "name": {"ko": "혁신실"}, "body": "검증부",
                           "parent": "검증부", "attested": {"from": "2021-07-01"}, "sources": ["dec-20010 art3 par1"]})
    (broken / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    assert main(["audit", str(checkout), "--body", "검증부와그소속기관직제", "--derived", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "duty text: " in out and "✗ duty text" in out and "✗ start date" in out
    assert "✗ no silent break: 검증부/혁신실 — ends 2021-06-30" in out  # one unit cut in two
    assert "✗ establishing paragraph: office 검증부/혁신실~2" in out


def _mois_checkout(tmp_path_factory) -> Path | None:
    if (CLONE / "kr" / MOIS).is_dir():
        return CLONE
    if BUNDLE.exists():
        target = tmp_path_factory.mktemp("law") / "kr-org-law"
        subprocess.run(["git", "clone", "-q", str(BUNDLE), str(target)], check=True)
        return target
    return None


@pytest.mark.parametrize(("folder", "body", "duties"), [
    (MOIS, "행정안전부", 40_000),
    # a rule's duties whose holder the decree sets up later: they start on the decree's day
    ("법무부와그소속기관직제", "법무부", 10_000),
    # a decree's provision its 부칙 puts into effect later; items the law numbers alike
    ("통일부와그소속기관직제", "통일부", 10_000),
    ("기상청과그소속기관직제", "기상청", 5_000),  # paragraphs the law numbers alike
    ("경찰청과그소속기관직제", "경찰청", 4_000),  # an article's only paragraph giving items by reference
])
def test_the_committed_import_passes_the_audit(tmp_path_factory, folder, body, duties):
    checkout = _mois_checkout(tmp_path_factory)
    if checkout is None:
        pytest.skip("neither /tmp/kr-org-law nor the law corpus bundle is present")
    result = audit.run(checkout, folder, ROOT / "data" / "derived" / body)
    assert not result.findings, audit.render(result)[:4000]
    assert result.checked["duty text"] > duties and result.checked["no silent break"] > 200
