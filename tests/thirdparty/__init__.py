"""Third-party Ring clients driven against the emulator."""
