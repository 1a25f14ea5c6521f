"""Built-in detectors: findings that need code rather than a phrase list.
Each returns `Match` objects named after the detector, like phrase lists do."""
