"""Rule-based sentence boundaries: punctuation, plus line breaks.

Press releases put headlines, datelines and list items on lines of their own with no
final full stop; the punctuation-only sentencizer would glue them to the next sentence.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

_NUMBER_ABBREVIATIONS: frozenset[str] = frozenset({"No", "no", "Nos", "nos", "Nr", "nr"})


@Language.factory("orbitext_sentences")
def make_sentences(nlp: Language, name: str) -> LineSentencizer:
    """Factory for :class:`LineSentencizer`."""
    return LineSentencizer(name)


class LineSentencizer:
    """Split at sentence-final punctuation and after every line break."""

    def __init__(self, name: str = "orbitext_sentences") -> None:
        self.name = name
        self._punct = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        # Decide every boundary first, then write them in one pass: setting
        # Token.is_sent_start one token at a time costs a whole-document check each time.
        (starts,) = self._punct.predict([doc])
        starts = list(starts)
        for i, token in enumerate(doc[:-1]):
            if "\n" in token.text_with_ws:
                starts[i + 1] = True
            # "Launch Vehicle No. 8": the abbreviation's full stop ends no sentence.
            if (
                token.text == "."
                and i > 0
                and doc[i - 1].text in _NUMBER_ABBREVIATIONS
                and not doc[i - 1].whitespace_
                and doc[i + 1].like_num
            ):
                starts[i + 1] = False
        self._punct.set_annotations([doc], [starts])
        _install_sentence_index(doc, [i for i, start in enumerate(starts) if start])
        return doc


def _install_sentence_index(doc: Doc, starts: list[int]) -> None:
    """Answer ``span.sent``, ``token.sent`` and ``doc.sents`` from the boundaries just set.

    spaCy finds a token's sentence by walking the document, so code asking it once per
    trigger or date was quadratic in a long text; a bisect over the starts is not.
    """
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    ends = [*starts[1:], len(doc)]

    # The hooks reach the Doc through their argument, never through a closure: a Doc
    # holding a function that holds the Doc would live until the cycle collector ran.
    def sent_of(span: Span) -> Span:
        k = bisect_right(starts, span.start) - 1
        return span.doc[starts[k] : ends[k]]

    doc.user_span_hooks["sent"] = sent_of
    def sent_of_token(token: Token) -> Span:
        k = bisect_right(starts, token.i) - 1
        return token.doc[starts[k] : ends[k]]

    doc.user_token_hooks["sent"] = sent_of_token
    doc.user_hooks["sents"] = lambda d: (d[a:b] for a, b in zip(starts, ends, strict=True))
