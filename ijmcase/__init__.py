"""ijmcase: casework for a public-justice organization."""

__version__ = "0.1.0"
