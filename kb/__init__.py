"""kb: a command-line knowledge base for Japanese inspection-visit reports (視察報告)."""

__version__ = "0.1.0"
