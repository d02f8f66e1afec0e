#!/usr/bin/env python3
"""No function of the generator or the runtime over 150 lines (issue 35).

Counts from a function's `fn` line to its closing brace, nested items
included; test modules (`#[cfg(test)]` to the end of the file, and files
named `tests.rs`) are not counted. Prints every function over the limit and
exits 1 if there is one.

    python3 tests/house/function_length.py [--limit N] [DIR...]
"""
import os
import re
import sys

FN = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"C"\s+)?fn\s+(\w+)')
RAW = re.compile(r'b?r(#*)"')
CHAR = re.compile(r"b?'(\\.|\\u\{[0-9a-fA-F]+\}|[^'\\])'")


def blank(text):
    """The source with every string, char literal and comment emptied,
    newlines kept (so line numbers hold): strings span lines, and their
    braces must not count."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
            continue
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append('\n' * text.count('\n', i, j))
            i = j
            continue
        prev = text[i - 1] if i else ' '
        raw = RAW.match(text, i) if not (prev.isalnum() or prev == '_') else None
        if raw:
            close = '"' + raw.group(1)
            j = text.find(close, raw.end())
            j = n if j < 0 else j + len(close)
            out.append('""' + '\n' * text.count('\n', i, j))
            i = j
            continue
        if text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            j += 1
            out.append('""' + '\n' * text.count('\n', i, j))
            i = j
            continue
        char = CHAR.match(text, i) if not (prev.isalnum() or prev == '_') else None
        if char:
            out.append("''")
            i = char.end()
            continue
        out.append(text[i])
        i += 1
    return ''.join(out)


def functions(path):
    lines = blank(open(path, encoding='utf-8').read()).split('\n')
    end = len(lines)
    for i, line in enumerate(lines):
        if re.match(r'^#\[cfg\(test\)\]', line):
            end = i
            break
    i = 0
    while i < end:
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, started, j = 0, False, i
        while j < end:
            code = lines[j]
            for ch in code:
                if ch == '{':
                    depth += 1
                    started = True
                elif ch == '}':
                    depth -= 1
            if started and depth == 0:
                break
            if not started and code.rstrip().endswith(';'):
                break
            j += 1
        yield m.group(7), i + 1, j - i + 1
        i += 1


def main(argv):
    limit = 150
    dirs = []
    args = iter(argv)
    for a in args:
        if a == '--limit':
            limit = int(next(args))
        else:
            dirs.append(a)
    dirs = dirs or ['codegen/src', 'codegen/runtime/src']
    over = []
    for root in dirs:
        for folder, _, files in os.walk(root):
            for f in sorted(files):
                if not f.endswith('.rs') or f == 'tests.rs':
                    continue
                path = os.path.join(folder, f)
                for name, line, length in functions(path):
                    if length > limit:
                        over.append((length, f'{path}:{line}', name))
    for length, where, name in sorted(over, reverse=True):
        print(f'{where}: fn {name} is {length} lines (limit {limit})')
    if over:
        print(f'{len(over)} function(s) over {limit} lines', file=sys.stderr)
        return 1
    print(f'no function over {limit} lines in {", ".join(dirs)}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
