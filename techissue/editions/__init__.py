"""The compose stage: editions drafted from picks, scheduled, rendered for email and the web."""
