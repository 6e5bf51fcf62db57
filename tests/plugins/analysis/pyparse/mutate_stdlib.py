"""Writes mutated fragments of the standard library and CPython's verdict on each.

Usage: python3 mutate_stdlib.py OUTDIR COUNT SEED

Each fragment is 15 lines of a stdlib module, dedented, with one token deleted,
doubled, or preceded by a common token. OUTDIR/verdicts.tsv gets one line per
fragment: file name, then "ok", or line, offset, exception class and message of the
SyntaxError that compile() raised.
"""
import io
import pathlib
import random
import sys
import textwrap
import tokenize
import warnings

INSERTS = ['(', ')', '[', ']', ':', ',', '=', 'if', 'else', '*', '**', 'lambda', 'yield',
           'not', '.', '@', 'return', '==']
SKIP = (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT,
        tokenize.NEWLINE)


def fragments(rng, count):
    modules = sorted(pathlib.Path('/usr/lib/python3.11').glob('*.py'))
    made = 0
    while made < count:
        try:
            lines = rng.choice(modules).read_text().split('\n')
        except (UnicodeDecodeError, OSError):
            continue
        if len(lines) < 20:
            continue
        start = rng.randrange(0, len(lines) - 15)
        chunk = textwrap.dedent('\n'.join(lines[start:start + 15])) + '\n'
        try:
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(chunk).readline) if t.type not in SKIP]
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
        if not tokens:
            continue
        token = rng.choice(tokens)
        choice = rng.random()
        if token.start[0] != token.end[0]:
            continue
        rows = chunk.split('\n')
        row = token.start[0] - 1
        text = rows[row]
        if choice < 0.4:
            rows[row] = text[:token.start[1]] + text[token.end[1]:]
        elif choice < 0.7:
            rows[row] = text[:token.end[1]] + ' ' + token.string + text[token.end[1]:]
        else:
            rows[row] = text[:token.start[1]] + rng.choice(INSERTS) + ' ' + text[token.start[1]:]
        yield '\n'.join(rows)
        made += 1


def main():
    out, count, seed = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    warnings.simplefilter('ignore')
    with open(out / 'verdicts.tsv', 'w') as verdicts:
        for index, source in enumerate(fragments(rng, count)):
            name = f'm{index}.py'
            (out / name).write_text(source)
            try:
                compile(source, name, 'exec', dont_inherit=True)
                verdicts.write(f'{name}\tok\n')
            except SyntaxError as e:
                message = e.msg.replace('\t', ' ').replace('\n', ' ')
                verdicts.write(f'{name}\t{e.lineno}\t{e.offset}\t{type(e).__name__}\t{message}\n')


if __name__ == '__main__':
    main()
