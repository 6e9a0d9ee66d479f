"""Entry point of runner-mock."""
