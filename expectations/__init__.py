"""Great Expectations suites, one module per landing entity, built in code."""
