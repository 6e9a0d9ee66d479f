"""The customer's side (user database): the state of their phone and of their surroundings.

The phone (:class:`PhoneDevice`) holds what a settings screen would show: SIM, airplane mode,
mobile data, roaming, network mode, APN, Wi-Fi, Wi-Fi calling, data saver, VPN and app
permissions. The surroundings (:class:`UserSurroundings`) hold what the phone cannot change:
whether the user is abroad, the signal available per technology, and what the carrier's systems
say about the line (kept in step by :meth:`TelecomEnvironment.sync`).

Names, types and defaults follow τ²-bench's telecom user database, so its ``user_db.toml`` loads
unchanged and hashes to the same value.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field
from runner import DB


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SimStatus(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    ACTIVE = "active"
    MISSING = "missing"
    LOCKED_PIN = "locked_pin"
    LOCKED_PUK = "locked_puk"


class NetworkTechnology(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    NONE = "none"
    TWO_G = "2G"
    THREE_G = "3G"
    FOUR_G = "4G"
    FIVE_G = "5G"


class NetworkModePreference(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    FOUR_G_5G_PREFERRED = "4g_5g_preferred"
    FOUR_G_ONLY = "4g_only"
    THREE_G_ONLY = "3g_only"
    TWO_G_ONLY = "2g_only"


class SignalStrength(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    NONE = "none"
    POOR = "poor"
    FAIR = "fair"
    GOOD = "good"
    EXCELLENT = "excellent"


class PerformanceLevel(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    UNKNOWN = "unknown"
    POOR = "poor"
    FAIR = "fair"
    GOOD = "good"
    EXCELLENT = "excellent"


class NetworkStatus(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    CONNECTED = "connected"
    SEARCHING = "searching"
    NO_SERVICE = "no_service"
    EMERGENCY_ONLY = "emergency_only"


class APNNames(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    INTERNET = "internet"
    BROKEN = "broken"


class APNSettings(Record):
    """Represents the configuration for a single Access Point Name (APN)."""

    # The descriptions below are part of set_apn_settings' schema, which models read.
    apn_name: APNNames = Field(
        APNNames.INTERNET, description="The name identifier for the APN connection."
    )
    reset_at_reboot: bool = Field(
        False, description="Whether the APN settings will be reset at the next reboot."
    )
    mms_apn: str | None = Field(
        "mms", description="Specific APN name used for MMS traffic, if different from general data."
    )
    mmsc_url: str | None = Field(
        "http://mms.carrier.com/mms/wapenc",
        description="The URL of the Multimedia Messaging Service Center (MMSC). Crucial for MMS.",
    )
    mms_proxy: str | None = Field(
        None, description="The proxy server address required for MMS traffic on some networks."
    )
    mms_port: int | None = Field(
        None, description="The proxy server port required for MMS traffic on some networks."
    )


class VpnDetails(Record):
    server_address: str | None = Field(None, description="VPN server the phone is connected to")
    protocol: str | None = Field(None, description="VPN protocol, e.g. WireGuard or OpenVPN")
    server_performance: PerformanceLevel = Field(
        PerformanceLevel.UNKNOWN,
        validate_default=True,
        description="How well the VPN server performs",
    )


class AppPermissions(Record):
    sms: bool = Field(False, description="May send and read SMS/MMS")
    storage: bool = Field(False, description="May access the device's storage")
    phone: bool = Field(False, description="May make and manage calls")
    network: bool = Field(False, description="May use the network")


class AppStatus(Record):
    app_name: str
    permissions: AppPermissions = Field(
        default_factory=AppPermissions, description="Permissions granted"
    )


def _default_apps() -> dict[str, AppStatus]:
    return {
        "messaging": AppStatus(
            app_name="messaging", permissions=AppPermissions(sms=True, storage=True, phone=True)
        ),
        "browser": AppStatus(
            app_name="browser", permissions=AppPermissions(network=True, storage=True)
        ),
    }


class PhoneDevice(Record):
    """Everything about the phone that its settings and status bar expose."""

    sim_card_status: SimStatus = Field(
        SimStatus.ACTIVE, validate_default=True, description="SIM state"
    )
    sim_card_missing: bool = Field(False, description="Whether the SIM card is out of its slot")
    airplane_mode: bool = Field(False, description="Whether airplane mode is on")
    network_signal_strength: SignalStrength = Field(
        SignalStrength.GOOD, validate_default=True, description="Cellular signal strength"
    )
    network_technology_connected: NetworkTechnology = Field(
        NetworkTechnology.FIVE_G,
        validate_default=True,
        description="Technology of the current connection",
    )
    network_connection_status: NetworkStatus = Field(
        NetworkStatus.CONNECTED, validate_default=True, description="Cellular connection status"
    )
    battery_level: int = Field(80, description="Battery charge, 0 to 100")
    data_enabled: bool = Field(True, description="Mobile data master switch")
    roaming_enabled: bool = Field(False, description="Phone setting that allows data roaming")
    network_mode_preference: NetworkModePreference = Field(
        NetworkModePreference.FOUR_G_5G_PREFERRED,
        validate_default=True,
        description="Preferred network mode",
    )
    active_apn_settings: APNSettings = Field(default_factory=APNSettings, description="Active APN")
    wifi_enabled: bool = Field(False, description="Wi-Fi radio on")
    wifi_connected: bool = Field(False, description="Connected to a Wi-Fi network")
    wifi_ssid: str | None = Field(None, description="Name of the Wi-Fi network")
    wifi_signal_strength: SignalStrength = Field(
        SignalStrength.NONE, validate_default=True, description="Wi-Fi signal strength"
    )
    wifi_calling_enabled: bool = Field(False, description="Wi-Fi calling on")
    wifi_calling_mms_over_wifi: bool = Field(
        False, description="Send MMS over Wi-Fi (needs carrier support)"
    )
    data_saver_mode: bool = Field(False, description="System-wide data saver on")
    vpn_enabled_setting: bool = Field(
        False, description="A VPN profile is configured and switched on"
    )
    vpn_connected: bool = Field(False, description="A VPN tunnel is up")
    vpn_details: VpnDetails | None = Field(None, description="The VPN connection, when connected")
    app_statuses: dict[str, AppStatus] = Field(
        default_factory=_default_apps, description="Installed apps"
    )


#: τ²-bench's name for the phone model.
MockPhoneAttributes = PhoneDevice


class PaymentRequest(Record):
    """A payment the agent asked the customer to make."""

    bill_id: str = Field(description="Bill to pay")
    amount_due: float = Field(description="Amount in USD")
    paid: bool = Field(False, description="Whether the customer has paid it")


def _default_signal() -> dict[NetworkTechnology, SignalStrength]:
    return {
        NetworkTechnology.TWO_G: SignalStrength.POOR,
        NetworkTechnology.THREE_G: SignalStrength.FAIR,
        NetworkTechnology.FOUR_G: SignalStrength.GOOD,
        NetworkTechnology.FIVE_G: SignalStrength.EXCELLENT,
    }


class UserSurroundings(Record):
    """The world around the phone: location, coverage, and the carrier's view of the line."""

    name: str | None = Field(None, description="The customer's name")
    phone_number: str | None = Field(None, description="The phone's number (links it to a line)")
    is_abroad: bool = Field(False, description="Whether the customer is outside the home network")
    roaming_allowed: bool = Field(False, description="Whether the line has roaming enabled")
    signal_strength: dict[NetworkTechnology, SignalStrength] = Field(
        default_factory=_default_signal,
        description="Signal available per technology where the user is",
    )
    mobile_data_usage_exceeded: bool = Field(
        False, description="Whether the line's data is used up"
    )
    line_active: bool = Field(True, description="Whether the line is active")
    payment_request: PaymentRequest | None = Field(None, description="A pending payment request")


class TelecomUserDB(DB):
    """The customer's phone and surroundings; the user's tools read and change it."""

    device: PhoneDevice = Field(default_factory=PhoneDevice, description="The customer's phone")
    surroundings: UserSurroundings = Field(
        default_factory=UserSurroundings, description="Surroundings"
    )
