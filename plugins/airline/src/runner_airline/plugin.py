"""Entry point of runner-airline (hook implementations)."""
