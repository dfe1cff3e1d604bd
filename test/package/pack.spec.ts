import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { outcomeOf, REPO_ROOT } from '../support/built-package.js';

/** What `npm pack --json` tells of one file of the tarball. */
interface PackedFile {
  readonly path: string;
  readonly mode: number;
  readonly size: number;
}

/** A source map, as much of it as is checked here. */
interface SourceMap {
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly sourcesContent?: readonly (string | null)[];
}

/** What a package needs to build and pack: the rest of the repository stays out of the stage. */
const STAGED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'tsconfig.json',
  'tsconfig.build.json',
  'src',
];

const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/testing/index.js',
  'dist/testing/index.d.ts',
  'dist/cli/main.js',
];

let stage: string;
let files: PackedFile[];
let paths: Set<string>;

/** Runs npm in the stage with a clean npm environment (no config of an npm that runs Jest). */
function npm(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'NODE_OPTIONS') {
      env[name] = value;
    }
  }
  return outcomeOf(spawn('npm', args, { cwd: stage, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

function packed(path: string): Promise<string> {
  return readFile(join(stage, path), 'utf8');
}

// `npm pack --dry-run` runs `prepack`, which rebuilds dist/: that happens in a copy of what the
// build needs, below node_modules/.cache (where the dependencies resolve), so that the
// repository's own dist/ is never rebuilt under a bench or another suite.
beforeAll(async () => {
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'nestjs-falkor-webhook-tests');
  await mkdir(cache, { recursive: true });
  stage = await mkdtemp(join(cache, 'pack-'));
  await Promise.all(
    STAGED.map((name) => cp(join(REPO_ROOT, name), join(stage, name), { recursive: true })),
  );
  const result = await npm(['pack', '--dry-run', '--json']);
  if (result.code !== 0) {
    throw new Error(`npm pack --dry-run failed (${result.code}):\n${result.stderr}`);
  }
  [{ files }] = JSON.parse(result.stdout) as [{ files: PackedFile[] }];
  paths = new Set(files.map((file) => file.path));
}, 300_000);

afterAll(async () => {
  if (stage) {
    await rm(stage, { recursive: true, force: true });
  }
});

describe('the published package (npm pack)', () => {
  it('holds the entry points, the CLI, the types and the documents', () => {
    expect(REQUIRED.filter((path) => !paths.has(path))).toEqual([]);
  });

  it('holds the targets of main, types, exports and bin', async () => {
    const manifest = JSON.parse(await packed('package.json')) as {
      main: string;
      types: string;
      bin: Record<string, string>;
      exports: Record<string, string | Record<string, string>>;
    };
    const targets = [
      manifest.main,
      manifest.types,
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((entry) =>
        typeof entry === 'string' ? [entry] : Object.values(entry),
      ),
    ].map((target) => posix.normalize(target));
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((target) => !paths.has(target))).toEqual([]);
  });

  it('ships the CLI as an executable with a node shebang', async () => {
    const main = files.find((file) => file.path === 'dist/cli/main.js');
    expect(main && main.mode & 0o111).toBe(0o111);
    expect((await packed('dist/cli/main.js')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('holds no sources, tests, benches or build state', () => {
    const leaked = [...paths].filter(
      (path) =>
        /^(src|test|bench|sample|node_modules|coverage)\//.test(path) ||
        (/\.(ts|mts|cts)$/.test(path) && !/\.d\.(ts|mts|cts)$/.test(path)) ||
        /\.tsbuildinfo$|\.spec\.|(^|\/)\.env/.test(path),
    );
    expect(leaked).toEqual([]);
    expect([...paths].every((path) => path.startsWith('dist/') || !path.includes('/'))).toBe(true);
  });

  it('gives every JavaScript file its declarations', () => {
    const js = [...paths].filter((path) => path.endsWith('.js'));
    expect(js.length).toBeGreaterThan(50);
    expect(js.filter((path) => !paths.has(path.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });

  it('resolves every relative import of the declarations inside the package', async () => {
    const unresolved: string[] = [];
    for (const path of [...paths].filter((p) => p.endsWith('.d.ts'))) {
      for (const [, specifier] of (await packed(path)).matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = posix.join(posix.dirname(path), specifier).replace(/\.js$/, '.d.ts');
        if (!paths.has(target)) {
          unresolved.push(`${path} → ${specifier}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('ships source maps whose sources are in the package or inlined, for each file that names one', async () => {
    const maps = [...paths].filter((path) => path.endsWith('.js.map'));
    const broken: string[] = [];
    for (const path of [...paths].filter((p) => p.endsWith('.js'))) {
      const named = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(await packed(path))?.[1];
      if (
        named &&
        !named.startsWith('data:') &&
        !paths.has(posix.join(posix.dirname(path), named))
      ) {
        broken.push(`${path} names ${named}, which is not in the package`);
      }
    }
    for (const path of maps) {
      const map = JSON.parse(await packed(path)) as SourceMap;
      map.sources.forEach((source, index) => {
        if (typeof map.sourcesContent?.[index] === 'string') {
          return;
        }
        const resolved = posix.join(posix.dirname(path), map.sourceRoot ?? '', source);
        if (!paths.has(resolved)) {
          broken.push(`${path}: ${source} is neither inlined nor in the package`);
        }
      });
    }
    expect(broken).toEqual([]);
  });

  it('inlines in each map the TypeScript source it was compiled from', async () => {
    const map = JSON.parse(await packed('dist/index.js.map')) as SourceMap;
    expect(map.sources).toEqual(['../src/index.ts']);
    expect(map.sourcesContent?.[0]).toBe(await packed('src/index.ts'));
  });
});
