"""Shapes with areas."""
import math
from abc import ABC, abstractmethod


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...


class Circle(Shape):
    def __init__(self, radius):
        self._radius = radius

    @property
    def radius(self):
        return self._radius

    def area(self):
        return math.pi * self._radius ** 2


class Square(Shape):
    def __init__(self, side):
        self._side = side

    def area(self):
        return self._side ** 2


def total_area(shapes):
    return sum(shape.area() for shape in shapes)


if __name__ == "__main__":
    print(total_area([Circle(1), Square(2)]))
