"""Ring Auth."""
