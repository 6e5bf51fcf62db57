import unittest

from words import count_words, most_common


class CountWordsTest(unittest.TestCase):
    def test_simple_sentence(self):
        self.assertEqual(count_words("The cat and the hat."), {"the": 2, "cat": 1, "and": 1, "hat": 1})

    def test_empty_text(self):
        self.assertEqual(count_words(""), {})

    def test_punctuation_is_stripped(self):
        self.assertEqual(count_words('"Hello," she said. Hello!'), {"hello": 2, "she": 1, "said": 1})


class MostCommonTest(unittest.TestCase):
    def test_orders_by_count(self):
        self.assertEqual(most_common("b a b c a b", 2), [("b", 3), ("a", 2)])

    def test_ties_are_alphabetical(self):
        self.assertEqual(most_common("z y x", 3), [("x", 1), ("y", 1), ("z", 1)])


if __name__ == "__main__":
    unittest.main()
