"""runner-retail: runner domain plugin: an online retail store (τ²-bench 'retail' compatible)."""
