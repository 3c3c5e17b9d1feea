"""Sensors: the login's health (token age and expiry, refreshes, failures) and the Ring devices'."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import AUTH_TYPE_PARTNER, CONF_AUTH_TYPE, CONF_SIGNIN_METHOD
from .data import RingAuthConfigEntry
from .device_sensor import DEVICE_SENSORS, RingDeviceSensor
from .entity import RingAuthEntity, async_add_device_entities
from .health import TokenHealth

PARALLEL_UPDATES = 0

# The age grows with no event to tell; refresh its state this often (no call to Ring).
AGE_UPDATE_INTERVAL = timedelta(minutes=15)


@dataclass(frozen=True, kw_only=True)
class RingAuthSensorDescription(SensorEntityDescription):
    """A sensor read from the token manager's health figures."""

    value_fn: Callable[[TokenHealth], float | int | datetime | None]
    attrs_fn: Callable[[TokenHealth], dict[str, Any]] | None = None
    needs_login: bool = True


def _age_hours(health: TokenHealth) -> float | None:
    """Return the age in hours, to the 0.01 h (36 s) the sensor's updates warrant."""
    if health.refresh_token_issued_at is None:
        return None
    age = dt_util.utcnow() - health.refresh_token_issued_at
    return round(age.total_seconds() / 3600, 2)


SENSORS: tuple[RingAuthSensorDescription, ...] = (
    RingAuthSensorDescription(
        key="refresh_token_age",
        translation_key="refresh_token_age",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        suggested_display_precision=1,
        value_fn=_age_hours,
    ),
    RingAuthSensorDescription(
        key="access_token_expires",
        translation_key="access_token_expires",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda health: health.access_token_expires_at,
    ),
    RingAuthSensorDescription(
        key="last_refresh",
        translation_key="last_refresh",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda health: health.last_refresh,
    ),
    RingAuthSensorDescription(
        key="consecutive_refresh_failures",
        translation_key="consecutive_refresh_failures",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda health: health.consecutive_failures,
        needs_login=False,
    ),
    RingAuthSensorDescription(
        key="refresh_failures",
        translation_key="refresh_failures",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda health: health.total_failures,
        attrs_fn=lambda health: {
            "last_failure_kind": health.last_failure_kind,
            "last_failure": health.last_failure,
        },
        needs_login=False,
    ),
)


SIGNIN_METHOD = SensorEntityDescription(
    key="signin_method",
    translation_key="signin_method",
    device_class=SensorDeviceClass.ENUM,
    options=["password", "web", "partner"],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RingAuthConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's token sensors and sign-in method, and every Ring device's sensors."""
    async_add_entities(
        [
            *(RingAuthSensor(entry, description) for description in SENSORS),
            RingAuthSignInSensor(entry, SIGNIN_METHOD),
        ]
    )
    async_add_device_entities(
        entry,
        async_add_entities,
        DEVICE_SENSORS,
        lambda device, description: RingDeviceSensor(entry, device, description),
    )


class RingAuthSensor(RingAuthEntity, SensorEntity):
    """A token health figure."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    entity_description: RingAuthSensorDescription
    _expiry_unsub: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Also tick for the figures that change with time alone (age, availability)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_time_interval(
                self.hass,
                callback(lambda _now: self.async_write_ha_state()),
                AGE_UPDATE_INTERVAL,
            )
        )
        if self.entity_description.needs_login:
            self.async_on_remove(
                async_dispatcher_connect(
                    self.hass, self.manager.signal, self._plan_expiry
                )
            )
            self.async_on_remove(self._cancel_expiry)
            self._plan_expiry()

    @callback
    def _plan_expiry(self) -> None:
        """While renewals fail, write the state again the moment the access token ends.

        Nothing else would tell: a backoff sends nothing to Ring until its next try, so a
        renewal that failed shortly before the end (a poll within the refresh margin) would
        leave the sensor showing an ended token as usable until then.
        """
        self._cancel_expiry()
        health = self.manager.health
        ends = health.access_token_expires_at
        if health.consecutive_failures and ends is not None and ends > dt_util.utcnow():
            self._expiry_unsub = async_track_point_in_utc_time(
                self.hass, self._token_ended, ends
            )

    @callback
    def _token_ended(self, _now: datetime) -> None:
        """Show the ended token (and plan again, should the timer have fired early)."""
        self._expiry_unsub = None
        self.async_write_ha_state()
        self._plan_expiry()

    @callback
    def _cancel_expiry(self) -> None:
        if self._expiry_unsub is not None:
            self._expiry_unsub()
            self._expiry_unsub = None

    @property
    def available(self) -> bool:
        """Token figures are unavailable while no usable login is held."""
        return not self.entity_description.needs_login or self.manager.login_usable

    @property
    def native_value(self) -> float | int | datetime | None:
        """Return the figure."""
        return self.entity_description.value_fn(self.manager.health)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the last failure's kind and time, where described."""
        if self.entity_description.attrs_fn is None:
            return None
        return self.entity_description.attrs_fn(self.manager.health)


class RingAuthSignInSensor(RingAuthEntity, SensorEntity):
    """How the login reached Ring: the password grant, the web sign-in, or a partner app."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def native_value(self) -> str:
        """Return the method stored with the login (entries from before 0.2: password)."""
        data = self.manager.entry.data
        if data.get(CONF_AUTH_TYPE) == AUTH_TYPE_PARTNER:
            return "partner"
        return str(data.get(CONF_SIGNIN_METHOD, "password"))
