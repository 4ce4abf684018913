"""Scale and speed measurements of ijmcase against the floor (see README.md)."""
