import { readFile } from 'node:fs/promises';

/**
 * Everything the CLI reads from and writes to, so that commands run in tests without a process.
 */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Whether standard input is a terminal (nothing piped in). */
  readonly stdinIsTTY: boolean;
  /** Whether standard error is a terminal (progress is then redrawn in place). */
  readonly stderrIsTTY: boolean;
  /** Reads standard input to its end, as exact bytes. */
  readonly readStdin: () => Promise<Buffer>;
  /** Reads a file's exact bytes. */
  readonly readFile: (path: string) => Promise<Buffer>;
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The process's standard streams, file system and environment.
 */
export function processCliIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdinIsTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    readStdin: () => readAll(process.stdin),
    readFile: (path) => readFile(path),
    env: process.env,
  };
}
