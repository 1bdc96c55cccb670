"""Generated queries over a small generated corpus give exactly what a brute-force
scan of the clean bodies, titles and metadata gives (through the index and without)."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations.schema import ArticleNotes, Highlight, Note
from briefing.corpus import open_corpus
from briefing.index import open_index
from briefing.querylang import Evaluation, article_matches, evaluate, parse

VOCAB = ["grid", "power", "kyiv", "port", "grain", "talks", "café", "naïve", "border", "drone", "e-mail", "2023"]
TAGS = ["Energy", "ports", "war", "energy-policy"]
SOURCES = ["Kyiv Independent", "Reuters", "BBC News"]
AUTHORS = ["Anna Smith", "Oleh Kovalenko"]
STATES = ["unread", "read", "flagged", "dismissed", "annotated", "noted", "highlighted"]
BASE = dt.date(2024, 1, 1)
evaluation = importlib.import_module("briefing.querylang.evaluate")  # the module (the package exports a function of that name)


def ref_seq(text: str) -> tuple[str, ...]:
    """Independent reference tokens: accents stripped, lower case, runs of a-z0-9."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(re.findall(r"[a-z0-9]+", plain.lower()))


def write_corpus(root) -> dict[str, ArticleNotes]:
    rng = random.Random(7)
    notes: dict[str, ArticleNotes] = {}
    for n in range(36):
        body = "\n\n".join(" ".join(rng.choice(VOCAB) for _ in range(rng.randint(5, 14))).capitalize() + "."
                           for _ in range(rng.randint(1, 2)))
        title = " ".join(rng.choice(VOCAB) for _ in range(3)).capitalize() + f" n{n}"
        front = [f'title: "{title}"']
        if n % 5:
            front.append(f"date: {(BASE + dt.timedelta(days=rng.randrange(60))).isoformat()}")
        if n % 3 == 0:
            front.append(f'source: "{rng.choice(SOURCES)}"')
        if n % 4 == 0:
            front.append(f'author: "{rng.choice(AUTHORS)}"')
        if n % 2:
            front.append(f"tags: [{rng.choice(TAGS)}]")
        folder = root / ("a" if n % 2 else "b/c")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:03d}.md").write_text("---\n" + "\n".join(front) + "\n---\n\n" + body + "\n", encoding="utf-8")
        aid = f"{'a' if n % 2 else 'b/c'}/{n:03d}.md"
        kind = n % 7
        if kind == 1:
            notes[aid] = ArticleNotes(read=True, tags=("War",))
        elif kind == 2:
            notes[aid] = ArticleNotes(flagged=True, title=f"Analyst {rng.choice(VOCAB)} title")
        elif kind == 3:
            notes[aid] = ArticleNotes(dismissed=True, date=BASE + dt.timedelta(days=rng.randrange(90)))
        elif kind == 4:
            notes[aid] = ArticleNotes(notes=(Note(at="2024-01-01T00:00:00Z", text="x"),))
        elif kind == 5:
            notes[aid] = ArticleNotes(highlights=(Highlight(quote="grid"),), read=True)
    return notes


class World(tuple):
    def __new__(cls, *parts):
        return super().__new__(cls, parts)

    def __repr__(self) -> str:
        return "<the generated corpus>"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("querylang")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(base / "cache"))
        root = base / "corpus"
        notes = write_corpus(root)
        plain = open_corpus(root)
        indexed = open_index(root)
        assert len(plain.articles) == 36 and not plain.problems
        refs = {}
        for meta in plain.articles:
            a = notes.get(meta.id)
            title = a.title if a is not None and a.title is not None else meta.title
            refs[meta.id] = {
                "texts": [ref_seq(title), ref_seq(meta.title), ref_seq(plain.article(meta.id).body)],
                "title": ref_seq(title),
                "source": ref_seq(meta.source or ""),
                "author": ref_seq(meta.author or ""),
                "tags": {t.lower() for t in (*meta.tags, *(a.tags if a else ()))},
                "date": (a.date if a is not None and a.date else None) or meta.date,
                "notes": a,
                "id": meta.id,
            }
        yield World(plain, indexed, notes, refs)
        indexed.close()


# --- queries as the test's own trees, rendered to text -------------------------------------

word = st.sampled_from(["grid", "power", "kyiv", "port", "grain", "talks", "cafe", "naive", "e", "mail", "2023", "zzz"])
atoms = st.one_of(
    word.map(lambda w: ("word", w)),
    st.sampled_from(["gr", "po", "ta", "na", "ky"]).map(lambda p: ("prefix", p)),
    st.lists(word, min_size=2, max_size=3).map(lambda ws: ("phrase", tuple(ws))),
    st.tuples(st.sampled_from(["title", "source", "author"]), st.sampled_from(["kyiv", "reuters", "anna", "grid", "news", "analyst"])).map(lambda t: ("field", *t)),
    st.sampled_from(["energy", "PORTS", "war", "energy-policy", "missing"]).map(lambda t: ("tag", t)),
    st.sampled_from(STATES).map(lambda s: ("is", s)),
    st.sampled_from(["a", "b", "b/c/*", "*/00?.md"]).map(lambda g: ("id", g)),
    st.integers(0, 70).map(lambda d: ("since", BASE + dt.timedelta(days=d))),
    st.integers(0, 70).map(lambda d: ("until", BASE + dt.timedelta(days=d))),
)


def extend(children):
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda cs: ("and", tuple(cs))),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: ("or", tuple(cs))),
        children.map(lambda c: ("not", c)),
    )


trees = st.recursive(atoms, extend, max_leaves=6)


def render(t) -> str:
    kind = t[0]
    if kind == "word":
        return t[1]
    if kind == "prefix":
        return t[1] + "*"
    if kind == "phrase":
        return '"' + " ".join(t[1]) + '"'
    if kind == "field":
        return f"{t[1]}:{t[2]}"
    if kind in ("tag", "is", "id"):
        return f"{kind}:{t[1]}"
    if kind in ("since", "until"):
        return f"{kind}:{t[1].isoformat()}"
    if kind == "not":
        return "-" + _grouped(t[1])
    sep = " " if kind == "and" else " OR "
    return "(" + sep.join(render(c) for c in t[1]) + ")"


def _grouped(t) -> str:
    text = render(t)
    return text if text.startswith("(") or t[0] not in ("and", "or") else "(" + text + ")"


def ref_holds(t, r) -> bool:
    kind = t[0]
    if kind == "word":
        want = ref_seq(t[1])
        return all(any(w in seq for seq in r["texts"]) for w in want)
    if kind == "prefix":
        return any(tok.startswith(t[1]) for seq in r["texts"] for tok in seq)
    if kind == "phrase":
        want = tuple(w for x in t[1] for w in ref_seq(x))
        return any(seq[i:i + len(want)] == want for seq in r["texts"] for i in range(len(seq)))
    if kind == "field":
        return ref_seq(t[2])[0] in r[t[1]]
    if kind == "tag":
        return t[1].lower() in r["tags"]
    if kind == "id":
        pattern = t[1]
        if "*" in pattern or "?" in pattern:
            rx = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
            return re.fullmatch(rx, r["id"]) is not None
        return r["id"].startswith(pattern + "/")
    if kind == "is":
        a = r["notes"]
        state = t[1]
        if state == "unread":
            return a is None or not a.read
        if a is None:
            return False
        return {"read": a.read, "flagged": a.flagged, "dismissed": a.dismissed, "noted": bool(a.notes),
                "highlighted": bool(a.highlights),
                "annotated": bool(a.tags or a.notes or a.highlights or a.date or a.title is not None)}[state]
    if kind in ("since", "until"):
        d = r["date"]
        return d is not None and (d >= t[1] if kind == "since" else d <= t[1])
    if kind == "not":
        return not ref_holds(t[1], r)
    if kind == "and":
        return all(ref_holds(c, r) for c in t[1])
    return any(ref_holds(c, r) for c in t[1])


def ref_order(ids, refs):
    return sorted(ids, key=lambda i: (refs[i]["date"] is None, -(refs[i]["date"].toordinal() if refs[i]["date"] else 0), i))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees)
def test_generated_queries_equal_a_brute_force_scan(world, tree):
    plain, indexed, notes, refs = world
    text = render(tree)
    query = parse(text)
    expected = ref_order([aid for aid, r in refs.items() if ref_holds(tree, r)], refs)
    assert evaluate(query, indexed, notes) == expected, text
    assert evaluate(query, plain, notes) == expected, text
    with pytest.MonkeyPatch.context() as patch:  # the big-corpus paths: tags, dates, ids from the snapshot's tables
        patch.setattr(evaluation, "FIELD_SCAN", 0)
        assert evaluate(query, indexed, notes) == expected, text
        assert set(Evaluation(query, indexed, notes).id_set()) == set(expected), text
    # the per-article predicate agrees, article by article
    for meta in plain.articles:
        a = notes.get(meta.id)
        shown = meta
        if a is not None and (a.title or a.date or a.tags):
            from dataclasses import replace

            shown = replace(meta, title=a.title or meta.title, date=a.date or meta.date, tags=(*meta.tags, *a.tags))
        got = article_matches(query, shown, a, plain.article(meta.id).body, file_meta=meta)
        assert got == (meta.id in expected), (text, meta.id)


def test_phrases_are_checked_on_few_texts(world):
    plain, indexed, notes, refs = world
    ev = Evaluation(parse('"grid power"'), indexed, notes)
    found = ev.ids()
    holding_both = [aid for aid, r in refs.items() if any("grid" in s for s in r["texts"]) and any("power" in s for s in r["texts"])]
    assert ev.stats.checked <= len(holding_both) + sum(1 for a in notes.values() if a.title is not None)
    assert ev.stats.checked < len(refs)
    assert set(found) <= set(holding_both) | {aid for aid, a in notes.items() if a.title is not None}


def test_word_queries_read_no_file(world):
    plain, indexed, notes, refs = world
    ev = Evaluation(parse("grid -power tag:energy"), indexed, {})
    ev.ids()
    assert ev.stats.checked == 0 and ev.stats.fts_queries == 2


def test_sort_oldest_and_relevance(world):
    plain, indexed, notes, refs = world
    newest = evaluate(parse("grid"), indexed, notes)
    oldest = evaluate(parse("grid sort:oldest"), indexed, notes)
    dated = [i for i in newest if refs[i]["date"] is not None]
    undated = [i for i in newest if refs[i]["date"] is None]
    assert oldest == sorted(dated, key=lambda i: (refs[i]["date"], i)) + undated
    relevance = evaluate(parse("grid sort:relevance"), indexed, notes)
    assert sorted(relevance) == sorted(newest)


def test_relevance_puts_more_and_rarer_words_first(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "corpus"
    root.mkdir()
    filler = " ".join(["filler"] * 20)
    docs = {  # same length; the newest holds the fewest query words
        "1.md": ("2024-01-05", "alpha " + filler + " x x"),
        "2.md": ("2024-01-04", "alpha beta " + filler + " x"),
        "3.md": ("2024-01-03", "alpha beta gamma " + filler),
        "4.md": ("2024-01-02", "gamma " + filler + " x x"),  # gamma is rarer than alpha
    }
    for name, (day, body) in docs.items():
        (root / name).write_text(f"---\ntitle: Untitled {name}\ndate: {day}\n---\n\n{body}.\n", encoding="utf-8")
    for n in range(20):  # alpha is common elsewhere too
        (root / f"z{n:02d}.md").write_text(f"---\ntitle: Other {n}\ndate: 2023-01-01\n---\n\nalpha other words.\n", encoding="utf-8")
    corpus = open_index(root)
    try:
        assert evaluate(parse("alpha OR beta OR gamma"), corpus)[:4] == ["1.md", "2.md", "3.md", "4.md"]
        ranked = evaluate(parse("(alpha OR beta OR gamma) -other sort:relevance"), corpus)
        assert ranked == ["3.md", "2.md", "4.md", "1.md"]
    finally:
        corpus.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees, count=st.integers(1, 12))
def test_the_first_page_is_the_start_of_the_whole_answer(world, tree, count):
    plain, indexed, notes, refs = world
    query = parse(render(tree))
    whole = evaluate(query, indexed, notes)
    ev = Evaluation(query, indexed, notes)
    page, complete = ev.first(count)
    assert page == whole[:count]
    if complete:
        assert page == whole
    if len(whole) > count:
        assert not complete
