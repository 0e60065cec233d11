"""The calendar page: static files served at `/` and `/ui/`, with its own Content-Security-Policy
(entrypoints/http/page_paths.py).

The page and its files hold no data and no secret: anyone may load them; every API call they make
carries the bearer token the page got from FMS (README: Embedding in FMS).
"""
