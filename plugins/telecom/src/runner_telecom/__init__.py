"""runner-telecom: runner domain plugin: mobile-phone technical support with dual control (τ²-bench 'telecom' compatible)."""
