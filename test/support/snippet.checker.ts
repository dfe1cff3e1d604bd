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
  /** The 1-based line of the document where its code starts. */
  readonly firstLine: number;
  /** Its code. */
  readonly code: string;
}

/**
 * A type error in a snippet, located in the Markdown document.
 */
export interface SnippetProblem {
  /** The 1-based line of the document. */
  readonly line: number;
  /** The 1-based column. */
  readonly column: number;
  /** The compiler's message, e.g. `TS2304: Cannot find name 'x'.` */
  readonly message: string;
}

/**
 * The TypeScript blocks of a Markdown document that are type-checked: every `ts` or `typescript`
 * block but those preceded by `<!-- no-typecheck -->`.
 *
 * @param markdown - the document
 * @throws Error when two blocks claim the same file name
 */
export function typeScriptSnippets(markdown: string): Snippet[] {
  const snippets = markdownBlocks(markdown)
    .filter((block) => block.language === 'ts' || block.language === 'typescript')
    .filter((block) => block.marker !== NO_TYPECHECK_MARKER)
    .map((block) => ({
      fileName: FILE_MARKER.exec(block.marker ?? '')?.[1] ?? `snippet-line-${block.line}.ts`,
      firstLine: block.line + 1,
      code: block.code,
    }));
  const names = snippets.map((snippet) => snippet.fileName);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) {
    throw new Error(`Two snippets are named ${duplicate}.`);
  }
  return snippets;
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
 * @param snippets - the snippets
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
