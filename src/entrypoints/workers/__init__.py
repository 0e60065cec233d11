"""Background work inside the service: the recovery worker, the hold heartbeat, the nightly sync."""
