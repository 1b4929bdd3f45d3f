"""The YAML policy: what blocks, what warns, what is waived."""
