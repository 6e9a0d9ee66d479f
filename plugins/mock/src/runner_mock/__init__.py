"""runner-mock: a small task-tracker domain."""
