"""Forms of the web UI. Forms parse and check input; services do the writing."""
