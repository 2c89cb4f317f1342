"""Batch duplicate detection with splink on DuckDB: ``features`` builds the input table,
``settings`` is the model, ``run`` trains it without labels and returns the likely pairs."""
