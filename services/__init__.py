"""newsdesk: many outlets in, one merged record per real-world event out."""

__version__ = "0.1.0"
