"""Tests of the Pipedrive emulator."""
