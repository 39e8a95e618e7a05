"""Wire formats: the board written as each protocol expects it (no I/O here)."""
