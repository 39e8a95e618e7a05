"""Analytics on the board: pure functions and views (best lines today)."""
