"""The FMS simulator: an HTTP app that behaves like FMS (vehicle requests, reports, fault injection)."""
