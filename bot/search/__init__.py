"""The search engine: tokenizer, BM25 postings with pruning, feedback re-ranking, and the persisted index store."""
