# -*- coding: utf-8 -*-
from __future__ import annotations
import os, sys as system
from . import a
from ..b.c import (d as e, f,)
match = 1; case = 2; type = 3; _ = 4
print(match, case, type, _)
match(x)
match[x]: int = 5
type(x).y = 3
def type_user(type=type, match=None, *, case): return type
x = 1_000_000 + 0x_FF + 0o17 + 0b1010 + 1_0.5e-1_0 + 3.14j + 1e5 + .5 + 5.
s = rb'\d' + Rb"x" + br'''y''' + BR"""z""" + u'u' + r'\'' + 'a' 'b'
f1 = f'{x!r:>{width}.{prec}} {x=} {x = !s:^10} {{literal}} {"nested" + f"{y}"}'
f2 = f"{'a' if x else "b"}" + rf'\d{x}\N{y}' + F'''{
    x  # comment inside
    + 1
}''' + f'{x:{"<"}10}' + f'{3.14:.2f}' + f'{x:=10}' + f'{(x:=10)}' + f'{d["k"]}'
f3 = f'{f'{f'{1}'}'}' + f"{x!r}" + f'{x,y}' + f'{lambda_:=1}' + f"\{x}" + f'{x}' f"{y}"
f4 = f'a{{b}}c' + f'{x:%H:%M}' + f"""a"b''c{x}"""
@decorator
@pkg.mod.decorator(arg)
@(lambda f: f)
@x[0].y if True else z
class C[T: int, *Ts, **P](Base, metaclass=Meta):
    attr: int = 0
    async def m[U](self, a, /, b: int = 1, *args: *Ts, c, d=2, **kw) -> list[U]:
        async with a as b, c as (d, e):
            async for i in aiter():
                await i
        return [j async for j in k if j if not j] + [*a, *b]
    def gen(self):
        x = yield
        y = yield from z
        return (yield)
type Alias = int
type Generic[T] = list[T]
type Bounded[T: (int, str), *Ts, **P] = tuple[T, *Ts]
if (n := len(a)) > 10: pass
while chunk := f.read(): pass
print(*a, *b, **c, **d, sep='')
a, *b, c = range(10)
[a, b], (c, d) = e
x = a if b else c
y = lambda a, /, b=1, *c, d, **e: (a, b)
z = lambda *, k: k
w = lambda: (yield)
del a[0], b.c, (d, e)
global gg
with (open(a) as f, open(b) as g,):
    pass
with (a, b):
    pass
def wy():
  with (yield):
    pass
with (w):
    pass
try:
    pass
except* ValueError as eg:
    pass
except* (TypeError, KeyError):
    pass
try:
    pass
except:
    pass
else:
    pass
finally:
    pass
match command.split():
    case [action]:
        pass
    case [action, obj] | ("go" | "move", obj) if obj:
        pass
    case Point(x=0, y=0) | Point(0, 0, z=_):
        pass
    case {"k": v, **rest}:
        pass
    case {1: _, "a": [1, 2], -1: None, 1+2j: True, Color.RED: x}:
        pass
    case [1, 2, *others] | (1, *_) | () | []:
        pass
    case -1 | 1.5 | -2 - 3j | "s" "t" | None | True | False:
        pass
    case str() | bytes() as s:
        pass
    case (a as b) as c:
        pass
    case _:
        pass
match a, b:
    case 1, 2: pass
match *a, b:
    case _: pass
match (x):
    case a.b.c: pass
a[1:2, ::3, ...] = b[*c] = d[x:=1] = 0
x = {**a, 'b': 1}
x = {1, 2, *s}
x = {k: v for k, v in y}
x = {a for a in b}
x = (a for a in b)
x = not a is not b not in c < d <= e
x = a @ b // c % d ** -e ** f >> g << h & i ^ j | ~k
x @= 1; x //= 2; x **= 3; x >>= 4; x <<= 5; x &= 6; x ^= 7; x |= 8; x %= 9
assert x, "msg"
raise E from e
nonlocal_name = 1
if a:
    pass
elif b:
    pass
else:
    pass
for i in *a, *b:
    pass
else:
    pass
x = \
    1
class Empty: pass
def f(a, b, /): pass
def g(a, /, *, b): pass
async def h(): return [await x async for x in y]
print(f"{'\n'.join(a)}")
x = f"{x:{y}{z}}"
x = ...
