import { isFalkorPlatformName } from '../index.js';
import { CliUsageError } from './cli.errors.js';
import type { CliIo } from './cli.io.js';

/** The environment variable the secret is read from when `--secret` is not given. */
export const SECRET_ENV_VARIABLE = 'FALKOR_WEBHOOK_SECRET';

/**
 * Runs a `node:util` `parseArgs` call, turning its errors (unknown option, missing value...) into
 * a {@link CliUsageError}.
 *
 * @param parse - the call
 * @returns what it returned
 */
export function parseCliArgs<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new CliUsageError((error as Error).message);
    }
    throw error;
  }
}

/**
 * The webhook secret(s): the `--secret` values, else `FALKOR_WEBHOOK_SECRET`.
 *
 * @param given - the `--secret` values
 * @param env - the environment
 * @throws CliUsageError when there is none
 */
export function resolveSecrets(
  given: readonly string[] | undefined,
  env: CliIo['env'],
): readonly string[] {
  const secrets = given?.length ? given : [env[SECRET_ENV_VARIABLE] ?? ''];
  if (secrets.some((secret) => secret.length === 0)) {
    throw new CliUsageError(
      `No webhook secret: pass --secret <secret> or set ${SECRET_ENV_VARIABLE} to the secret of the webhook.`,
    );
  }
  return secrets;
}

/**
 * Checks a `--platform` value: the prefix of its `<name>-Webhook-Signature` header.
 *
 * @param name - the value, default `Falkor`
 * @throws CliUsageError when it cannot prefix a header name
 */
export function platformName(name = 'Falkor'): string {
  if (!isFalkorPlatformName(name)) {
    throw new CliUsageError(
      `--platform ${JSON.stringify(name)} cannot prefix a header name: use letters, digits and dashes, as in "ByteKast".`,
    );
  }
  return name;
}

/**
 * Parses a whole number option of at least 1.
 *
 * @param option - the option's name, for the message
 * @param value - the value given, if any
 * @param fallback - the value when none is given
 * @throws CliUsageError when the value is not a whole number of at least 1
 */
export function positiveInteger(
  option: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) {
    return fallback;
  }
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new CliUsageError(`--${option} must be a whole number of at least 1, got "${value}".`);
  }
  return number;
}

/**
 * Reads the body to sign or verify from standard input.
 *
 * @param io - the CLI's input
 * @param command - the command, for the message
 * @throws CliUsageError when nothing is piped in
 */
export async function readBodyFromStdin(io: CliIo, command: string): Promise<Buffer> {
  if (io.stdinIsTTY) {
    throw new CliUsageError(
      `${command} reads the body from standard input: falkor-webhook ${command} ... < body.json`,
    );
  }
  return io.readStdin();
}
