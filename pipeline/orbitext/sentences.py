"""Rule-based sentence boundaries: punctuation, plus line breaks.

Press releases put headlines, datelines and list items on lines of their own with no
final full stop; the punctuation-only sentencizer would glue them to the next sentence.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, ORTH, SPACY
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
        # The tests read token arrays: a Token object per word would cost more than they.
        n = len(doc)
        if not n:
            self._punct.set_annotations([doc], [[]])
            _install_sentence_index(doc, [])
            return doc
        table = doc.to_array([ORTH, IS_PUNCT, IS_SPACE, SPACY, LIKE_NUM])
        strings = doc.vocab.strings
        texts = [strings[h] for h in table[:, 0].tolist()]
        starts = punctuation_starts(texts, table[:, 1].tolist(), self._punct)
        for i in range(n - 1):
            if table[i, 2] and "\n" in texts[i]:
                starts[i + 1] = True
            # "Launch Vehicle No. 8": the abbreviation's full stop ends no sentence.
            elif (
                texts[i] == "."
                and i > 0
                and texts[i - 1] in _NUMBER_ABBREVIATIONS
                and not table[i - 1, 3]
                and table[i + 1, 4]
            ):
                starts[i + 1] = False
        self._punct.set_annotations([doc], [starts])
        _install_sentence_index(doc, [i for i, start in enumerate(starts) if start])
        return doc


def punctuation_starts(
    texts: list[str], is_punct: list[int], sentencizer: Sentencizer
) -> list[bool]:
    """spaCy's ``Sentencizer.predict`` for one document, on its words rather than tokens.

    A sentence starts at the first token after a run of sentence-final characters (and
    any punctuation after them, such as closing quotes). ``tests/test_sentences.py``
    checks it against spaCy's own.
    """
    n = len(texts)
    guesses = [False] * n
    if not n:
        return guesses
    final = sentencizer.punct_chars
    guesses[0] = True
    start, seen_final = 0, False
    for i, text in enumerate(texts):
        is_final = text in final
        if seen_final and not is_punct[i] and not is_final:
            guesses[start] = True
            start, seen_final = i, False
        elif is_final:
            seen_final = True
    guesses[start] = True
    return guesses


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

    def sent_of_token(token: Token) -> Span:
        k = bisect_right(starts, token.i) - 1
        return token.doc[starts[k] : ends[k]]

    doc.user_span_hooks["sent"] = sent_of
    doc.user_token_hooks["sent"] = sent_of_token
    # An empty text has no sentence (its one range, [0, 0), is empty).
    doc.user_hooks["sents"] = lambda d: (
        d[a:b] for a, b in zip(starts, ends, strict=True) if b > a
    )
