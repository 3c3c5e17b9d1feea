"""The accelerated soak: a year of a hub's life against the Ring emulator."""
