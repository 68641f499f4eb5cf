"""Disclosure control, release bundles and the release report."""
