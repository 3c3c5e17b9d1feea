"""Clients nobody here wrote (python-ring-doorbell) judging the emulator."""
