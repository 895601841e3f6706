"""pybtex's BibTeX writer, made safe for untrusted text.

pybtex encodes fields as LaTeX (``ulatex``: % & # _ ~ and friends) but passes braces and backslashes through, so
one stray brace in a title breaks the file and a backslash starts a LaTeX command. Here braces and backslashes
become LaTeX commands before encoding and runs of hyphens are split (`-{}-`, never read as a dash), a title is
brace-protected after it, names are written from CSL name objects (an organisation double-braced as one name, a
family or given name holding a comma or a standalone "and" braced, so it is never split), and the URL fields stay
verbatim (with any brace percent-encoded, as in a URL).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pybtex.database.output.bibtex import Writer as PybtexWriter

LEFT, RIGHT, BACKSLASH, EMPTY = "\ue000", "\ue001", "\ue002", "\ue003"  # private-use stand-ins the encoder keeps
COMMANDS = {LEFT: r"\textbraceleft{}", RIGHT: r"\textbraceright{}", BACKSLASH: r"\textbackslash{}", EMPTY: "{}"}
SPLITS_A_NAME = re.compile(r",|\sand\s", re.IGNORECASE)  # what BibTeX reads as a name's parts or as two names
VERBATIM = frozenset({"url", "urldate", "date"})
PROTECTED = frozenset({"title"})


class Writer(PybtexWriter):
    """Writes entries whose `names` attribute maps a role to CSL name objects."""

    def quote(self, s: str) -> str:
        """Every value in braces (organisations thus read `{{World Bank}}`), after pybtex checks them balanced."""
        self.check_braces(s)
        return f"{{{s}}}"

    def _encode(self, text: str) -> str:
        return _as_latex(text, self.encoding)

    def _name(self, name: dict) -> str:
        if "literal" in name:
            return "{" + self._encode(name["literal"]) + "}"
        given = name.get("given")
        return self._part(name["family"]) + (", " + self._part(given) if given else "")

    def _part(self, text: str) -> str:
        encoded = self._encode(text)
        return "{" + encoded + "}" if SPLITS_A_NAME.search(text) else encoded

    def _write_field(self, stream, type, value):
        if type in VERBATIM:
            text = value.replace("{", "%7B").replace("}", "%7D")
        elif type in PROTECTED:
            text = "{" + self._encode(value) + "}"
        else:
            text = self._encode(value)
        stream.write(f",\n    {type} = {self.quote(text)}")

    def write_stream(self, bib_data, stream):
        for number, (key, entry) in enumerate(bib_data.entries.items()):
            stream.write(("\n" if number else "") + f"@{entry.original_type}{{{key}")
            for role, names in getattr(entry, "names", {}).items():
                stream.write(f",\n    {role} = {self.quote(' and '.join(self._name(n) for n in names))}")
            for type, value in entry.fields.items():
                self._write_field(stream, type, value)
            stream.write("\n}\n")


@lru_cache(maxsize=8192)
def _as_latex(text: str, encoding: str) -> str:
    """`text` LaTeX-encoded by pybtex, braces and backslashes as LaTeX commands, hyphens never joined into a dash;
    kept per text: latexcodec reads it character by character, and the report writes the same titles and outlets
    into many chart pages' BibTeX."""
    hidden = re.sub("-(?=-)", "-" + EMPTY, text.replace("\\", BACKSLASH).replace("{", LEFT).replace("}", RIGHT))
    encoded = PybtexWriter(encoding=encoding)._encode(hidden)
    return re.sub(f"[{LEFT}{RIGHT}{BACKSLASH}{EMPTY}]", lambda m: COMMANDS[m.group()], encoded)
