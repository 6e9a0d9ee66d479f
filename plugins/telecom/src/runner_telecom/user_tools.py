"""``TelecomUserTools``: what the customer can do on their phone (the user's tools).

The simulated user calls these while the agent guides them ("check your status bar", "toggle
airplane mode"); the agent never calls them. Every answer is τ²-bench's text, byte for byte,
and most end with the refreshed status bar, as a phone's screen would show. Write tools are
those that change the phone; diagnostics only read it.
"""

from __future__ import annotations

from typing import Any

from runner import tool

from runner_telecom.user_models import APNSettings, NetworkModePreference, SimStatus
from runner_telecom.user_scenarios import PhoneScenarios

_SPEED_ADVICE = {
    "Very Poor": "Connection is very slow. Basic web browsing might be difficult.",
    "Poor": "Connection is slow. Web browsing may be sluggish, streaming difficult.",
    "Fair": "Connection is okay for web browsing and some standard definition streaming.",
    "Good": "Connection is good for most activities, including HD streaming.",
    "Excellent": "Connection is very fast.",
}
_SIM_TEXT = {
    SimStatus.ACTIVE: "Your SIM card is active and working.",
    SimStatus.MISSING: "No SIM card detected in the phone.",
    SimStatus.LOCKED_PIN: "The SIM card is locked with a PIN code.",
    SimStatus.LOCKED_PUK: "The SIM card is locked with a PUK code.",
}


def _on_off(value: bool) -> str:
    return "ON" if value else "OFF"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


class TelecomUserTools(PhoneScenarios):
    """The customer's phone: diagnostics and fixes."""

    def _with_status_bar(self, text: str) -> str:
        return f"{text}\nStatus Bar: {self._check_status_bar()}"

    # Tools in τ²-bench's order (the order an agent prompt lists them in).
    @tool
    def check_status_bar(self) -> str:
        """Shows what icons are currently visible in your phone's status bar (the area at the top of the screen). Displays network signal strength, mobile data status (enabled, disabled, data saver), Wi-Fi status, and battery level."""  # noqa: E501
        return f"Status Bar: {self._check_status_bar()}"

    @tool
    def check_network_status(self) -> str:
        """Checks your phone's connection status to cellular networks and Wi-Fi. Shows airplane mode status, signal strength, network type, whether mobile data is enabled, and whether data roaming is enabled."""  # noqa: E501
        d = self.device
        lines = [
            f"Airplane Mode: {_on_off(d.airplane_mode)}",
            f"SIM Card Status: {self._check_sim_status().value}",
            f"Cellular Connection: {d.network_connection_status.value}",
            f"Cellular Signal: {d.network_signal_strength.value}",
            f"Cellular Network Type: {d.network_technology_connected.value}",
            f"Mobile Data Enabled: {_yes_no(d.data_enabled)}",
            f"Data Roaming Enabled: {_yes_no(d.roaming_enabled)}",
            f"Wi-Fi Radio: {_on_off(d.wifi_enabled)}",
            f"Wi-Fi Connected: {_yes_no(d.wifi_connected)}",
        ]
        if d.wifi_connected:
            lines.append(f"Connected Wi-Fi Network: {d.wifi_ssid}")
        return "\n".join(lines)

    @tool
    def check_network_mode_preference(self) -> str:
        """Shows the current network mode preference."""
        return f"Network Mode Preference: {self.device.network_mode_preference.value}"

    @tool(write=True)
    def set_network_mode_preference(self, mode: NetworkModePreference | str) -> str:
        """Changes the type of cellular network your phone prefers to connect to (e.g., 5G, LTE/4G, 3G). Higher-speed networks (LTE/5G) provide faster data but may use more battery."""  # noqa: E501
        valid = self._set_network_mode_preference(mode)
        if valid is None:
            options = ", ".join(m.value for m in NetworkModePreference)
            return self._with_status_bar(
                f"Failed to set network mode: '{mode}' is not a valid option. Please use one of: {options}"
            )
        return self._with_status_bar(f"Preferred Network Mode set to: {valid.value}")

    @tool
    def run_speed_test(self) -> str:
        """Measures your current internet connection speed (download speed). Provides information about connection quality and what activities it can support."""  # noqa: E501
        speed, desc = self._run_speed_test()
        if speed is None:
            return f"Speed test failed: {desc or 'Could not determine speed'}."
        return f"Speed Test Result: {speed:.2f} Mbps ({desc}). {_SPEED_ADVICE.get(desc, '')}"

    @tool(write=True)
    def toggle_airplane_mode(self) -> str:
        """Toggles Airplane Mode ON or OFF. When ON, it disconnects all wireless communications including cellular, Wi-Fi, and Bluetooth.

        Returns the new state of airplane_mode.
        """  # noqa: E501
        return self._with_status_bar(
            f"Airplane Mode is now {_on_off(self._toggle_airplane_mode())}."
        )

    @tool
    def check_sim_status(self) -> str:
        """Checks if your SIM card is working correctly and displays its current status. Shows if the SIM is active, missing, or locked with a PIN or PUK code."""  # noqa: E501
        status = self._check_sim_status()
        return _SIM_TEXT.get(status, f"Unknown SIM status: {status.value}")

    @tool(write=True)
    def reseat_sim_card(self) -> str:
        """Simulates removing and reinserting your SIM card. This can help resolve recognition issues."""
        self.device.sim_card_missing = False
        self.simulate_network_search()
        return self._with_status_bar("SIM card re-seated successfully.")

    @tool(write=True)
    def toggle_data(self) -> str:
        """Toggles your phone's mobile data connection ON or OFF. Controls whether your phone can use cellular data for internet access when Wi-Fi is unavailable.

        Returns the new data connection status.
        """  # noqa: E501
        return self._with_status_bar(f"Mobile Data is now {_on_off(self._toggle_data())}.")

    @tool(write=True)
    def toggle_roaming(self) -> str:
        """Toggles Data Roaming ON or OFF. When ON, your phone can use data networks in areas outside your carrier's coverage.

        Returns the new data roaming status.
        """  # noqa: E501
        return self._with_status_bar(f"Data Roaming is now {_on_off(self._toggle_roaming())}.")

    @tool
    def check_data_restriction_status(self) -> str:
        """Checks if your phone has any data-limiting features active. Shows if Data Saver mode is on."""
        if self.device.data_saver_mode:
            return "Data Saver mode is ON (limits data usage)."
        return "Data Saver mode is OFF."

    @tool(write=True)
    def toggle_data_saver_mode(self) -> str:
        """Toggles Data Saver mode ON or OFF. When ON, it reduces data usage, which may affect data speed.

        Returns the new data saver mode status.
        """
        return self._with_status_bar(
            f"Data Saver Mode is now {_on_off(self._toggle_data_saver_mode())}."
        )

    @tool
    def check_apn_settings(self) -> str:
        """Checks the technical APN settings your phone uses to connect to your carrier's mobile data network. Shows current APN name and MMSC URL for picture messaging."""  # noqa: E501
        apn = self.device.active_apn_settings.model_copy(deep=True)
        return (
            f"Current APN Name: {apn.apn_name.value or 'Not Set'}\n"
            f"MMSC URL (for picture messages): {apn.mmsc_url or 'Not Set'}\n"
            "(These are technical settings, usually best left unchanged.)"
        )

    @tool(write=True)
    def set_apn_settings(self, apn_settings: APNSettings | dict) -> str:
        """Sets the APN settings for the phone."""
        if isinstance(apn_settings, dict):
            apn_settings = APNSettings(**apn_settings)
        self.device.active_apn_settings = apn_settings
        message = f"APN settings set to: {apn_settings.apn_name.value}"
        self.simulate_network_search()
        return self._with_status_bar(message)

    @tool(write=True)
    def reset_apn_settings(self) -> str:
        """Resets your APN settings to the default settings."""
        self.device.active_apn_settings.reset_at_reboot = True  # applied by the next reboot
        self.simulate_network_search()
        return self._with_status_bar("APN settings will reset at reboot.")

    @tool
    def check_wifi_status(self) -> str:
        """Checks your Wi-Fi connection status. Shows if Wi-Fi is turned on, which network you're connected to (if any), and the signal strength."""  # noqa: E501
        d = self.device
        if not d.wifi_enabled:
            return "Wi-Fi is turned OFF."
        if d.wifi_connected:
            return f"Wi-Fi is ON and connected to '{d.wifi_ssid}'. Signal strength: {d.wifi_signal_strength.value}."
        return "Wi-Fi is ON but not connected to any network."

    @tool(write=True)
    def toggle_wifi(self) -> str:
        """Toggles your phone's Wi-Fi radio ON or OFF. Controls whether your phone can discover and connect to wireless networks for internet access.

        Returns the new Wi-Fi status.
        """  # noqa: E501
        state = self._toggle_wifi()
        if state is None:
            return self._with_status_bar("Cannot change Wi-Fi settings while Airplane Mode is ON.")
        return self._with_status_bar(f"Wi-Fi is now {_on_off(state)}.")

    @tool
    def check_wifi_calling_status(self) -> str:
        """Checks if Wi-Fi Calling is enabled on your device. This feature allows you to make and receive calls over a Wi-Fi network instead of using the cellular network."""  # noqa: E501
        return f"Wi-Fi Calling is currently turned {_on_off(self.device.wifi_calling_enabled)}."

    @tool(write=True)
    def toggle_wifi_calling(self) -> str:
        """Toggles Wi-Fi Calling ON or OFF. This feature allows you to make and receive calls over Wi-Fi instead of the cellular network, which can help in areas with weak cellular signal.

        Returns the new Wi-Fi Calling status.
        """  # noqa: E501
        return self._with_status_bar(
            f"Wi-Fi Calling is now {_on_off(self._toggle_wifi_calling())}."
        )

    @tool
    def check_vpn_status(self) -> str:
        """Checks if you're using a VPN (Virtual Private Network) connection. Shows if a VPN is active, connected, and displays any available connection details."""  # noqa: E501
        d = self.device
        if d.vpn_connected:
            if d.vpn_details:
                return f"VPN is ON and connected. Details: {d.vpn_details.model_dump()}"
            return "VPN is ON and connected (no specific details available)."
        if d.vpn_enabled_setting:
            return "VPN is turned ON in settings, but currently not connected."
        return "VPN is turned OFF."

    @tool(write=True)
    def connect_vpn(self) -> str:
        """Connects to your VPN (Virtual Private Network)."""
        if self._connect_vpn() is None:
            return "VPN already connected."
        return self._with_status_bar("VPN connected successfully.")

    @tool(write=True)
    def disconnect_vpn(self) -> str:
        """Disconnects any active VPN (Virtual Private Network) connection. Stops routing your internet traffic through a VPN server, which might affect connection speed or access to content."""  # noqa: E501
        if self._disconnect_vpn():
            return self._with_status_bar("VPN disconnected successfully.")
        return self._with_status_bar("No active VPN connection to disconnect.")

    @tool
    def check_installed_apps(self) -> str:
        """Returns the name of all installed apps on the phone."""
        return (
            f"The following apps are installed on the phone: {', '.join(self.device.app_statuses)}"
        )

    @tool
    def check_app_status(self, app_name: str) -> str:
        """Checks detailed information about a specific app. Shows its permissions and background data usage settings."""  # noqa: E501
        app = self.device.app_statuses.get(app_name)
        if app is None:
            return f"App '{app_name}' not found on this phone."
        lines = [f"Status for App: {app_name}"]
        granted = _granted(app.permissions.model_dump())
        if not granted:
            lines.append(" - Permissions: None granted.")
        else:
            lines.append(" - Permissions Granted:")
            lines.extend(f"   - {perm}" for perm in granted)
        return "\n".join(lines)

    @tool
    def check_app_permissions(self, app_name: str) -> str:
        """Checks what permissions a specific app currently has. Shows if the app has access to features like storage, camera, location, etc."""  # noqa: E501
        app = self.device.app_statuses.get(app_name)
        if app is None:
            return f"App '{app_name}' not found on this phone."
        granted = _granted(app.permissions.model_dump())
        if not granted:
            return f"App '{app_name}' currently has no permissions granted."
        return f"App '{app_name}' has permission for: {', '.join(granted)}."

    @tool(write=True)
    def grant_app_permission(self, app_name: str, permission: str) -> str:
        """Gives a specific permission to an app (like access to storage, camera, or location). Required for some app functions to work properly.

        Args:
            app_name: The name of the app to grant the permission to.
            permission: The permission to grant, should be lowercase.
        """  # noqa: E501
        ok, message = self._grant_app_permission(app_name, permission)
        return self._with_status_bar(f"{'Success. ' if ok else 'Error. '}{message}")

    def _grant_app_permission(self, app_name: str, permission: str) -> tuple[bool, str]:
        app = self.device.app_statuses.get(app_name)
        permission = permission.lower()
        if app is None:
            return False, f"App '{app_name}' not found. Cannot grant permission."
        available = list(app.permissions.model_dump())
        if permission not in available:
            return (
                False,
                f"Permission '{permission}' not tracked for app '{app_name}', available permissions: {available}",
            )  # noqa: E501
        setattr(app.permissions, permission, True)
        return True, f"Permission '{permission}' granted to app '{app_name}'."

    @tool
    def can_send_mms(self) -> str:
        """Checks if the default messaging app can send MMS messages."""
        if self._can_send_mms():
            return "Your messaging app can send MMS messages."
        return "Your messaging app cannot send MMS messages."

    @tool(write=True)
    def reboot_device(self) -> str:
        """Restarts your phone completely. This can help resolve many temporary software glitches by refreshing all running services and connections."""  # noqa: E501
        return self._with_status_bar(self._reboot_device())

    @tool
    def check_payment_request(self) -> str:
        """Checks if the agent has sent you a payment request."""
        request = self.surroundings.payment_request
        if request is None:
            return "No payment request has been made."
        return f"You have a payment request for bill {request.bill_id} of {request.amount_due} USD."

    @tool(write=True)
    def make_payment(self) -> str:
        """Makes a payment for the bill that the agent has sent you."""
        request = self.surroundings.payment_request
        if request is None:
            return "You do not have a payment request."
        request.paid = True
        return f"Payment of {request.amount_due} USD has been made for bill {request.bill_id}."


def _granted(permissions: dict[str, Any]) -> list[str]:
    """Names of the granted permissions, as the phone lists them."""
    return [name.replace("_", " ").lower() for name, allowed in permissions.items() if allowed]
