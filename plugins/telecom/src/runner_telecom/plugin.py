"""Entry point of runner-telecom (hook implementations)."""
