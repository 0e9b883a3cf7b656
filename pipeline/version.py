"""The pipeline's version, stored with every document: a new version re-processes files
already loaded. Kept apart from pipeline.run so that the ingest's parent process, which
only compares versions, does not import the extractors (~65 ms) to learn it."""

PIPELINE_VERSION = "0.1.0"
