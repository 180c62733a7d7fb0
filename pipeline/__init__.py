"""Norwegian/English extraction of organisations, amounts, targets and actions."""
__version__ = "0.1.0"
