import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  isFalkorRecordEvent,
} from 'nestjs-falkor-webhook';
import { FALKOR_SAMPLE_PAYLOADS } from 'nestjs-falkor-webhook/testing';
import { falkorFieldRules, type FalkorFieldKind } from '../../src/events/field.rules.js';
import { markdownBlocks } from '../support/markdown.blocks.js';
import {
  NO_TYPECHECK_MARKER,
  typeCheckSnippets,
  typeScriptSnippets,
} from '../support/snippet.checker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSCONFIG = join(ROOT, 'tsconfig.json');
const WORK_DIR = join(ROOT, '.readme-snippets');

/** The references the README links to, each in `docs/<topic>.md`. */
const REFERENCES = [
  'architecture',
  'catalog',
  'cli',
  'configuration',
  'deduplication',
  'recipes',
  'testing',
  'troubleshooting',
  'verification',
];

/** README.md and every docs/*.md, keyed by their path from the repository's root. */
const DOCUMENTS: ReadonlyMap<string, string> = new Map(
  [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ].map((path) => [path, readFileSync(join(ROOT, path), 'utf8')] as const),
);

function document(path: string): string {
  const text = DOCUMENTS.get(path);
  expect(text).toBeDefined();
  return text!;
}

const README = document('README.md');
const CATALOG = document('docs/catalog.md');

/** The part of a document from a `## heading` to the next heading of that level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** A document without its fenced code blocks, whose `#` lines and links are not Markdown. */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '');
}

function interfaceProperties(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const declaration = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === name,
  );
  expect(declaration).toBeDefined();
  return declaration!.members.flatMap((member) =>
    member.name && ts.isIdentifier(member.name) ? [member.name.text] : [],
  );
}

/** How the catalog tables write each field kind's JSON type. */
const JSON_TYPES: Readonly<Record<FalkorFieldKind, string>> = {
  text: 'string',
  integer: 'integer',
  number: 'number',
  object: 'object',
  count: 'number or string',
  nested: 'object',
  list: 'array of objects',
};

/** A row of a catalog table: `| \`path\` | JSON type | yes or no | ...`. */
type FieldRow = readonly [path: string, jsonType: string, required: string];

/** The rows of the catalog tables in some Markdown, keyed by their field path. */
function fieldRows(markdown: string): FieldRow[] {
  return [...markdown.matchAll(/^\| `([^`]+)` +\| ([^|]+?) +\| (yes|no) +\|/gm)].map(
    (match) => [match[1], match[2], match[3]] as const,
  );
}

/**
 * The rows a class's field rules call for: one per field, nested fields and list items by their
 * path (`status.state`, `attendees[].guid`). A list's items are described from `stopAtLists` down.
 */
function expectedRows(dto: object, prefix: string, stopAtLists: boolean): FieldRow[] {
  return (falkorFieldRules(dto) ?? []).flatMap((rule) => {
    const path = `${prefix}${rule.property}`;
    const row: FieldRow = [path, JSON_TYPES[rule.kind], rule.required ? 'yes' : 'no'];
    if (rule.kind === 'nested') {
      return [row, ...expectedRows(rule.dto!(), `${path}.`, stopAtLists)];
    }
    if (rule.kind === 'list' && !stopAtLists) {
      return [row, ...expectedRows(rule.dto!(), `${path}[].`, false)];
    }
    return [row];
  });
}

/** The record class of a payload DTO's list (`data.enrolments` → `FalkorEnrolmentDto`). */
function recordsOf(payloadDto: object): { path: string; dto: object } {
  const data = falkorFieldRules(payloadDto)!.find((rule) => rule.property === 'data')!;
  const list = falkorFieldRules(data.dto!())!.find((rule) => rule.kind === 'list')!;
  return { path: `data.${list.property}`, dto: list.dto!() };
}

const byPath = (a: FieldRow, b: FieldRow) => a[0].localeCompare(b[0]);

/** The part of the catalog about one event type: from its `## \`type\`` heading to the next. */
function typeSection(type: string): { text: string; line: number } {
  const start = CATALOG.indexOf(`\n## \`${type}\`\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = CATALOG.indexOf('\n## ', start + 1);
  return {
    text: CATALOG.slice(start, end === -1 ? undefined : end),
    line: CATALOG.slice(0, start).split('\n').length + 1,
  };
}

describe('the docs', () => {
  it('keep each long reference in docs/, every one of them linked from the README', () => {
    for (const topic of REFERENCES) {
      expect(DOCUMENTS.has(`docs/${topic}.md`)).toBe(true);
    }
    const linked = new Set(
      [...prose(README).matchAll(/\]\((docs\/[^)#]+\.md)(?:#[^)]*)?\)/g)].map((match) => match[1]),
    );
    expect(
      [...DOCUMENTS.keys()].filter((path) => path !== 'README.md' && !linked.has(path)),
    ).toEqual([]);
  });

  it('keep the README a landing page', () => {
    expect(README.split('\n').length).toBeLessThan(300);
    for (const heading of ['Quick start', 'Event catalog', 'Status codes', 'Supported versions']) {
      expect(README).toContain(`\n## ${heading}\n`);
    }
  });

  it('have TypeScript snippets, none of them exempt from the type-check', () => {
    expect(typeScriptSnippets(README).length).toBeGreaterThanOrEqual(3);
    const all = [...DOCUMENTS].flatMap(([path, text]) => typeScriptSnippets(text, path));
    expect(all.length).toBeGreaterThanOrEqual(20);
    const exempt = [...DOCUMENTS].flatMap(([path, text]) =>
      markdownBlocks(text)
        .filter(
          (block) =>
            (block.language === 'ts' || block.language === 'typescript') &&
            block.marker === NO_TYPECHECK_MARKER,
        )
        .map((block) => `${path}:${block.line}`),
    );
    expect(exempt).toEqual([]);
  });

  it('type-check every TypeScript snippet, of every document, as one program', async () => {
    const snippets = [...DOCUMENTS].flatMap(([path, text]) => typeScriptSnippets(text, path));
    const problems = await typeCheckSnippets(snippets, TSCONFIG, WORK_DIR);
    expect(problems.map((p) => `${p.document}:${p.line}:${p.column} ${p.message}`)).toEqual([]);
  }, 120_000);

  it('name only catalog types, record events or types they register, and no retries the platform does not document', () => {
    const text = [...DOCUMENTS.values()].join('\n');
    /** Every quoted name in what each pattern's group matched: one type, a list or a union. */
    const typesOf = (patterns: RegExp[]) =>
      patterns.flatMap((pattern) =>
        [...text.matchAll(pattern)].flatMap((match) =>
          [...match[1].matchAll(/'([^']+)'|^([\w.-]+)$/g)].map((name) => name[1] ?? name[2]),
        ),
      );
    // What a delivery carries: a catalog type, or one registered through `events`.
    const deliveries = typesOf([
      /--event ([\w.-]+)/g,
      /(?:dispatchFalkorEvent\([^,)]+,|createFalkorDelivery\(|falkorSamplePayload\()\s*('[^']+')/g,
    ]);
    // What a listener listens to: those, or a record event.
    const listened = typesOf([
      /@OnFalkorEvent\(\s*('[^']+'|\[[^\]]*\])/g,
      /FalkorWebhookEvent<((?:'[^']+'(?:\s*\|\s*)?)+)>/g,
    ]);
    const registered = [...text.matchAll(/events: \{([^}]*)\}/g)].flatMap((block) =>
      [...block[1].matchAll(/'?([\w.-]+)'?\s*:/g)].map((key) => key[1]),
    );
    const delivered = (type: string) =>
      (FALKOR_EVENT_TYPES as readonly string[]).includes(type) || registered.includes(type);
    expect(deliveries.length + listened.length).toBeGreaterThan(10);
    expect(listened.filter(isFalkorRecordEvent).length).toBeGreaterThanOrEqual(3);
    expect(deliveries.filter((type) => !delivered(type))).toEqual([]);
    expect(listened.filter((type) => !delivered(type) && !isFalkorRecordEvent(type))).toEqual([]);
    const unfounded = [
      'the platform redelivers',
      'platform will redeliver',
      'so the platform retries',
      "platform's redeliver",
      "platform's retry",
      'always json',
    ];
    const lower = text.toLowerCase();
    expect(unfounded.filter((phrase) => lower.includes(phrase))).toEqual([]);
  });
});

describe('docs/catalog.md', () => {
  it('shows the sample payload of every catalog event type', () => {
    const blocks = markdownBlocks(CATALOG).filter((block) => block.language === 'json');
    for (const type of FALKOR_EVENT_TYPES) {
      const { line } = typeSection(type);
      const sample = blocks.find((block) => block.line > line);
      expect(JSON.parse(sample?.code ?? 'null')).toEqual(FALKOR_SAMPLE_PAYLOADS[type]);
    }
  });

  it("describes every field of the catalog's DTOs, with its JSON type and whether it is required", () => {
    const firstType = CATALOG.indexOf(`\n## \`${FALKOR_EVENT_TYPES[0]}\`\n`);
    expect(firstType).toBeGreaterThanOrEqual(0);
    const envelope = new Map(
      FALKOR_EVENT_TYPES.flatMap((type) =>
        expectedRows(FALKOR_EVENT_CATALOG[type], '', true).map((row) => [row[0], row] as const),
      ),
    );
    expect(fieldRows(CATALOG.slice(0, firstType)).sort(byPath)).toEqual(
      [...envelope.values()].sort(byPath),
    );
    for (const type of FALKOR_EVENT_TYPES) {
      const records = recordsOf(FALKOR_EVENT_CATALOG[type]);
      expect(envelope.has(records.path)).toBe(true);
      expect(fieldRows(typeSection(type).text).sort(byPath)).toEqual(
        expectedRows(records.dto, '', false).sort(byPath),
      );
    }
  });

  it('is summed up in the README, one line per catalog type', () => {
    const glance = section(README, 'Event catalog');
    for (const type of FALKOR_EVENT_TYPES) {
      expect(glance).toMatch(new RegExp(`^\\| \`${type}\` +\\|`, 'm'));
    }
    expect(fieldRows(glance)).toEqual([]);
  });
});

describe('docs/configuration.md', () => {
  it('documents every module option in its options table', () => {
    const reference = section(document('docs/configuration.md'), 'Options');
    const optionsFile = join(ROOT, 'src/nest/falkor-webhook.options.ts');
    const options = [
      ...interfaceProperties(optionsFile, 'FalkorWebhookModuleOptions'),
      ...interfaceProperties(optionsFile, 'FalkorWebhookRouteOptions'),
    ];
    expect(options.length).toBeGreaterThanOrEqual(10);
    expect(options.filter((option) => !reference.includes(`| \`${option}\``))).toEqual([]);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** The anchors of a document's headings, a repeated one with GitHub's `-1`, `-2`... suffixes. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const match of prose(markdown).matchAll(/^#{1,6} (.+?)\s*$/gm)) {
    const anchor = headingAnchor(match[1]);
    const count = counts.get(anchor) ?? 0;
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
    counts.set(anchor, count + 1);
  }
  return anchors;
}

/** A link that leaves the repository: a URL with a scheme, or a protocol-relative one. */
const EXTERNAL = /^(?:[a-z][a-z\d+.-]*:|\/\/)/i;

describe('links of README.md and docs/*.md', () => {
  const links = [...DOCUMENTS].flatMap(([path, text]) =>
    [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((match) => match[1])
      .filter((target) => !EXTERNAL.test(target))
      .map((target) => ({ from: path, target })),
  );

  it('are there, relative ones and anchors alike', () => {
    expect(links.filter((link) => link.target.startsWith('#')).length).toBeGreaterThan(5);
    expect(links.filter((link) => !link.target.startsWith('#')).length).toBeGreaterThan(20);
  });

  it('point at files of the repository', () => {
    const broken = links.filter(({ from, target }) => {
      const file = target.split('#')[0];
      if (file === '') {
        return false;
      }
      const resolved = normalize(join(dirname(from), decodeURIComponent(file)));
      return resolved.startsWith('..') || !existsSync(join(ROOT, resolved));
    });
    expect(broken.map(({ from, target }) => `${from} → ${target}`)).toEqual([]);
  });

  it('point at headings of the documents they name', () => {
    const anchors = new Map<string, Set<string>>();
    const anchorsIn = (path: string) => {
      if (!anchors.has(path)) {
        anchors.set(path, anchorsOf(readFileSync(join(ROOT, path), 'utf8')));
      }
      return anchors.get(path)!;
    };
    const broken = links.filter(({ from, target }) => {
      const hash = target.indexOf('#');
      if (hash === -1) {
        return false;
      }
      const file = target.slice(0, hash);
      const path = file === '' ? from : normalize(join(dirname(from), decodeURIComponent(file)));
      return (
        !path.endsWith('.md') ||
        !existsSync(join(ROOT, path)) ||
        !anchorsIn(path).has(target.slice(hash + 1))
      );
    });
    expect(broken.map(({ from, target }) => `${from} → ${target}`)).toEqual([]);
  });
});

describe('the snippet type-check', () => {
  const markdown = [
    '# Doc',
    '',
    '<!-- file: greeting.ts -->',
    '',
    '```ts',
    "export const greeting: string = 'hello';",
    '```',
    '',
    '```ts',
    "import { greeting } from './greeting.js';",
    '',
    'const count: number = greeting;',
    'console.log(count);',
    '```',
    '',
    '<!-- no-typecheck -->',
    '```ts',
    'npm install ...',
    '```',
  ].join('\n');

  it('names snippets by their marker or their line, and skips exempt ones', () => {
    expect(typeScriptSnippets(markdown)).toEqual([
      { fileName: 'greeting.ts', firstLine: 6, code: "export const greeting: string = 'hello';" },
      {
        fileName: 'snippet-line-9.ts',
        firstLine: 10,
        code: "import { greeting } from './greeting.js';\n\nconst count: number = greeting;\nconsole.log(count);",
      },
    ]);
  });

  it('names the snippets of a named document after it', () => {
    expect(
      typeScriptSnippets(markdown, 'docs/guide.md').map(({ fileName, document }) => [
        fileName,
        document,
      ]),
    ).toEqual([
      ['greeting.ts', 'docs/guide.md'],
      ['snippet-docs-guide-md-line-9.ts', 'docs/guide.md'],
    ]);
  });

  it('refuses two snippets of the same name across documents', async () => {
    await expect(() =>
      typeCheckSnippets(
        [...typeScriptSnippets(markdown, 'a.md'), ...typeScriptSnippets(markdown, 'b.md')],
        TSCONFIG,
        WORK_DIR,
      ),
    ).rejects.toThrow('Two snippets are named greeting.ts: a.md:5 and b.md:5.');
  });

  it('reports an error at its line in the document', async () => {
    const problems = await typeCheckSnippets(
      typeScriptSnippets(markdown, 'docs/guide.md'),
      TSCONFIG,
      WORK_DIR,
    );
    expect(problems).toEqual([
      {
        document: 'docs/guide.md',
        line: 12,
        column: 7,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  }, 60_000);
});

describe('GitHub anchors', () => {
  it('drop punctuation, keep each space as a hyphen, and number repeated headings', () => {
    expect([
      ...anchorsOf(
        [
          "# Body size: `maxBodyBytes` and the adapters' own limits",
          '## Classroom & Events',
          '## Usage',
          '```sh',
          '# not a heading',
          '```',
          '## Usage',
        ].join('\n'),
      ),
    ]).toEqual([
      'body-size-maxbodybytes-and-the-adapters-own-limits',
      'classroom--events',
      'usage',
      'usage-1',
    ]);
  });
});
