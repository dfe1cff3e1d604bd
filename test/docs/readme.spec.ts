import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { FALKOR_EVENT_CATALOG, FALKOR_EVENT_TYPES } from 'nestjs-falkor-webhook';
import { FALKOR_SAMPLE_PAYLOADS } from 'nestjs-falkor-webhook/testing';
import { falkorFieldRules, type FalkorFieldKind } from '../../src/events/field.rules.js';
import { markdownBlocks } from '../support/markdown.blocks.js';
import {
  NO_TYPECHECK_MARKER,
  typeCheckSnippets,
  typeScriptSnippets,
} from '../support/snippet.checker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TSCONFIG = join(ROOT, 'tsconfig.json');
const WORK_DIR = join(ROOT, '.readme-snippets');

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
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

describe('README.md', () => {
  it('has TypeScript snippets, none of them exempt from the type-check', () => {
    expect(typeScriptSnippets(README).length).toBeGreaterThanOrEqual(10);
    const exempt = markdownBlocks(README).filter(
      (block) => block.language === 'ts' && block.marker === NO_TYPECHECK_MARKER,
    );
    expect(exempt.map((block) => block.line)).toEqual([]);
  });

  it('type-checks every TypeScript snippet with the project settings', async () => {
    const problems = await typeCheckSnippets(typeScriptSnippets(README), TSCONFIG, WORK_DIR);
    expect(problems.map((p) => `README.md:${p.line}:${p.column} ${p.message}`)).toEqual([]);
  }, 120_000);

  it('shows the sample payload of every catalog event type', () => {
    const catalog = section(README, 'Event catalog');
    const blocks = markdownBlocks(catalog).filter((block) => block.language === 'json');
    for (const type of FALKOR_EVENT_TYPES) {
      const heading = catalog.indexOf(`\n### \`${type}\``);
      expect(heading).toBeGreaterThanOrEqual(0);
      const headingLine = catalog.slice(0, heading).split('\n').length + 1;
      const sample = blocks.find((block) => block.line > headingLine);
      expect(JSON.parse(sample?.code ?? 'null')).toEqual(FALKOR_SAMPLE_PAYLOADS[type]);
    }
  });

  it("describes every field of the catalog's DTOs, with its JSON type and whether it is required", () => {
    const catalog = section(README, 'Event catalog');
    const firstType = catalog.indexOf(`\n### \`${FALKOR_EVENT_TYPES[0]}\``);
    const envelope = new Map(
      FALKOR_EVENT_TYPES.flatMap((type) =>
        expectedRows(FALKOR_EVENT_CATALOG[type], '', true).map((row) => [row[0], row] as const),
      ),
    );
    expect(fieldRows(catalog.slice(0, firstType)).sort(byPath)).toEqual(
      [...envelope.values()].sort(byPath),
    );
    for (const type of FALKOR_EVENT_TYPES) {
      const start = catalog.indexOf(`\n### \`${type}\``);
      const end = catalog.indexOf('\n### ', start + 1);
      const records = recordsOf(FALKOR_EVENT_CATALOG[type]);
      expect(envelope.has(records.path)).toBe(true);
      expect(fieldRows(catalog.slice(start, end === -1 ? undefined : end)).sort(byPath)).toEqual(
        expectedRows(records.dto, '', false).sort(byPath),
      );
    }
  });

  it('names only catalog types, or types it registers, and no retries the platform does not document', () => {
    const uses = [
      /@OnFalkorEvent\(\s*'([^']+)'/g,
      /FalkorWebhookEvent<'([^']+)'/g,
      /--event ([\w.-]+)/g,
      /(?:dispatchFalkorEvent\([^,]+|createFalkorDelivery\(|falkorSamplePayload\()\s*'([^']+)'/g,
    ].flatMap((pattern) => [...README.matchAll(pattern)].map((match) => match[1]));
    const registered = [...README.matchAll(/events: \{([^}]*)\}/g)].flatMap((block) =>
      [...block[1].matchAll(/'?([\w.-]+)'?\s*:/g)].map((key) => key[1]),
    );
    expect(uses.length).toBeGreaterThan(10);
    expect(
      uses.filter(
        (type) =>
          !(FALKOR_EVENT_TYPES as readonly string[]).includes(type) && !registered.includes(type),
      ),
    ).toEqual([]);
    const unfounded = [
      'the platform redelivers',
      'platform will redeliver',
      'so the platform retries',
      "platform's redeliver",
      "platform's retry",
      'always json',
    ];
    const text = README.toLowerCase();
    expect(unfounded.filter((phrase) => text.includes(phrase))).toEqual([]);
  });

  it('documents every module option in the configuration reference', () => {
    const reference = section(README, 'Configuration reference');
    const optionsFile = join(ROOT, 'src/nest/falkor-webhook.options.ts');
    const options = [
      ...interfaceProperties(optionsFile, 'FalkorWebhookModuleOptions'),
      ...interfaceProperties(optionsFile, 'FalkorWebhookRouteOptions'),
    ];
    expect(options.length).toBeGreaterThanOrEqual(10);
    expect(options.filter((option) => !reference.includes(`| \`${option}\``))).toEqual([]);
  });
});

function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

describe('README.md links', () => {
  it('point at headings of the README', () => {
    const prose = README.replace(/```[\s\S]*?```/g, '');
    const anchors = new Set(
      [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingAnchor(match[1])),
    );
    const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
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

  it('reports an error at its line in the document', async () => {
    const problems = await typeCheckSnippets(typeScriptSnippets(markdown), TSCONFIG, WORK_DIR);
    expect(problems).toEqual([
      {
        line: 12,
        column: 7,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  }, 60_000);
});
