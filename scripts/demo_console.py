"""Which of Home Assistant's console lines the demo shows (all of them go to its log file).

Shown: Ring Auth's own records at INFO and above (its DEBUG lines are in
config/home-assistant.log), Home Assistant's warnings and errors that name Ring Auth, every
CRITICAL record, and anything printed before logging starts. A record's continuation lines
(a traceback) follow the record. Everything else (ffmpeg, turbojpeg, other integrations) is
left to config/home-assistant.log, which Home Assistant writes itself.
"""

import re

INTEGRATION_LOGGER = "custom_components.ring_auth"
# Home Assistant's console format: "%(asctime)s.%(msecs)03d %(levelname)s (%(threadName)s)
# [%(name)s] %(message)s" (homeassistant/bootstrap.py, async_enable_logging).
RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?P<level>[A-Z]+) "
    r"\((?P<thread>[^)]*)\) \[(?P<logger>[^\]]+)\] "
)
LOUD = frozenset({"WARNING", "ERROR", "CRITICAL"})
NAMES_US = re.compile(r"(?<!\w)ring_auth(?!\w)|Ring Auth")
RECOVERY_MODE = "Activating recovery mode"


def about_ring_auth(line: str) -> bool:
    """Return whether a line names the integration."""
    return NAMES_US.search(line) is not None


class HaConsole:
    """Decides line by line; continuation lines share their record's fate."""

    def __init__(self) -> None:
        """Show what comes before the first record (start-up failures print there)."""
        self.showing = True

    def wanted(self, line: str) -> bool:
        """Return whether the demo console shows this line."""
        match = RECORD.match(line)
        if match is None:
            return self.showing
        level, logger = match["level"], match["logger"]
        if logger == INTEGRATION_LOGGER or logger.startswith(INTEGRATION_LOGGER + "."):
            self.showing = level != "DEBUG"
        else:
            self.showing = level == "CRITICAL" or (
                level in LOUD and about_ring_auth(line)
            )
        return self.showing
