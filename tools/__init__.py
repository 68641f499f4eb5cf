"""Developer tools, not shipped: document and template generators, sample generators."""
