"""Summaries need no NLTK data and no network (sumy's stock tokenizer needs both)."""

import json
import os
import subprocess
import sys

from briefing.resources import sample_corpus

CODE = r"""
import json, os, socket, sys

def no_network(*args, **kwargs):
    raise OSError("network disabled in this test")

socket.socket.connect = no_network
socket.create_connection = no_network

import nltk.data

def no_data(*args, **kwargs):
    raise LookupError("NLTK data is not available in this test")

nltk.data.find = no_data
nltk.data.load = no_data
import nltk.downloader
nltk.downloader.download = no_data

from briefing.summarize import METHODS, summarize_detail

text = open(sys.argv[1], encoding="utf-8").read()
out = {}
for method in METHODS:
    d = summarize_detail(text, 3, method)
    out[method] = [d.method, len(d.sentences), d.note]
print(json.dumps(out))
"""


def test_every_method_works_without_nltk_data_or_network(tmp_path):
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    env = dict(os.environ, NLTK_DATA=str(empty), HOME=str(tmp_path))
    article = os.path.join(sample_corpus(), sorted(os.listdir(sample_corpus()))[1])
    out = subprocess.run(
        [sys.executable, "-c", CODE, article], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    got = json.loads(out.stdout)
    assert set(got) == {"default", "lead", "lexrank", "lsa", "textrank", "luhn", "edmundson", "kl", "sumbasic", "reduction"}
    for method, (used, count, note) in got.items():
        assert (used, count, note) == (method, 3, None), method
    assert list(empty.iterdir()) == []  # nothing was downloaded
