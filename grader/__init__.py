"""Checks for the deep neural networks course (being built)."""
