"""Live updates: Pipedrive webhooks in, cache invalidation and GraphQL subscription events out."""
