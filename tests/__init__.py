"""Tests of Ring Auth."""
