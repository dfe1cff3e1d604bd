import { it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { FALKOR_SAMPLE_PAYLOADS } from '../../src/testing/index.js';
it('dump', () => {
  for (const [k, v] of Object.entries(FALKOR_SAMPLE_PAYLOADS)) writeFileSync(`/tmp/sample-${k}.json`, JSON.stringify(v, null, 2) + '\n');
});
