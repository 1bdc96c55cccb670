"""Stories: near-duplicate articles grouped into one story, and what differs between them.

Core package: it never imports Textual.
"""
