"""Where records come from: corpus folders (profile pages, JSON Lines) and arXiv feeds. Knows nothing of search."""
