"""Fixed strings of the conversation protocol (shared by orchestrators and participants)."""

STOP_TOKEN = "###STOP###"
TRANSFER_TOKEN = "###TRANSFER###"
OUT_OF_SCOPE_TOKEN = "###OUT-OF-SCOPE###"
#: The orchestrator opens with this assistant message unless the task has a message history.
GREETING = "Hi! How can I help you today?"
