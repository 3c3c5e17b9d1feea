"""The end-to-end harness behind `make e2e` (scripts/e2e.py): processes, API, browser, scenarios."""
