"""Tests of the project's scripts (the e2e harness's log check, the release pins)."""
