"""Markdown from authors is rendered to HTML that can carry no active content.

Every payload is rendered and the output is parsed as a browser would (entities decoded):
only allowlisted tags and attributes may appear, URLs may only use http, https, mailto or
be relative, and no event handler or style survives. Next to that, ordinary Markdown,
code and math still render as expected.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from stride.courses.markdown import LinkTerm, render_markdown

# What the renderer may emit, written out here independently of the module's own lists.
SAFE_ATTRIBUTES: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            "p",
            "br",
            "hr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "strong",
            "em",
            "del",
            "s",
            "pre",
            "blockquote",
            "ul",
            "li",
            "table",
            "thead",
            "tbody",
            "tr",
        ],  # fmt: skip
        set(),
    ),
    "a": {"href", "title", "class", "data-term", "rel"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
    "th": {"align"},
    "td": {"align"},
}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    assert not parser.comments, html
    return parser.elements


def assert_inert(html: str) -> None:
    """No element, attribute or URL in ``html`` that could run code or restyle the page."""
    for tag, attrs in elements(html):
        assert tag in SAFE_ATTRIBUTES, f"<{tag}> in {html!r}"
        assert set(attrs) <= SAFE_ATTRIBUTES[tag], f"<{tag} {attrs}> in {html!r}"
        for name in ("href", "src"):
            if name in attrs:
                # As a browser reads it: tabs and newlines anywhere are dropped, and control
                # characters and spaces around it (WHATWG URL parsing).
                url = re.sub("[\t\n\r]", "", attrs[name] or "").strip("".join(map(chr, range(33))))
                scheme = SCHEME.match(url)
                assert scheme is None or scheme.group(1).lower() in SAFE_SCHEMES, f"{name}={url!r} in {html!r}"
        if tag == "a" and "href" in attrs:
            assert attrs.get("rel") == "noopener noreferrer nofollow", html


XSS_PAYLOADS = [
    # script and style, in every spelling
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<style>body { display: none }</style>",
    '<link rel="stylesheet" href="//xss.example/x.css">',
    "<div>\n<script>alert(1)</script>\n</div>",  # an HTML block
    "<!-- a comment --><script>alert(1)</script>",
    "text <b onmouseover=alert(1)>inline html</b> text",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    # svg, math, frames, objects, forms
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # style attributes
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">x</p>',
    # dangerous URL schemes in Markdown links, with obfuscated casing, entities, whitespace
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#0000106avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java&#x0A;script:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](\x00javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: <javascript:alert(1)> 'title'",
    # images
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '![a" onerror="alert(1)](https://ok.example/i.png)',
    # attribute injection through titles, link text and destinations
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "[x](https://ok.example 'a\" onmouseover=\"alert(1)')",
    '[x](https://ok.example (a" onmouseover="alert(1)))',
    '![x](https://ok.example/i.png "a\\" onerror=\\"alert(1)")',
    '<https://ok.example/"onmouseover="alert(1)>',
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    '[x](https://ok.example/"><script>alert(1)</script>)',
    # glossary links
    '[x](<glossary:kernel" onclick="alert(1)>)',
    "[x](glossary:javascript:alert(1))",
    "[x](GLOSSARY:kernel)",
    # code and math carry their content as text only
    '```" onmouseover="alert(1)\ncode\n```',
    "```python onclick=alert(1)\ncode\n```",
    "```<script>alert(1)</script>\ncode\n```",
    "`<script>alert(1)</script>`",
    "$<img src=x onerror=alert(1)>$",
    "$$\n</div><script>alert(1)</script>\n$$",
    "$$</span><img src=x onerror=alert(1)>$$ in a line",
    # tables
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_lets_no_active_content_through(payload: str) -> None:
    html = render_markdown(payload)
    assert_inert(html)
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_lets_no_active_content_through_with_glossary_terms(payload: str) -> None:
    terms = [LinkTerm("kernel", ("kernel", "alert", "img", "script", "x"), 'a "quoted" <b>definition</b>')]
    assert_inert(render_markdown(payload, terms))


def test_it_shows_raw_html_as_text() -> None:
    html = render_markdown('Press <kbd>Ctrl</kbd> and <img src=x onerror="alert(1)">.')
    assert elements(html) == [("p", {})]
    assert "&lt;kbd&gt;Ctrl&lt;/kbd&gt;" in html
    assert '&lt;img src=x onerror="alert(1)"&gt;' in html


def test_it_drops_a_dangerous_link_but_keeps_its_words() -> None:
    html = render_markdown("Click [here](javascript:alert(1)) now.")
    assert not [tag for tag, _ in elements(html) if tag == "a"]
    assert "here" in html


def test_it_escapes_a_term_definition_in_the_link_title() -> None:
    terms = [LinkTerm("kernel", ("kernel",), '"><script>alert(1)</script>')]
    html = render_markdown("A kernel.", terms)
    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert links == [
        {
            "class": "term",
            "href": "/glossary/#term-kernel",
            "data-term": "kernel",
            "title": '"><script>alert(1)</script>',
            "rel": "noopener noreferrer nofollow",
        }
    ]
    assert "<script" not in html


# -- ordinary Markdown still renders -------------------------------------------------------


def test_it_renders_commonmark() -> None:
    html = render_markdown(
        "# Title\n\nSome *emphasis*, **strong** and ~~gone~~.\n\n- one\n- two\n\n3. three\n4. four\n"
    )
    assert [tag for tag, _ in elements(html)] == ["h1", "p", "em", "strong", "s", "ul", "li", "li", "ol", "li", "li"]
    assert ("ol", {"start": "3"}) in elements(html)
    assert "<s>gone</s>" in html


def test_it_renders_tables_with_alignment_but_no_style() -> None:
    html = render_markdown("| left | right |\n|:-----|------:|\n| a | 1 |\n")
    found = elements(html)
    assert ("th", {"align": "left"}) in found and ("td", {"align": "right"}) in found
    assert "style" not in html


def test_it_keeps_safe_links_and_images() -> None:
    html = render_markdown(
        "[web](https://keras.io/api/layers/) [mail](mailto:ta@uni.example) [lesson](/lessons/3) "
        '[glossary](glossary:kernel) ![grid](https://uni.example/grid.png "a grid")'
    )
    hrefs = [attrs.get("href") for tag, attrs in elements(html) if tag == "a"]
    assert hrefs == ["https://keras.io/api/layers/", "mailto:ta@uni.example", "/lessons/3", "/glossary/#term-kernel"]
    assert ("img", {"src": "https://uni.example/grid.png", "alt": "grid", "title": "a grid"}) in elements(html)


def test_it_renders_code_with_its_language_and_escaped() -> None:
    html = render_markdown("Call `conv2d(x, k)`.\n\n```python\nif a < b and c > d:\n    print('<b>')\n```\n")
    assert "<code>conv2d(x, k)</code>" in html
    assert ("code", {"class": "language-python"}) in elements(html)
    assert "if a &lt; b and c &gt; d:\n    print('&lt;b&gt;')" in html


def test_it_renders_math_as_escaped_tex_for_the_client() -> None:
    html = render_markdown("The output is $\\lfloor (n - k) / s \\rfloor + 1$ wide.\n\n$$\na < b\n$$\n")
    assert '<span class="math">\\lfloor (n - k) / s \\rfloor + 1</span>' in html
    assert '<div class="math display">a &lt; b</div>' in html


def test_it_leaves_prices_and_lone_dollars_alone() -> None:
    html = render_markdown("It costs $5 or $10, and a lone $ sign.")
    assert "math" not in html
    assert "$5 or $10" in html


def test_it_returns_the_cached_render_for_the_same_input() -> None:
    text = "A *cached* paragraph about kernels."
    terms = [LinkTerm("kernel", ("kernel",), "a small grid")]
    assert render_markdown(text, terms) is render_markdown(text, list(terms))


def test_it_renders_again_when_the_terms_change() -> None:
    text = "A kernel slides."
    before = render_markdown(text, [LinkTerm("kernel", ("kernel",), "old definition")])
    after = render_markdown(text, [LinkTerm("kernel", ("kernel",), "new definition")])
    assert 'title="old definition"' in before
    assert 'title="new definition"' in after


def test_it_renders_empty_text_as_nothing() -> None:
    assert render_markdown("") == ""
    assert render_markdown(None) == ""  # type: ignore[arg-type]
