"""Runnable code shown on the site. Pages include sections of these modules."""
