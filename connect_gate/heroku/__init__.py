"""Live sources: the Heroku Connect API (diagnostics, states, write errors) and the Platform API."""
