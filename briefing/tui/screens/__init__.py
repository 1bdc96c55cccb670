"""The reader's screens, one per module."""
