"""runner-airline: runner domain plugin: an airline reservation desk (τ²-bench 'airline' compatible)."""
