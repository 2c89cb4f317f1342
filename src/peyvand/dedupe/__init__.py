"""IDIC "Identify": finding duplicate customers and merging them without losing anything."""
