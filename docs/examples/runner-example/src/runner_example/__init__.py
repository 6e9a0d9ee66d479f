"""runner-example: the example plugin of docs/plugin-authoring.md."""
