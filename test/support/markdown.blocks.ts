/**
 * A fenced code block of a Markdown document.
 */
export interface MarkdownBlock {
  /** The language after the opening fence, e.g. `ts`; empty when there is none. */
  readonly language: string;
  /** The block's content, without the fences. */
  readonly code: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The HTML comment on the last non-blank line before the fence, e.g. `file: main.ts`. */
  readonly marker: string | undefined;
}

const OPENING = /^(\s*)```\s*([\w-]*)\s*$/;
const CLOSING = /^\s*```\s*$/;
const MARKER = /^\s*<!--\s*(.*?)\s*-->\s*$/;

/**
 * Lists the fenced code blocks of a Markdown document, with the comment that may precede each.
 *
 * @param markdown - the document
 * @throws Error when a fence is never closed
 */
export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = OPENING.exec(lines[index]);
    if (!opening) {
      continue;
    }
    const indent = opening[1].length;
    const start = index;
    let end = index + 1;
    while (end < lines.length && !CLOSING.test(lines[end])) {
      end++;
    }
    if (end === lines.length) {
      throw new Error(`The code block opened on line ${start + 1} is never closed.`);
    }
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') {
      before--;
    }
    blocks.push({
      language: opening[2],
      code: lines
        .slice(start + 1, end)
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n'),
      line: start + 1,
      marker: before >= 0 ? MARKER.exec(lines[before])?.[1] : undefined,
    });
    index = end;
  }
  return blocks;
}
