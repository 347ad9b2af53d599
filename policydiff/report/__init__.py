"""report: Comparison → files for people (HTML diff report, coverage audit)."""
