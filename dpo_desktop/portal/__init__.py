"""The mapping of the app's logical schema onto one portal: discovery, check, provisioning."""
