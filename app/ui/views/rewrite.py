"""Rewrite page: bullets in the organization's language, side by side, refused when a fact would change."""

from __future__ import annotations

import difflib

import streamlit as st

from app import services, usecases
from app.ladder import load_glossary
from app.ui import context
from app.ui.draft_view import badge
from app.ui.errors import guard
from app.ui.safe import md

SAMPLE = "Sample glossary (bundled)"
UPLOAD = "Upload a glossary YAML…"
NONE = "No glossary (fix hedges and weak wording only)"


def changes(before: str, after: str) -> str:
    """`after` as Markdown with what the rewrite changed highlighted inline: removed words struck through in red,
    added words in green; every word escaped."""
    old, new = before.split(), after.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(md(" ".join(new[j1:j2])))
            continue
        if i2 > i1:
            out.append(f":red-background[~~{md(' '.join(old[i1:i2]))}~~]")
        if j2 > j1:
            out.append(f":green-background[{md(' '.join(new[j1:j2]))}]")
    return " ".join(out)


ctx = context.current()
st.title("Rewrite")
st.caption(
    "Paste bullets, one per line. Each is rewritten in your organization's vocabulary without changing "
    "a fact, number or reference; when a rewrite would change one, the original is kept and you see why."
)

glossaries = {SAMPLE: services.sample_glossary()}
glossaries.update({p.name: p for p in sorted(ctx.own_files("glossaries").glob("*.y*ml"))})
choice = st.selectbox("Glossary", [*glossaries, UPLOAD, NONE], key="rewrite_glossary")
path = glossaries.get(choice)
if choice == UPLOAD:
    upload = st.file_uploader(
        "Glossary YAML (values, terms, avoid)", type=["yaml", "yml"], key="rewrite_glossary_file"
    )
    if upload is not None:
        path = services.copy_upload(upload.getvalue(), upload.name, ctx.own_files("glossaries"))

glossary = None
if path is not None:
    with guard("load the glossary"):
        glossary = load_glossary(path)
    if glossary is not None:
        st.caption(
            md(
                f"{len(glossary.values)} values, {len(glossary.terms)} preferred terms, "
                f"{len(glossary.avoid)} words to avoid ({path.name})."
            )
        )

text = st.text_area(
    "Bullets",
    key="rewrite_text",
    height=160,
    placeholder="Helped with the migration of payments to the new ledger, cutting errors 40%.",
)
if st.button("Rewrite", type="primary", key="rewrite_go"):
    if not (text or "").strip():
        st.warning("Paste one or more bullets first, one per line.", icon=":material/edit:")
    elif choice == UPLOAD and glossary is None:
        st.warning("Upload a glossary first, or pick another one.")
    else:
        results = []
        with guard("rewrite the bullets"), st.spinner("Rewriting…"):
            chat = ctx.chat()
            index = ctx.index()  # the user's own work is named, and hedges fixed as far as the evidence shows
            for line in (line.strip() for line in text.splitlines()):
                if original := line.lstrip("-•* ").strip():
                    rewritten = usecases.rewrite(original, glossary, chat=chat, index=index)
                    results.append(rewritten.to_json() | {"original": original})
        st.session_state["rewrite_results"] = results

results = st.session_state.get("rewrite_results") or []
if results:
    preserved = sum(r["preserved"] for r in results)
    st.markdown(f"**{preserved} of {len(results)} rewritten with every fact preserved**")
    left, right = st.columns(2)
    left.markdown("**Original**")
    right.markdown("**Result**")
    for result in results:
        with st.container(border=True):
            left, right = st.columns(2)
            left.text(result["original"])
            right.markdown(changes(result["original"], result["text"]))
            verdict = (
                badge("facts preserved", "green")
                if result["preserved"]
                else badge("rewrite refused: original kept", "red")
            )
            right.markdown(verdict + " " + badge(result.get("mode", "offline"), "gray"))
            if not result["preserved"]:
                right.error(md(f"Why: {result['reason']}"), icon=":material/block:")
            for warning in result.get("warnings", []):
                right.caption(md(warning))
    st.caption("Copy the result with the icon at the top right of the block.")
    st.code("\n".join(f"- {r['text']}" for r in results), language=None, wrap_lines=True)
