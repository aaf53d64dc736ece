"""Answering: a Query plus the index become a Reply (template and data), rendered to text. Knows nothing of Discord."""
