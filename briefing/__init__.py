"""briefing: a terminal reader for analysts who triage a folder of news articles."""

__version__ = "0.1.0"
