"""The collect stage: feeds, polite fetching, parsing, extraction and stored articles."""
