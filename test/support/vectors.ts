import { readFileSync } from 'node:fs';

/** One signed delivery of the reference vectors. */
export interface SignatureVector {
  readonly name: string;
  readonly note: string;
  readonly secret: string;
  readonly body: Buffer;
  readonly bodyLength: number;
  readonly signature: string;
}

/** One of the docs' example deliveries, signed by PHP. */
export interface DocsDeliveryVector extends SignatureVector {
  /** The delivery's type: `enrolments`, `events` or `rewards`. */
  readonly type: 'enrolments' | 'events' | 'rewards';
}

interface VectorCase {
  readonly name: string;
  readonly note?: string;
  readonly type?: DocsDeliveryVector['type'];
  readonly secret: string;
  readonly bodyBase64: string;
  readonly bodyLength: number;
  readonly signature: string;
}

function readCases(file: string): readonly VectorCase[] {
  return (
    JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as {
      readonly cases: readonly VectorCase[];
    }
  ).cases;
}

function vectorOf(c: VectorCase): SignatureVector {
  return {
    name: c.name,
    note: c.note ?? '',
    secret: c.secret,
    body: Buffer.from(c.bodyBase64, 'base64'),
    bodyLength: c.bodyLength,
    signature: c.signature,
  };
}

/** Every signature reference vector, with its body decoded to the exact bytes. */
export const signatureVectors: readonly SignatureVector[] =
  readCases('falkor-signatures.json').map(vectorOf);

/** The docs' three example deliveries, each in PHP's default and pretty encodings. */
export const docsDeliveryVectors: readonly DocsDeliveryVector[] = readCases(
  'falkor-docs-deliveries.json',
).map((c) => ({ ...vectorOf(c), type: c.type! }));
