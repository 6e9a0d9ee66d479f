"""The customer's phone (user tools) on the plugin's own data: τ²-bench's texts and rules."""

from __future__ import annotations

from typing import Any

from runner import EnvFunctionCall
from telecom_helpers import call, user_env


def phone(env: Any, name: str, **arguments: Any) -> str:
    msg = call(env, name, requestor="user", **arguments)
    return msg.content


def setup(env: Any, name: str, **arguments: Any) -> Any:
    return env.run_function(EnvFunctionCall(env_type="user", func_name=name, arguments=arguments))


GOOD_5G = "📶³ Good | 5G | 📱 Data Enabled | 🔋 64%"
EXCELLENT_5G = "📶⁴ Excellent | 5G | 📱 Data Enabled | 🔋 64%"
NO_SIGNAL = "📵 No Signal | 📵 Data Disabled | 🔋 64%"


def test_status_network_and_speed(domain: Any) -> None:
    env = user_env(domain)
    assert phone(env, "check_status_bar") == f"Status Bar: {GOOD_5G}"
    assert phone(env, "check_network_status") == (
        "Airplane Mode: OFF\nSIM Card Status: active\nCellular Connection: connected\nCellular Signal: good\n"
        "Cellular Network Type: 5G\nMobile Data Enabled: Yes\nData Roaming Enabled: No\nWi-Fi Radio: OFF\n"
        "Wi-Fi Connected: No"
    )
    assert (
        phone(env, "run_speed_test")
        == "Speed Test Result: 220.00 Mbps (Excellent). Connection is very fast."
    )
    assert (
        phone(env, "reboot_device") == f"Restarting network services...\nStatus Bar: {EXCELLENT_5G}"
    )
    assert phone(env, "toggle_data_saver_mode") == (
        f"Data Saver Mode is now ON.\nStatus Bar: {EXCELLENT_5G.replace(' | 🔋', ' | 🔽 Data Saver | 🔋')}"
    )
    assert phone(env, "run_speed_test") == (
        "Speed Test Result: 55.00 Mbps (Good). Connection is good for most activities, including HD streaming."
    )
    assert (
        phone(env, "check_data_restriction_status") == "Data Saver mode is ON (limits data usage)."
    )


def test_airplane_mode_and_wifi(domain: Any) -> None:
    env = user_env(domain)
    phone(env, "toggle_wifi")
    assert phone(env, "check_wifi_status") == "Wi-Fi is ON but not connected to any network."
    assert (
        phone(env, "toggle_airplane_mode")
        == "Airplane Mode is now ON.\nStatus Bar: ✈️ Airplane Mode | 🔋 64%"
    )
    assert phone(env, "run_speed_test") == "Speed test failed: No Connection."
    assert phone(env, "toggle_wifi") == (
        "Cannot change Wi-Fi settings while Airplane Mode is ON.\nStatus Bar: ✈️ Airplane Mode | 🔋 64%"
    )
    assert (
        phone(env, "toggle_airplane_mode")
        == f"Airplane Mode is now OFF.\nStatus Bar: {EXCELLENT_5G}"
    )
    assert setup(env, "assert_airplane_mode_status", expected_status=False) is True


def test_network_mode_preference(domain: Any) -> None:
    env = user_env(domain)
    assert phone(env, "set_network_mode_preference", mode="2g_only") == (
        "Preferred Network Mode set to: 2g_only\nStatus Bar: 📶¹ Poor | 2G | 📱 Data Enabled | 🔋 64%"
    )
    assert phone(env, "run_speed_test") == (
        "Speed Test Result: 0.05 Mbps (Very Poor). Connection is very slow. Basic web browsing might be difficult."
    )
    assert phone(env, "can_send_mms") == "Your messaging app cannot send MMS messages."
    assert phone(env, "check_network_mode_preference") == "Network Mode Preference: 2g_only"
    assert phone(env, "set_network_mode_preference", mode="5g") == (
        "Failed to set network mode: '5g' is not a valid option. Please use one of: 4g_5g_preferred, "
        "4g_only, 3g_only, 2g_only\nStatus Bar: 📶¹ Poor | 2G | 📱 Data Enabled | 🔋 64%"
    )
    phone(env, "set_network_mode_preference", mode="3g_only")
    assert phone(env, "run_speed_test").startswith("Speed Test Result: 1.50 Mbps (Poor).")
    phone(env, "set_network_mode_preference", mode="4g_only")
    assert phone(env, "run_speed_test").startswith("Speed Test Result: 44.00 Mbps (Good).")


def test_sim_card(domain: Any) -> None:
    env = user_env(domain)
    assert setup(env, "unseat_sim_card") == "SIM card un-seated successfully."
    assert phone(env, "check_sim_status") == "No SIM card detected in the phone."
    assert phone(env, "check_status_bar") == f"Status Bar: {NO_SIGNAL}"
    assert (
        phone(env, "reseat_sim_card")
        == f"SIM card re-seated successfully.\nStatus Bar: {EXCELLENT_5G}"
    )
    setup(env, "lock_sim_card", mode="pin")
    assert phone(env, "check_sim_status") == "The SIM card is locked with a PIN code."
    assert setup(env, "assert_service_status", expected_status="no_service") is True
    phone(env, "reseat_sim_card")  # does not unlock
    assert setup(env, "assert_service_status", expected_status="connected") is False


def test_apn_reset_applies_at_reboot(domain: Any) -> None:
    env = user_env(domain)
    setup(env, "break_apn_settings")
    assert phone(env, "check_apn_settings") == (
        "Current APN Name: broken\nMMSC URL (for picture messages): http://mms.carrier.com/mms/wapenc\n"
        "(These are technical settings, usually best left unchanged.)"
    )
    assert (
        phone(env, "reset_apn_settings")
        == f"APN settings will reset at reboot.\nStatus Bar: {NO_SIGNAL}"
    )
    assert phone(env, "reboot_device") == (
        f"Resetting APN settings...\nRestarting network services...\nStatus Bar: {EXCELLENT_5G}"
    )
    setup(env, "break_apn_mms_setting")
    assert "MMSC URL (for picture messages): Not Set" in phone(env, "check_apn_settings")
    assert phone(env, "set_apn_settings", apn_settings={"apn_name": "internet"}) == (
        f"APN settings set to: internet\nStatus Bar: {EXCELLENT_5G}"
    )
    assert phone(env, "can_send_mms") == "Your messaging app can send MMS messages."


def test_vpn(domain: Any) -> None:
    env = user_env(domain)
    assert phone(env, "check_vpn_status") == "VPN is turned OFF."
    assert (
        phone(env, "connect_vpn")
        == f"VPN connected successfully.\nStatus Bar: {GOOD_5G.replace(' | 🔋', ' | 🔒 VPN Connected | 🔋')}"
    )
    assert phone(env, "connect_vpn") == "VPN already connected."
    assert phone(env, "check_vpn_status") == (
        "VPN is ON and connected. Details: {'server_address': '192.168.1.1', 'protocol': 'OpenVPN', "
        "'server_performance': <PerformanceLevel.EXCELLENT: 'excellent'>}"
    )
    phone(env, "disconnect_vpn")
    assert (
        phone(env, "disconnect_vpn")
        == f"No active VPN connection to disconnect.\nStatus Bar: {GOOD_5G}"
    )
    setup(env, "break_vpn")
    assert phone(env, "run_speed_test").startswith("Speed Test Result: 22.00 Mbps (Fair).")
    phone(env, "disconnect_vpn")
    phone(env, "connect_vpn")  # the same degraded profile, as in τ²-bench
    assert phone(env, "run_speed_test").startswith("Speed Test Result: 22.00 Mbps (Fair).")
    fresh = user_env(domain)  # but another phone is not affected
    phone(fresh, "connect_vpn")
    assert phone(fresh, "run_speed_test").startswith("Speed Test Result: 220.00 Mbps")


def test_apps_and_permissions(domain: Any) -> None:
    env = user_env(domain)
    assert (
        phone(env, "check_installed_apps")
        == "The following apps are installed on the phone: messaging, browser, maps"
    )
    assert phone(env, "check_app_status", app_name="messaging") == (
        "Status for App: messaging\n - Permissions Granted:\n   - sms\n   - storage\n   - phone"
    )
    assert (
        phone(env, "check_app_permissions", app_name="maps")
        == "App 'maps' has permission for: network."
    )
    assert (
        phone(env, "check_app_permissions", app_name="camera")
        == "App 'camera' not found on this phone."
    )
    assert setup(env, "remove_app_permission", app_name="messaging", permission="SMS") == (
        True,
        "Permission 'sms' removed from app 'messaging'.",
    )
    assert phone(env, "can_send_mms") == "Your messaging app cannot send MMS messages."
    assert phone(env, "grant_app_permission", app_name="messaging", permission="camera") == (
        "Error. Permission 'camera' not tracked for app 'messaging', available permissions: "
        f"['sms', 'storage', 'phone', 'network']\nStatus Bar: {GOOD_5G}"
    )
    assert phone(env, "grant_app_permission", app_name="camera", permission="sms").startswith(
        "Error. App 'camera' not found. Cannot grant permission.\n"
    )
    assert phone(env, "grant_app_permission", app_name="messaging", permission="sms") == (
        f"Success. Permission 'sms' granted to app 'messaging'.\nStatus Bar: {GOOD_5G}"
    )
    assert phone(env, "can_send_mms") == "Your messaging app can send MMS messages."


def test_wifi_calling_blocks_mms(domain: Any) -> None:
    env = user_env(domain)
    assert setup(env, "set_wifi_calling", enabled=True, mms_over_wifi=True) == (
        "Wi-Fi Calling is now ON.\nMMS over Wi-Fi is now ON."
    )
    assert phone(env, "check_wifi_calling_status") == "Wi-Fi Calling is currently turned ON."
    assert setup(env, "assert_can_send_mms", expected_status=False) is True
    assert phone(env, "toggle_wifi_calling") == f"Wi-Fi Calling is now OFF.\nStatus Bar: {GOOD_5G}"
    assert setup(env, "assert_can_send_mms", expected_status=True) is True


def test_bad_arguments_and_no_payment(domain: Any) -> None:
    env = user_env(domain)
    bad = call(env, "toggle_data", requestor="user", x=1)
    assert bad.error
    assert (
        bad.content
        == "Error: TelecomUserTools.toggle_data() got an unexpected keyword argument 'x'"
    )
    assert phone(env, "check_payment_request") == "No payment request has been made."
    assert phone(env, "make_payment") == "You do not have a payment request."
    assert (
        call(env, "get_customer_by_id", requestor="user", customer_id="C2001").content
        == "Error: Tool 'get_customer_by_id' not found."
    )


def test_assertion_functions(domain: Any) -> None:
    env = user_env(domain)
    assert (
        setup(env, "assert_internet_speed", expected_speed=200, expected_desc="EXCELLENT") is True
    )
    assert setup(env, "assert_internet_not_excellent") is False
    setup(env, "turn_data_off")
    assert setup(env, "assert_mobile_data_status", expected_status=False) is True
    assert setup(env, "assert_internet_speed", expected_speed=0.0) is True
    setup(env, "turn_data_on")
    setup(env, "turn_roaming_on")
    assert setup(env, "assert_mobile_roaming_status", expected_status=True) is True
    setup(env, "turn_data_saver_mode_on")
    assert setup(env, "assert_mobile_data_saver_mode_status", expected_status=True) is True
    assert setup(env, "assert_mobile_data_usage_exceeded", expected_status=False) is True
