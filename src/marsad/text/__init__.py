"""The text layer: document text, shadow text with offset map, sentences, tokens."""
