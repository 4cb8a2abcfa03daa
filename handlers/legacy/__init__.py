"""The conversation layer before the dialog framework.

Each module leaves when its feature package replaces it."""
