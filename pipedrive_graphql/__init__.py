"""pipedrive-graphql: one linked, batched GraphQL graph over the Pipedrive CRM REST API."""

__version__ = "0.1.0"
