x = f'{a!r:>{w}} {b=} {{c}}' + f"{'q'}"
y = rb'\d' + '''multi
line'''
match p:
    case {'k': [1, *r]} | Point(x=0) as q if q:
        pass
