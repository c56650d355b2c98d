"""The collect stage: feeds and pages fetched politely, parsed, extracted and cleaned."""
