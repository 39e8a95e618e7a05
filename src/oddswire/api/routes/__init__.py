"""Route tables, one module per group of endpoints."""
