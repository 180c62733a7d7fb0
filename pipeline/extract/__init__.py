"""One extractor per output table. Importing this package registers our spaCy components."""
from pipeline.extract import actions, amounts, organisations, targets  # noqa: F401
