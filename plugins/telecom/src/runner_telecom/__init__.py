"""runner-telecom: mobile-phone technical support with dual control (τ²-bench ``telecom``)."""
