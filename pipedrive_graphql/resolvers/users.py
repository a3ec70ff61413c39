"""User reads: the user list is fetched once per request and indexed."""

from __future__ import annotations
