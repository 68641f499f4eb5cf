"""One builder per dataset: build_<dataset>_suite() -> ExpectationSuite."""
