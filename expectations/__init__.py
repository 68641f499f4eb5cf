"""Great Expectations suites as code, and the one function that runs them (validate.run_gate)."""
