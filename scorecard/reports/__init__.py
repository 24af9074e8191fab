"""Reports: what managers, councillors and analysts read."""
