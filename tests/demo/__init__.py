"""Tests of the demo launcher (scripts/demo.py and its helpers)."""
