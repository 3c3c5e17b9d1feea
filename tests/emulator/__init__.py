"""Tests of the Ring emulator."""
