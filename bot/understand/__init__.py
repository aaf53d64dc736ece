"""Question understanding: free text and slash-command options become a Query. Pure; no index access."""
