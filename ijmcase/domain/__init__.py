"""Pure rules and value types of casework; imports only the standard library."""
