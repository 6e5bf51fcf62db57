def count_words(text):
    """Return a dict mapping each lower-case word of text to its count."""
    raise NotImplementedError


def most_common(text, n):
    """Return the n most frequent (word, count) pairs, most frequent first."""
    raise NotImplementedError
