"""Prometheus metrics: one registry per container, recorded at the edge (adapter wrappers, middleware)."""
