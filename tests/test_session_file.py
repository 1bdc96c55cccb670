"""The session file (briefing.session): round trip, durable write, defensive read."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from briefing.annotations.filter import Filter
from briefing.session import Session, SessionError, load_session, save_session, session_file


def test_a_session_round_trips_per_corpus_in_the_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_STATE_DIR", str(tmp_path / "state"))
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    session = Session(cursor="a/b.txt", open="c.md", scroll=42, search="kyiv power",
                      filter=Filter(tags=("energy",), statuses=("unread",), since=dt.date(2024, 3, 1),
                                    until=dt.date(2024, 3, 31), show_dismissed=True),
                      compact=True, layout="reader")
    path = save_session(one, session)
    assert path.parent == tmp_path / "state" / "sessions" and path == session_file(one)
    assert load_session(one) == session
    assert load_session(two) is None  # each corpus its own
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_link_to_the_corpus_shares_its_session(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    save_session(tmp_path / "real", Session(open="x.txt"))
    loaded = load_session(tmp_path / "alias")
    assert loaded is not None and loaded.open == "x.txt"


@pytest.mark.parametrize(("data", "reason"), [
    ({"version": 2}, "unknown version"),
    ({"version": 1, "corpus": "/somewhere/else"}, "another folder"),
    ({"scroll": True}, "scroll"),
    ({"filter": {"statuses": ["deleted"]}}, "statuses"),
    ({"filter": {"since": "2024-02-30"}}, "since must be a date"),
    ({"filter": {"tags": "energy"}}, "tags must be a list"),
    ({"layout": "sideways"}, "layout"),
    ({"compact": "yes"}, "true or false"),
    ({"search": "x" * 5000}, "search must be a short text"),
])
def test_a_session_that_is_not_ours_is_refused_with_the_reason(tmp_path, monkeypatch, data, reason):
    monkeypatch.setenv("BRIEFING_STATE_DIR", str(tmp_path / "state"))
    root = tmp_path / "c"
    root.mkdir()
    path = save_session(root, Session())
    written = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**written, **data}), encoding="utf-8")
    with pytest.raises(SessionError) as caught:
        load_session(root)
    assert reason in str(caught.value) and str(path) in str(caught.value)


def test_control_bytes_in_the_search_and_tags_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_STATE_DIR", str(tmp_path / "state"))
    root = tmp_path / "c"
    root.mkdir()
    path = save_session(root, Session())
    written = json.loads(path.read_text(encoding="utf-8"))
    written["search"] = "kyiv\x1b[31m"
    written["filter"]["tags"] = ["en\x07ergy"]
    path.write_text(json.dumps(written), encoding="utf-8")
    loaded = load_session(root)
    assert loaded is not None and "\x1b" not in loaded.search and "\x07" not in loaded.filter.tags[0]


def test_a_huge_session_file_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_STATE_DIR", str(tmp_path / "state"))
    root = tmp_path / "c"
    root.mkdir()
    path = session_file(root)
    path.parent.mkdir(parents=True)
    path.write_bytes(b" " * (1024 * 1024))
    with pytest.raises(SessionError):
        load_session(root)
