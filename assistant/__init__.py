"""Framework guidance assistant: grounded answers about the CIP Framework."""
