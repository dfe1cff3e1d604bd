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

interface VectorFile {
  readonly cases: readonly {
    name: string;
    note: string;
    secret: string;
    bodyBase64: string;
    bodyLength: number;
    signature: string;
  }[];
}

const file = JSON.parse(
  readFileSync(new URL('../fixtures/falkor-signatures.json', import.meta.url), 'utf8'),
) as VectorFile;

/** Every reference vector, with its body decoded to the exact bytes. */
export const signatureVectors: readonly SignatureVector[] = file.cases.map((c) => ({
  name: c.name,
  note: c.note,
  secret: c.secret,
  body: Buffer.from(c.bodyBase64, 'base64'),
  bodyLength: c.bodyLength,
  signature: c.signature,
}));
