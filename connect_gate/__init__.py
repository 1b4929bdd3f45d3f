"""connect-gate: a CI gate that stops a pull request from breaking a Heroku Connect sync."""

__version__ = "0.1.0"
