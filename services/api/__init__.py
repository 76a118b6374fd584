"""The read side: an HTTP API with a live page, and subscriptions to events as they happen."""
