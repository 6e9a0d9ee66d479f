"""Entry point of runner-users (hook implementations)."""
