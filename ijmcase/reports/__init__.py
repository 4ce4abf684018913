"""PDF, CSV and spreadsheet writers: data in, bytes out (filled by the reports issue)."""
