"""The nightly sync of the FMS reports: parsing, loading, runs and reconciliation (spec: reports.md)."""
