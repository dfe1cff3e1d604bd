import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { markdownBlocks } from './markdown.blocks.js';

/** The comment that exempts a block of shell-like pseudo code from the type-check. */
export const NO_TYPECHECK_MARKER = 'no-typecheck';

const FILE_MARKER = /^file:\s*([\w.-]+\.ts)$/;

/**
 * A TypeScript block of a Markdown document, as the module it is checked as.
 */
export interface Snippet {
  /** The file name it is checked under: the `<!-- file: name.ts -->` before it, or one from its line. */
  readonly fileName: string;
  /** The document it comes from, e.g. `docs/recipes.md`, when one was named. */
  readonly document?: string;
  /** The 1-based line of the document where its code starts. */
  readonly firstLine: number;
  /** Its code. */
  readonly code: string;
}

/**
 * A type error in a snippet, located in the Markdown document.
 */
export interface SnippetProblem {
  /** The document of the snippet, when it names one. */
  readonly document?: string;
  /** The 1-based line of the document. */
  readonly line: number;
  /** The 1-based column. */
  readonly column: number;
  /** The compiler's message, e.g. `TS2304: Cannot find name 'x'.` */
  readonly message: string;
}

/**
 * The TypeScript blocks of a Markdown document that are type-checked: every `ts` or `typescript`
 * block but those preceded by `<!-- no-typecheck -->`. A block without a file marker is named
 * after its line, and after its document when one is given (`snippet-docs-recipes-md-line-12.ts`),
 * so that the blocks of several documents can be checked as one program.
 *
 * @param markdown - the document
 * @param document - its path, e.g. `docs/recipes.md`, carried by each snippet and its problems
 * @throws Error when two blocks claim the same file name
 */
export function typeScriptSnippets(markdown: string, document?: string): Snippet[] {
  const prefix =
    document === undefined ? 'snippet' : `snippet-${document.replace(/[^\w-]+/g, '-')}`;
  const snippets = markdownBlocks(markdown)
    .filter((block) => block.language === 'ts' || block.language === 'typescript')
    .filter((block) => block.marker !== NO_TYPECHECK_MARKER)
    .map((block) => ({
      fileName: FILE_MARKER.exec(block.marker ?? '')?.[1] ?? `${prefix}-line-${block.line}.ts`,
      ...(document === undefined ? {} : { document }),
      firstLine: block.line + 1,
      code: block.code,
    }));
  requireDistinctNames(snippets);
  return snippets;
}

/**
 * Checks that no two snippets claim the same file name, within a document or across documents
 * checked together.
 *
 * @throws Error naming the file and where the snippets claiming it are
 */
export function requireDistinctNames(snippets: readonly Snippet[]): void {
  const seen = new Map<string, Snippet>();
  for (const snippet of snippets) {
    const first = seen.get(snippet.fileName);
    if (first) {
      const where = (s: Snippet) => `${s.document ?? 'line'}:${s.firstLine - 1}`;
      throw new Error(
        `Two snippets are named ${snippet.fileName}: ${where(first)} and ${where(snippet)}.`,
      );
    }
    seen.set(snippet.fileName, snippet);
  }
}

function asModule(code: string): string {
  return /^\s*(import|export)\s/m.test(code) ? code : `${code}\nexport {};\n`;
}

/**
 * Type-checks the snippets as modules of one program with the settings of a `tsconfig.json` (its
 * `paths` and ambient declarations included), in a fresh folder below `workDir` that is removed
 * afterwards. Snippets may import each other by file name (`./certificates.js`), and a module
 * augmentation in one applies to all, as in an application.
 *
 * @param snippets - the snippets, of one document or of several
 * @throws Error when two snippets claim the same file name
 * @param tsconfigPath - the `tsconfig.json` whose options apply
 * @param workDir - a folder inside the project, so that its packages resolve
 * @returns every problem, located in the Markdown document
 */
export async function typeCheckSnippets(
  snippets: readonly Snippet[],
  tsconfigPath: string,
  workDir: string,
): Promise<SnippetProblem[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) {
    throw new Error(`${tsconfigPath} could not be read`);
  }
  requireDistinctNames(snippets);
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, 'run-'));
  try {
    const files = snippets.map((snippet) => ({ snippet, fileName: join(dir, snippet.fileName) }));
    await Promise.all(
      files.map(({ snippet, fileName }) => writeFile(fileName, asModule(snippet.code))),
    );
    const program = ts.createProgram({
      rootNames: [
        ...files.map(({ fileName }) => fileName),
        ...config.fileNames.filter((fileName) => fileName.endsWith('.d.ts')),
      ],
      options: config.options,
    });
    return files.flatMap(({ snippet, fileName }) => {
      const sourceFile = program.getSourceFile(fileName);
      return [
        ...program.getSyntacticDiagnostics(sourceFile),
        ...program.getSemanticDiagnostics(sourceFile),
      ].map((diagnostic) => {
        const { line, character } = ts.getLineAndCharacterOfPosition(
          diagnostic.file ?? sourceFile!,
          diagnostic.start ?? 0,
        );
        return {
          ...(snippet.document === undefined ? {} : { document: snippet.document }),
          line: snippet.firstLine + line,
          column: character + 1,
          message: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
        };
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
