"""The extraction pipeline: spaCy (blank zh with the jieba segmenter) plus kg's components."""
