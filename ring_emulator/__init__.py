"""A local emulator of Ring's OAuth server and client API, for tests, demos and benchmarks."""

from .counters import Counters
from .faults import Fault
from .oauth import CONSUMER_CLIENT_ID
from .server import RingEmulator
from .settings import Account, Clock, EmulatorSettings
from .webpages import Tamper

__all__ = [
    "CONSUMER_CLIENT_ID",
    "Account",
    "Clock",
    "Counters",
    "EmulatorSettings",
    "Fault",
    "RingEmulator",
    "Tamper",
]
