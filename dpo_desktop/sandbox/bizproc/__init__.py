"""The bizproc methods of the sandbox portal."""
