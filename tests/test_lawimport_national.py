"""import-law --all on an invented government (tests/fixtures/lawimport/cases/nation): every 직제
folder imported, refs, event keys and keys unique across bodies, the merged derived data loads,
the Act and the 통칙 not imported as 직제, the Act read into bodies and changes, and where it and a
직제 disagree on dates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from govkg.cli import main
from govkg.errors import InputError
from govkg.lawimport import act
from govkg.lawimport.importer import import_folder
from govkg.lawimport.national import SUMMARY, import_all
from govkg.records.reader import read_records

from .lawrepo import CASES, build_checkout, derived_orgs, section


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return build_checkout(CASES / "nation", tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="module")
def national(checkout, tmp_path_factory):
    out = tmp_path_factory.mktemp("derived")
    return import_all(checkout, out, None), out


def test_every_decree_folder_is_imported_and_the_others_are_not(national):
    result, out = national
    assert [f for f, _ in result.imported] == ["시험부와그소속기관직제", "시험청과그소속기관직제"]
    assert [f for f, _ in result.skipped] == ["정부조직법", "행정기관의조직과정원에관한통칙"]
    # the Act is no 직제: it gets its own records (tests/test_lawimport_act_records.py)
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["시험부", "시험청", "정부조직법"]
    summary = (out / SUMMARY).read_text(encoding="utf-8")
    assert "| 시험청과그소속기관직제 | 시험청 |" in summary and "`kr/정부조직법/`: not a 직제" in summary


def test_folders_read_in_parallel_are_written_as_one_after_the_other(tmp_path):
    """Two folders whose texts set up the same body both mint its key when read side by side; the
    later one in name order must give way, as it would have been read after the first."""
    case = shutil.copytree(CASES / "nation", tmp_path / "case")
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    spec["commits"] += [dict(c, folder="시험청과그소속기관직제사본") for c in spec["commits"]
                        if c.get("folder") == "시험청과그소속기관직제"]
    (case / "case.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    checkout = build_checkout(case, tmp_path / "checkout")
    written = {}
    for jobs in (1, 2):
        out = tmp_path / f"derived-{jobs}"
        for _ in range(2):   # a first import, then a re-import over it
            import_all(checkout, out, None, jobs=jobs)
            written.setdefault(jobs, []).append(
                {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert written[1] == written[2]
    assert {"시험청/manifest.json", "시험청~2/manifest.json"} <= set(written[2][0])


def test_an_error_in_a_parallel_reader_reaches_the_caller_and_nothing_is_written(checkout, tmp_path, monkeypatch):
    from govkg.lawimport import national

    real = national.derive

    def derive(root, folder, *args):
        if folder == "시험청과그소속기관직제":
            raise InputError(path=root / "kr" / folder, line=7, field="본문", problem="an unreadable paragraph",
                             hint="fix the text")   # keywords only: Exception.args holds none of them
        return real(root, folder, *args)

    monkeypatch.setattr(national, "derive", derive)   # the forked readers inherit it
    with pytest.raises(InputError) as err:
        import_all(checkout, tmp_path, None, jobs=2)
    assert (err.value.line, err.value.field, err.value.hint) == (7, "본문", "fix the text")
    assert not any(tmp_path.iterdir())


def test_a_decree_body_takes_its_rank_from_the_act_not_from_its_name(tmp_path):
    """시험조사처 ends as a 처 does, but the Act sets up no body of that name: it is no 처 of the Act."""
    case = shutil.copytree(CASES / "nation", tmp_path / "case")
    text = (case / "agency-500.md").read_text(encoding="utf-8")
    (case / "office-500.md").write_text(text.replace("시험청", "시험조사처").replace("청장", "처장")
                                        .replace("'900300'", "'900390'"), encoding="utf-8")
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    spec["commits"].append({"folder": "시험조사처직제", "file": "대통령령.md", "text": "office-500.md",
                            "date": "1970-01-01T00:00:00+00:00", "message": "대통령령: 시험조사처 직제 (제정)"})
    (case / "case.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "derived"
    import_all(build_checkout(case, tmp_path / "checkout"), out, None)
    ranks = {key: derived_orgs(out / key)[key]["rank"] for key in ("시험부", "시험청", "시험조사처")}
    assert ranks == {"시험부": "ministry", "시험청": "agency", "시험조사처": "central-body"}


def test_a_folder_that_is_no_decree_is_refused(checkout, tmp_path):
    with pytest.raises(InputError, match="not a 직제"):
        import_folder(checkout, "정부조직법", tmp_path, None)
    assert main(["import-law", str(checkout), "--body", "행정기관의조직과정원에관한통칙", "--out", str(tmp_path)]) == 2
    assert not any(tmp_path.iterdir())


def test_refs_event_keys_and_keys_are_unique_across_bodies(national):
    _, out = national
    refs = [v["ref"] for folder in ("시험부", "시험청") for law in section(out / folder, "sources.yaml", "laws")
            for v in law["versions"]]
    # 대통령령 제500호 amends both 직제, and each body's rule is its 제1호
    assert sorted(refs) == ["시험부/dec-500", "시험부/rule-1", "시험청/dec-500", "시험청/rule-1"]
    events = [(str(e["date"]), e["key"]) for folder in ("시험부", "시험청")
              for e in section(out / folder, "events.yaml", "events")]
    assert len(events) == len(set(events))
    keys = [k for folder in ("시험부", "시험청") for k in derived_orgs(out / folder)]
    assert len(keys) == len(set(keys)) and "시험청/운영지원과" in keys and "시험부/운영지원과" in keys
    merged = read_records(out)   # the loader refuses a ref or key defined twice
    assert {"시험부/dec-500", "시험청/dec-500"} <= set(merged.laws)


def test_heads_of_an_agency_and_joined_names_are_read(national):
    _, out = national
    agency = derived_orgs(out / "시험청")
    assert agency["시험청/대변인"]["parent"] == "시험청" and agency["시험청/감사담당관"]["parent"] == "시험청"
    assert agency["시험청/시험대학"]["rank"] == "affiliated-agency" and agency["시험청/시험대학"]["parent"] == "시험청"
    ministry = derived_orgs(out / "시험부")
    assert ministry["시험부/출입국ㆍ시험정책본부"]["rank"] == "headquarters"
    assert ministry["시험부/출입국정책관"]["parent"] == "시험부/출입국ㆍ시험정책본부"
    duties = section(out / "시험부", "duties.yaml", "duty_history")
    assert {d["holder"] for d in duties} == {"시험부/출입국ㆍ시험정책본부", "시험부/운영지원과", "시험부/출입국정책관"}


def test_the_act_gives_bodies_their_holders_and_changes(checkout):
    states, problems = act.history(checkout)
    assert not problems and [s.date for s in states] == ["2020-01-01", "2021-01-01"]
    first = {n: (p.under, p.cite.article, p.cite.paragraph, p.cite.item) for n, p in states[0].bodies.items()}
    assert first == {"시험비서실": ("대통령", "2", 1, None), "시험처": ("국무총리", "3", 1, None),
                     "시험부": ("대통령", "4", 1, "1"), "다른부": ("대통령", "4", 1, "2"),
                     "시험청": ("시험부", "5", 3, None)}
    assert set(states[1].bodies) == {"시험비서실", "시험부", "새로운부", "시험청"}  # a list set out letter by letter
    changes = {(c.type, c.name, c.under, c.before) for c in act.changes(states)}
    assert changes == {("establishment", "새로운부", "대통령", None), ("move", "시험청", "새로운부", "시험부"),
                       ("abolition", "시험처", "국무총리", None), ("abolition", "다른부", "대통령", None)}


def test_the_act_report_says_where_act_and_decree_disagree(national):
    _, out = national
    text = (out / "government-act.md").read_text(encoding="utf-8")
    assert "| 시험청 | agency | 시험부 | 2020-01-01 | 2020-12-31 |" in text
    assert "| 시험청 | 2020-03-01 | — | 시험청/dec-500, 시험청/rule-1 |" in text
    assert "no (from: Act 2020-01-01, 직제 2020-03-01)" in text
    assert "| 시험부 | 2020-01-01 | — | 시험부/dec-500, 시험부/rule-1 |" in text


@pytest.mark.parametrize("sources, ok", [
    (["시험청/rule-1 art42", "시험청/rule-1 art41 par1 item10"], True),   # the one-paragraph article that delegates
    (["시험청/rule-1", "시험청/rule-1 art41 par1 item10"], False),        # no article: not a provision
    (["시험청/rule-1 art42"], False),                                     # no item words the duty
])
def test_a_duty_record_cites_provisions_down_to_the_article_and_one_item(tmp_path, sources, ok):
    (tmp_path / "duties.yaml").write_text(
        "duty_history:\n- holder: 시험청/형사과\n  text: 강력범죄의 수사\n  attested: {from: 2020-01-01}\n"
        f"  sources: [{', '.join(sources)}]\n", encoding="utf-8")
    if ok:
        assert len(read_records(tmp_path).duty_history) == 1
    else:
        with pytest.raises(InputError, match="sources"):
            read_records(tmp_path)
