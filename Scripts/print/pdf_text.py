#!/usr/bin/env python3
"""What a PDF shows, read by pdfminer.six (PyPI), independently of zorgzones: page count and sizes in points, and
every run of text with its font size in points. Prints JSON:

    {"pages": [{"width": 841.89, "height": 595.28}], "min_size": 7.0, "chars": 4321,
     "lines": [{"text": "Regio Antwerpen", "size": 9.6}, ...]}

Usage: Scripts/print/pdf_text.py FILE.pdf
"""
import json
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine


def lines_of(element):
    if isinstance(element, LTTextLine):
        yield element
    elif isinstance(element, LTTextContainer) or hasattr(element, "__iter__"):
        for child in element:
            yield from lines_of(child)


def main(path):
    pages, lines, sizes = [], [], []
    for page in extract_pages(path, laparams=LAParams(line_margin=0.2, char_margin=1.0)):
        pages.append({"width": round(page.width, 2), "height": round(page.height, 2)})
        for line in lines_of(page):
            chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
            if not chars:
                continue
            # A glyph's size is its font size as drawn: the text matrix's scale times the font size.
            line_sizes = [c.size for c in chars]
            sizes += line_sizes
            lines.append({"text": line.get_text().strip(), "size": round(min(line_sizes), 3)})
    json.dump({"pages": pages, "min_size": round(min(sizes), 3) if sizes else None, "chars": len(sizes),
               "lines": lines}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
