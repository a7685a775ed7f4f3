"""Tokenizers for tests whose token counts are worked out by hand (shared by the dataset and retrieval tests)."""


class Words:
    """Words, plus one a message: a tokenizer whose counts add up (the parts sum to the whole)."""

    name = "words"

    def count(self, text: str) -> int:
        return len(text.split())

    def count_messages(self, messages) -> int:
        return sum(len(m["content"].split()) + 1 for m in messages)
