"""Training recipe data (the spaCy config) and the training-time augmenter."""
