"""The lists methods of the sandbox portal."""
