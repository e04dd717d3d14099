"""Cross-cutting pieces of the platform: health check, infrastructure tasks."""
