"""The service's settings: one environment reader (env.py), one module per concern, one tree (service.py)."""
