"""Quality gates outside the apps: labelled corpora served through the real path, scored against recorded floors."""
