"""Entry point of runner-retail (hook implementations)."""
