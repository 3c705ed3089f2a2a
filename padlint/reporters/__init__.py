"""Reporters: turn analyses and findings into text, JSON, SARIF and annotations. They only format."""
