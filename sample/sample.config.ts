/** The secret the sample uses when FALKOR_WEBHOOK_SECRET is not set. Never use it in production. */
export const DEVELOPMENT_SECRET = 'falkor-sample-development-secret';

/** The sample's configuration, read from the environment. */
export interface SampleConfig {
  /** The port to listen on. */
  readonly port: number;
  /** The webhook secret. */
  readonly secret: string;
  /** Whether the secret is the development default. */
  readonly usingDevelopmentSecret: boolean;
}

/**
 * Reads PORT (default 3000) and FALKOR_WEBHOOK_SECRET (default: a development secret).
 */
export function readSampleConfig(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  }
  const secret = env.FALKOR_WEBHOOK_SECRET;
  return secret
    ? { port, secret, usingDevelopmentSecret: false }
    : { port, secret: DEVELOPMENT_SECRET, usingDevelopmentSecret: true };
}
