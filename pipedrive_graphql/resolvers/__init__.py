"""Resolvers: GraphQL arguments -> loader and client calls -> records, one module per domain."""
