"""Question answering over the graph: ``ask(question, store) -> dict``."""
