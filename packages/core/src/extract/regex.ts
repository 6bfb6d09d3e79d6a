/**
 * Every match of a global regular expression in `text`, as `text.matchAll(re)` finds them, without
 * the copy of the expression `matchAll` makes on each call: the extractors run about forty
 * expressions over every request, and those copies were most of their time (ADR 016).
 * `re` must have the `g` flag; its `lastIndex` is left at 0.
 */
export function matchesIn(text: string, re: RegExp): RegExpExecArray[] {
  if (!re.global) throw new TypeError(`matchesIn: ${re} needs the g flag`)
  const found: RegExpExecArray[] = []
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found.push(m)
    // An empty match would be found again at the same place: step over one character (code point
    // with the u or v flag), as matchAll does.
    if (m[0] === '')
      re.lastIndex = nextIndex(text, re.lastIndex, re.unicode || re.flags.includes('v'))
  }
  re.lastIndex = 0
  return found
}

function nextIndex(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1
  const code = text.charCodeAt(index)
  const next = text.charCodeAt(index + 1)
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff
    ? index + 2
    : index + 1
}
