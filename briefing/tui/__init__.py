"""The reader: the only package that imports Textual.

``briefing.tui.app.run(root)`` opens it. Screens live in ``screens/``, widgets in
``widgets/``, styles in ``styles/*.tcss``; ``themes.py`` turns YAML files into Textual
themes, ``commands.py`` feeds the command palette from the live bindings.
"""
