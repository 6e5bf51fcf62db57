import unittest

from words import count_words, most_common


class HiddenTest(unittest.TestCase):
    def test_newlines_and_tabs_separate_words(self):
        self.assertEqual(count_words("one\ttwo\nthree one"), {"one": 2, "two": 1, "three": 1})

    def test_n_larger_than_vocabulary(self):
        self.assertEqual(most_common("a a b", 10), [("a", 2), ("b", 1)])

    def test_only_punctuation(self):
        self.assertEqual(count_words("... !!! ,"), {})


if __name__ == "__main__":
    unittest.main()
