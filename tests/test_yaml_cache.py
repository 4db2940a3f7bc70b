"""The parse cache of YAML files: the same document as a fresh parse, lines included, and nothing
but YAML values read back from it."""

import pickle

from govkg.yamlfile import Node, Seq, read_yaml

TEXT = "units:\n  - key: 가국\n    name: {ko: 가국}\n    parents: [{parent: 시험부, from: 2020-01-01}]\n"


def _same(a, b) -> None:
    assert type(a) is type(b) and a == b
    if isinstance(a, (Node, Seq)):
        assert a.__dict__ == b.__dict__
    for x, y in (zip(a.values(), b.values()) if isinstance(a, dict) else zip(a, b) if isinstance(a, list) else ()):
        _same(x, y)


def test_a_kept_document_equals_a_fresh_parse(tmp_path):
    source, cache = tmp_path / "units.yaml", tmp_path / "cache"
    source.write_text(TEXT, encoding="utf-8")
    fresh = read_yaml(source)
    _same(read_yaml(source, cache), fresh)
    assert len(list((cache / "yaml").glob("*.pickle"))) == 1
    _same(read_yaml(source, cache), fresh)  # read back from the cache
    assert fresh["units"][0].line_of("name") == 3


def test_an_edited_file_is_parsed_again(tmp_path):
    source, cache = tmp_path / "units.yaml", tmp_path / "cache"
    source.write_text(TEXT, encoding="utf-8")
    read_yaml(source, cache)
    source.write_text(TEXT.replace("가국}", "나국}"), encoding="utf-8")
    assert read_yaml(source, cache)["units"][0]["name"]["ko"] == "나국"


class _Payload:
    def __reduce__(self):
        return (print, ("run from the cache",))


def test_a_cache_file_naming_another_class_is_not_loaded(tmp_path, capsys):
    source, cache = tmp_path / "units.yaml", tmp_path / "cache"
    source.write_text(TEXT, encoding="utf-8")
    read_yaml(source, cache)
    [kept] = (cache / "yaml").glob("*.pickle")
    kept.write_bytes(pickle.dumps(_Payload()))
    _same(read_yaml(source, cache), read_yaml(source))
    assert "run from the cache" not in capsys.readouterr().out
