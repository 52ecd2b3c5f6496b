"""Platform-neutral conversation flows. Nothing here imports a messenger library."""
