"""Complaint text: segmentation into terms, the warehouse's term store, grouping of descriptions."""
