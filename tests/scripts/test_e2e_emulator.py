"""The e2e's emulator wrapper (scripts/e2e/procs.py): the crash hook and the secrets list.

The crash trials kill Home Assistant "at the rotation": after Ring processed a refresh and
before its answer leaves. The wrapper gets both from the emulator's public hooks.
"""

from collections.abc import AsyncIterator
from pathlib import Path
import sys
from typing import Any

import aiohttp
import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from e2e.procs import E2E_EMAIL, Emulator  # noqa: E402

CLIENT_ID = "ring_official_android"


@pytest.fixture
async def emulator(socket_enabled: None) -> AsyncIterator[Emulator]:
    """Run the wrapper's emulator on a free loopback port."""
    wrapper = Emulator(access_token_lifetime=60, grace=20)
    await wrapper.start()
    yield wrapper
    await wrapper.stop()


async def post(
    session: aiohttp.ClientSession, emulator: Emulator, form: dict[str, str]
) -> Any:
    """POST /oauth/token; return the JSON answer."""
    async with session.post(f"{emulator.url}/oauth/token", data=form) as resp:
        return await resp.json()


async def test_the_rotation_hook_fires_once_before_the_answer(
    emulator: Emulator,
) -> None:
    """A kill armed for the rotation happens at the next refresh (not at a login), once."""
    fired: list[int] = []
    emulator.on_rotate = lambda: fired.append(len(emulator.issued))
    pair = emulator.emu.issue_tokens(E2E_EMAIL)  # a login's pair: no rotation
    assert fired == []

    async with aiohttp.ClientSession() as session:
        form = {
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "refresh_token": pair["refresh_token"],
        }
        answer = await post(session, emulator, form)
        again = await post(
            session, emulator, {**form, "refresh_token": answer["refresh_token"]}
        )

    # Fired once, when Ring had issued the new pair (the login's and the rotation's).
    assert fired == [4]
    assert emulator.on_rotate is None
    assert {answer["refresh_token"], again["refresh_token"]} <= set(emulator.issued)
    assert pair["access_token"] in emulator.secrets()
