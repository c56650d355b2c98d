"""The curate stage: copies, stories across Korean and English, ranking and summaries."""
