import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A build of the package in a folder of its own, removed by {@link BuiltPackage.remove}.
 */
export interface BuiltPackage {
  /** The folder that holds what `dist/` would hold. */
  readonly dir: string;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

/**
 * Compiles `src/` with the options of `tsconfig.build.json` into a fresh folder below
 * `node_modules/.cache`, where the package's dependencies resolve, so that suites running in
 * parallel never rebuild `dist/` under each other. Each file is transpiled on its own (the project
 * uses `isolatedModules`); type errors are the type-check's business.
 */
export async function buildPackage(): Promise<BuiltPackage> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(REPO_ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) {
    throw new Error('tsconfig.build.json could not be read');
  }
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'nestjs-falkor-webhook-tests');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, 'build-'));
  const compilerOptions: ts.CompilerOptions = {
    ...config.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    declaration: false,
    sourceMap: false,
  };
  const rootDir = config.options.rootDir ?? join(REPO_ROOT, 'src');
  await Promise.all(
    config.fileNames
      .filter((fileName) => !fileName.endsWith('.d.ts'))
      .map(async (fileName) => {
        const output = ts.transpileModule(await readFile(fileName, 'utf8'), {
          compilerOptions,
          fileName,
        });
        const target = join(dir, relative(rootDir, fileName)).replace(/\.ts$/, '.js');
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, output.outputText);
      }),
  );
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * What a finished process printed and its exit code.
 */
export interface ProcessResult {
  /** The exit code. */
  readonly code: number | null;
  /** Everything written to standard output. */
  readonly stdout: string;
  /** Everything written to standard error. */
  readonly stderr: string;
}

/**
 * Runs a Node script to its end without blocking the event loop, so that servers of the test
 * process keep answering it.
 *
 * @param script - the script's path
 * @param args - its arguments
 * @param options - bytes for its standard input, and environment variables over a clean environment
 */
export function runNode(
  script: string,
  args: readonly string[],
  options: { readonly input?: string | Buffer; readonly env?: Record<string, string> } = {},
): Promise<ProcessResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  delete env.NODE_OPTIONS;
  if (!options.env?.FALKOR_WEBHOOK_SECRET) {
    delete env.FALKOR_WEBHOOK_SECRET;
  }
  const child = spawn(process.execPath, [script, ...args], { env, stdio: 'pipe' });
  child.stdin.end(options.input);
  return outcomeOf(child);
}

/**
 * Collects a child process's output until it closes.
 *
 * @param child - a process spawned with piped standard output and error
 */
export function outcomeOf(child: ChildProcess): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}
