"""Tests of the HA-free Ring client."""
