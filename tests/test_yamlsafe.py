"""The guarded YAML reader shared by config, themes, front matter and annotations."""

import pytest

from briefing import yamlsafe
from briefing.corpus import read_article

HOSTILE = {
    "deep": "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "alias bomb": 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n',
    "object tag": "a: !!python/object/apply:os.system ['true']\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "duplicate key": "a: 1\na: 2\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_is_refused_with_a_line(name):
    with pytest.raises(yamlsafe.YamlError) as err:
        yamlsafe.load_plain(HOSTILE[name])
    assert err.value.line >= 1


def test_scalars_stay_text_and_converters_are_strict():
    data = yamlsafe.load_plain("a: no\nb: 0123\nc: 2023-11-06\nd: ~\ne: 1e3\n")
    assert data == {"a": "no", "b": "0123", "c": "2023-11-06", "d": None, "e": "1e3"}
    assert yamlsafe.as_bool("No") is False and yamlsafe.as_bool("maybe") is None
    assert yamlsafe.as_int("0123") == 123 and yamlsafe.as_int("1e3") is None and yamlsafe.as_int("٣") is None
    assert yamlsafe.as_float("1e3") == 1000.0 and yamlsafe.as_float("nan") is None


@pytest.mark.parametrize("name", ["deep", "alias bomb", "object tag"])
def test_hostile_front_matter_is_a_warning_and_the_article_loads(tmp_path, name):
    body = "The body sentence stays in the article after the front matter is dropped."
    path = tmp_path / "a.md"
    # 10,000 levels: deeper than any recursive parser survives, within the front-matter size limit.
    text = HOSTILE[name].replace("50_000", "").replace("[" * 50_000, "[" * 10_000).replace("]" * 50_000, "]" * 10_000)
    path.write_text("---\n" + text.replace("a: ", "title: ", 1) + "---\n" + body + "\n", encoding="utf-8")
    article = read_article(tmp_path, path)
    assert body in article.body
    assert any("front matter" in w for w in article.meta.warnings)
