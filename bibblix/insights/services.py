"""Statistics from the anonymous usage log (placeholder while the roll-ups are written)."""
