"""Report CSV files read from disk (a file, a folder) or uploaded."""
