"""Operations: the background worker, the scheduler, `serve` (all in one) and the offline demo."""
