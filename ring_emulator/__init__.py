"""A local emulator of Ring's OAuth server and client API, for tests, demos and benchmarks."""

from .counters import Counters
from .devices import EmuDevice, EmuEvent
from .exchanges import TokenExchange
from .faults import Fault
from .household import Household
from .oauth import CONSUMER_CLIENT_ID
from .server import RingEmulator
from .settings import Account, Clock, EmulatorSettings
from .webpages import Tamper

__all__ = [
    "CONSUMER_CLIENT_ID",
    "Account",
    "Clock",
    "Counters",
    "EmuDevice",
    "EmuEvent",
    "EmulatorSettings",
    "Fault",
    "Household",
    "RingEmulator",
    "Tamper",
    "TokenExchange",
]
