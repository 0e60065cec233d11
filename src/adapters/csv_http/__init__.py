"""Report CSV files fetched over HTTP(S), streamed."""
