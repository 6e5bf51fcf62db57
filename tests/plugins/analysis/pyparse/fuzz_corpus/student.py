def fib(n):
    """Return the n-th Fibonacci number."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class Stack:
    def __init__(self):
        self._items = []

    def push(self, item):
        self._items.append(item)

    @property
    def top(self):
        return self._items[-1] if self._items else None
