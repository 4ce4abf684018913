"""Use cases: one class per area; permission checks and audit happen here."""
