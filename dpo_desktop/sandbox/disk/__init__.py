"""The disk methods of the sandbox portal."""
