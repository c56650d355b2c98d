"""The editor's area: the day's home, the triage desk, feeds and readers, in the browser."""
