"""``PhoneSimulator``: how the customer's phone behaves.

This is the model behind the user's tools: what a network search finds, when mobile data works,
what a speed test measures, when MMS can be sent, and what the status bar shows. The rules are
τ²-bench's, because its tasks' assertions (``assert_internet_speed(200, "excellent")``,
``assert_can_send_mms(True)``...) are written against them:

* a network search connects when the SIM is active, picking the technology from the network
  mode preference and the signal the surroundings offer for it; airplane mode, a broken APN or
  an inactive line leave the phone with no service;
* mobile data works with signal, service, the data switch on, data left on the plan, and (when
  abroad) roaming allowed by both the phone setting and the line;
* speed is the middle of the technology's range times a signal factor, cut to 10 % by a poorly
  performing VPN and to 20 % by data saver;
* MMS needs working mobile data, 3G or better, no MMS-over-Wi-Fi calling, an MMSC URL, and the
  messaging app's SMS and storage permissions.
"""

from __future__ import annotations

from typing import Any

from runner_telecom.toolkit import TelecomToolKit
from runner_telecom.user_models import (
    APNNames,
    APNSettings,
    NetworkModePreference,
    NetworkStatus,
    NetworkTechnology,
    PerformanceLevel,
    PhoneDevice,
    SignalStrength,
    SimStatus,
    TelecomUserDB,
    UserSurroundings,
    VpnDetails,
)

_PREFERRED_TECH = {
    NetworkModePreference.FOUR_G_ONLY: NetworkTechnology.FOUR_G,
    NetworkModePreference.THREE_G_ONLY: NetworkTechnology.THREE_G,
    NetworkModePreference.TWO_G_ONLY: NetworkTechnology.TWO_G,
}
_SPEED_RANGE_MBPS = {
    NetworkTechnology.TWO_G: (0.1, 0.4),
    NetworkTechnology.THREE_G: (1.0, 5.0),
    NetworkTechnology.FOUR_G: (10.0, 100.0),
    NetworkTechnology.FIVE_G: (50.0, 500.0),
    NetworkTechnology.NONE: (0.0, 0.0),
}
_SIGNAL_FACTOR = {
    SignalStrength.POOR: 0.2,
    SignalStrength.FAIR: 0.5,
    SignalStrength.GOOD: 0.8,
    SignalStrength.EXCELLENT: 1.0,
    SignalStrength.NONE: 0.0,
}
_SIGNAL_ICON = {
    SignalStrength.NONE: "📵 No Signal",
    SignalStrength.POOR: "📶¹ Poor",
    SignalStrength.FAIR: "📶² Fair",
    SignalStrength.GOOD: "📶³ Good",
    SignalStrength.EXCELLENT: "📶⁴ Excellent",
}


class PhoneSimulator(TelecomToolKit):
    """State transitions and read-outs of the phone, shared by its tools and set-up functions."""

    db: TelecomUserDB

    def __init__(self, db: TelecomUserDB | None = None) -> None:
        super().__init__(db)
        # The VPN profile the phone connects with. Connecting stores this very object on the
        # device, so degrading it (``break_vpn``) also degrades later reconnections, as in
        # τ²-bench; unlike τ²-bench it belongs to one phone, not to every phone in the process.
        self.default_vpn_details = VpnDetails(
            server_address="192.168.1.1",
            protocol="OpenVPN",
            server_performance=PerformanceLevel.EXCELLENT,
        )

    @property
    def device(self) -> PhoneDevice:
        return self.db.device

    @property
    def surroundings(self) -> UserSurroundings:
        return self.db.surroundings

    # -- network -----------------------------------------------------------------------------
    def simulate_network_search(self) -> None:
        """Re-evaluate the cellular connection (after a reboot, a SIM or settings change)."""
        device = self.device
        if self._check_sim_status() == SimStatus.ACTIVE:
            device.network_connection_status = NetworkStatus.CONNECTED
            signal = self.surroundings.signal_strength
            pref = device.network_mode_preference
            if pref == NetworkModePreference.FOUR_G_5G_PREFERRED:
                five_g = signal.get(NetworkTechnology.FIVE_G, SignalStrength.NONE)
                tech = (
                    NetworkTechnology.FOUR_G
                    if five_g == SignalStrength.NONE
                    else NetworkTechnology.FIVE_G
                )
            else:
                tech = _PREFERRED_TECH.get(pref, NetworkTechnology.FOUR_G)
            device.network_technology_connected = tech
            device.network_signal_strength = signal.get(tech, SignalStrength.NONE)
        else:  # missing or locked SIM
            self._lose_service()
        # Three separate checks, each evaluated (τ²-bench's order, even on odd states).
        if device.airplane_mode:
            self._lose_service()
        if device.active_apn_settings.apn_name == APNNames.BROKEN:
            self._lose_service()
        if not self.surroundings.line_active:
            self._lose_service()

    def _lose_service(self) -> None:
        self.device.network_connection_status = NetworkStatus.NO_SERVICE
        self.device.network_technology_connected = NetworkTechnology.NONE
        self.device.network_signal_strength = SignalStrength.NONE

    def _check_sim_status(self) -> SimStatus:
        return SimStatus.MISSING if self.device.sim_card_missing else self.device.sim_card_status

    def _get_mobile_data_working(self) -> bool:
        device, around = self.device, self.surroundings
        if device.airplane_mode or device.network_signal_strength == SignalStrength.NONE:
            return False
        if device.network_connection_status == NetworkStatus.NO_SERVICE:
            return False
        if around.is_abroad and (not device.roaming_enabled or not around.roaming_allowed):
            return False
        if not device.data_enabled:
            return False
        return not around.mobile_data_usage_exceeded

    def _run_speed_test(self) -> tuple[float | None, str]:
        """(speed in Mbps, its description), or (None, "No Connection") without mobile data."""
        if not self._get_mobile_data_working():
            return None, "No Connection"
        device = self.device
        factor = 1.0
        vpn = device.vpn_details
        if device.vpn_connected and vpn and vpn.server_performance == PerformanceLevel.POOR:
            factor = 0.1
        if device.data_saver_mode:
            factor *= 0.2
        low, high = _SPEED_RANGE_MBPS.get(device.network_technology_connected, (0.0, 0.0))
        signal = _SIGNAL_FACTOR.get(device.network_signal_strength, 0.0)
        speed = round((low + high) / 2.0 * signal * factor, 2)
        if speed < 1:
            return speed, "Very Poor"
        if speed < 5:
            return speed, "Poor"
        if speed < 25:
            return speed, "Fair"
        if speed < 100:
            return speed, "Good"
        return speed, "Excellent"

    def _can_send_mms(self) -> bool:
        device = self.device
        if not self._get_mobile_data_working():
            return False
        if device.network_technology_connected == NetworkTechnology.TWO_G:
            return False
        if device.wifi_calling_enabled and device.wifi_calling_mms_over_wifi:
            return False  # the carrier does not carry MMS over Wi-Fi
        if device.active_apn_settings.mmsc_url is None:
            return False
        app = device.app_statuses.get("messaging")
        return app is not None and app.permissions.storage and app.permissions.sms

    # -- status bar --------------------------------------------------------------------------
    def _check_status_bar(self) -> str:
        device = self.device
        parts: list[str] = []
        if device.airplane_mode:
            parts.append("✈️ Airplane Mode")
        else:
            parts.append(_SIGNAL_ICON.get(device.network_signal_strength, "📵 No Signal"))
            has_tech = device.network_technology_connected != NetworkTechnology.NONE
            if has_tech:
                parts.append(device.network_technology_connected.value)
            if device.data_enabled and has_tech:
                parts.append("📱 Data Enabled")
                if device.data_saver_mode:
                    parts.append("🔽 Data Saver")
            else:
                parts.append("📵 Data Disabled")
        if device.wifi_enabled and device.wifi_connected:
            parts.append(
                f"📡 Connected to {device.wifi_ssid}" if device.wifi_ssid else "📡 Enabled"
            )
        if device.vpn_connected:
            parts.append("🔒 VPN Connected")
        parts.append(f"🔋 {device.battery_level}%")
        return " | ".join(parts)

    # -- state changes -----------------------------------------------------------------------
    def _toggle_airplane_mode(self) -> bool:
        device = self.device
        was_on = device.airplane_mode
        device.airplane_mode = not was_on
        if was_on:
            device.network_connection_status = NetworkStatus.SEARCHING
            if device.wifi_enabled:
                self._drop_wifi()
        else:
            self._drop_wifi()
            if device.vpn_connected:
                self._disconnect_vpn()
        self.simulate_network_search()
        return device.airplane_mode

    def _drop_wifi(self) -> None:
        self.device.wifi_connected = False
        self.device.wifi_ssid = None
        self.device.wifi_signal_strength = SignalStrength.NONE

    def _toggle_data(self) -> bool:
        self.device.data_enabled = not self.device.data_enabled
        self.simulate_network_search()
        return self.device.data_enabled

    def _toggle_roaming(self) -> bool:
        self.device.roaming_enabled = not self.device.roaming_enabled
        self.simulate_network_search()
        return self.device.roaming_enabled

    def _toggle_data_saver_mode(self) -> bool:
        self.device.data_saver_mode = not self.device.data_saver_mode
        return self.device.data_saver_mode

    def _set_network_mode_preference(self, mode: Any) -> NetworkModePreference | None:
        """The mode set, or None when ``mode`` is not a valid preference."""
        try:
            if isinstance(mode, str):
                mode = NetworkModePreference(mode)
            self.device.network_mode_preference = mode
            self.simulate_network_search()
            return mode
        except ValueError:
            return None

    def _toggle_wifi(self) -> bool | None:
        """The new Wi-Fi state, or None when airplane mode forbids the change."""
        if self.device.airplane_mode:
            return None
        self.device.wifi_enabled = not self.device.wifi_enabled
        if not self.device.wifi_enabled:
            self._drop_wifi()
        return self.device.wifi_enabled

    def _toggle_wifi_calling(self) -> bool:
        self.device.wifi_calling_enabled = not self.device.wifi_calling_enabled
        return self.device.wifi_calling_enabled

    def _connect_vpn(self) -> bool | None:
        """True once connected; None when a VPN was already connected."""
        if self.device.vpn_connected:
            return None
        self.device.vpn_connected = True
        self.device.vpn_details = self.default_vpn_details
        return True

    def _disconnect_vpn(self) -> bool:
        if not self.device.vpn_connected:
            return False
        self.device.vpn_connected = False
        self.device.vpn_details = None
        return True

    def _reboot_device(self) -> str:
        lines = []
        if self.device.active_apn_settings.reset_at_reboot:
            lines.append("Resetting APN settings...")
            self.device.active_apn_settings = APNSettings()
        lines.append("Restarting network services...")
        self.device.network_connection_status = NetworkStatus.SEARCHING
        self.simulate_network_search()
        return "\n".join(lines)
