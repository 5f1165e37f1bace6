"""user.current and profile."""
